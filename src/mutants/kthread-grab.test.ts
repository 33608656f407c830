/**
 * kthread_unuse_mm() without its mmdrop() (`kernel/kthread:stepKthreadUnuseMm:drop-ref:1`) fails
 * refcount-balance "C1.1 kthread_use_mm() reference" on a hand-built run; the unmutated engine passes
 * the same ops (docs/mutants.md, issue 11 classification).
 */
import { createEngine } from '../engine/build';
import type { Engine } from '../engine/contract';
import { checkTrace } from '../../properties/index';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ENGINE_DIR, fileSites } from './enumerate';
import { instancesOf, mutantFactory } from './instances';
import { driveOps, parseOps } from './hand-ops';

/** K1 borrows mm1 (get_task_mm(), kthread_use_mm()) on cpu0, gives it back, and puts its mm_users. */
const OPS = parseOps('syscall 0; schedule 0 K1; step 0*; mmget_not_zero 0 mm1; kthread_use_mm 0 mm1; step 0*; kthread_unuse_mm 0; step 0*; mmput 0 mm1');
const CONFIG = { cpus: 2, procs: 1, threads: 2, kthreads: 1 };

describe('kthread_unuse_mm() without its mmdrop()', () => {
  it.each(['x86/refcount', 'powerpc/shootdown'])('on %s: the mutant fails C1.1 kthread_use_mm() reference, the base passes', (engine) => {
    const file = 'kernel/kthread.ts';
    const inst = instancesOf(fileSites(file, fs.readFileSync(path.join(ENGINE_DIR, file), 'utf8'))).find((x) => x.id === `kernel/kthread:stepKthreadUnuseMm:drop-ref:1@${engine}`);
    expect(inst).toBeDefined();
    if (!inst) return;
    const mutant = driveOps(mutantFactory(inst.site).createEngine(inst.engine) as Engine<unknown>, CONFIG, OPS);
    const base = driveOps(createEngine(inst.engine) as Engine<unknown>, CONFIG, OPS);
    expect([mutant.stopped, base.stopped]).toEqual([null, null]);
    expect(checkTrace(mutant.events).map((v) => `${v.property} ${v.clause}`)).toEqual(['refcount-balance C1.1 kthread_use_mm() reference']);
    expect(checkTrace(base.events)).toEqual([]);
  });
});
