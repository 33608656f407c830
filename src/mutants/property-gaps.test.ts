/**
 * The property gaps the issue 11 classification closed (docs/mutants.md): each mutant fails its new
 * clause on a hand-built run and the unmutated engine passes the same ops.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createEngine } from '../engine/build';
import type { Engine, ModelConfig } from '../engine/contract';
import { checkTrace } from '../../properties/index';
import { ENGINE_DIR, fileSites } from './enumerate';
import { instancesOf, mutantFactory } from './instances';
import { driveOps, parseOps } from './hand-ops';

interface Gap {
  mutant: string;
  config: ModelConfig;
  ops: string;
  clause: string;
}

const GAPS: Gap[] = [
  {
    // K1 borrows mm1 (get_task_mm(), kthread_use_mm()) on cpu0, gives it back, puts its mm_users.
    mutant: 'kernel/kthread:stepKthreadUnuseMm:drop-ref:1@x86/refcount',
    config: { cpus: 2, procs: 1, threads: 2, kthreads: 1 },
    ops: 'syscall 0; schedule 0 K1; step 0*; mmget_not_zero 0 mm1; kthread_use_mm 0 mm1; step 0*; kthread_unuse_mm 0; step 0*; mmput 0 mm1',
    clause: 'refcount-balance C1.1 kthread_use_mm() reference',
  },
  {
    mutant: 'kernel/kthread:stepKthreadUnuseMm:drop-ref:1@powerpc/shootdown',
    config: { cpus: 2, procs: 1, threads: 2, kthreads: 1 },
    ops: 'syscall 0; schedule 0 K1; step 0*; mmget_not_zero 0 mm1; kthread_use_mm 0 mm1; step 0*; kthread_unuse_mm 0; step 0*; mmput 0 mm1',
    clause: 'refcount-balance C1.1 kthread_use_mm() reference',
  },
  {
    // cpu1 runs T3 (mm2) when T1's PRIVATE_EXPEDITED call scans it (no IPI), then switches to T2
    // (mm1) and returns to user before MB5: only load_new_mm_cr3() orders T2 after the rq->curr store.
    mutant: 'arch/x86:switchMmFinish:drop-mb:0@x86/refcount',
    config: { cpus: 3, procs: 2, threads: 2, kthreads: 1 },
    ops:
      'syscall 1; schedule 1 T3; step 1*; return_to_user 1 sysret; syscall 0; membarrier_register 0 PRIVATE_EXPEDITED; step 0*; ' +
      'membarrier 0 PRIVATE_EXPEDITED; step 0 x3; syscall 1; schedule 1 T2; step 1*; return_to_user 1 sysret; step 0*',
    clause: 'membarrier-ordering C4.3 no barrier after the update the scan missed ((a)-(e) pairing)',
  },
  {
    // cpu1's text_poke() leaves text_poke_mm's mask with its bit still set; cpu0's text_poke() then
    // flushes text_poke_mm with IRQs off although another CPU is in the mask.
    mutant: 'kernel/temp-mm:unuseTemporaryMm:drop-cpu:0@x86/refcount',
    config: { cpus: 2, procs: 1, threads: 2, kthreads: 1 },
    ops: 'syscall 1; text_poke 1 false; step 1*; syscall 0; text_poke 0 false; step 0*',
    clause: 'tlb-coherence C6.5 flush_tlb_mm_range() with IRQs off must IPI',
  },
];

describe('property gaps closed by issue 11', () => {
  it.each(GAPS.map((g) => [g.mutant, g] as const))('%s fails its clause, the base passes', (_id, gap) => {
    const file = `${gap.mutant.split(':')[0]}.ts`;
    const inst = instancesOf(fileSites(file, fs.readFileSync(path.join(ENGINE_DIR, file), 'utf8'))).find((x) => x.id === gap.mutant);
    expect(inst).toBeDefined();
    if (!inst) return;
    const ops = parseOps(gap.ops);
    const mutant = driveOps(mutantFactory(inst.site).createEngine(inst.engine) as Engine<unknown>, gap.config, ops);
    const base = driveOps(createEngine(inst.engine) as Engine<unknown>, gap.config, ops);
    expect([mutant.stopped, base.stopped]).toEqual([null, null]);
    expect(checkTrace(mutant.events).map((v) => `${v.property} ${v.clause}`)).toEqual([gap.clause]);
    expect(checkTrace(base.events)).toEqual([]);
  });
});
