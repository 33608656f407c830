/**
 * Every recorded hand-built kill (./hand-kills.ts): the mutant fails exactly its clause on the
 * hand-built run, the unmutated engine passes the same ops.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createEngine } from '../engine/build';
import type { Engine, Knobs } from '../engine/contract';
import type { EngineSpec } from '../run/types';
import { checkTrace } from '../../properties/index';
import { ENGINE_DIR, fileSites } from './enumerate';
import { instancesOf, mutantFactory } from './instances';
import { driveOps, parseOps } from './hand-ops';
import { EXEC_IN_GLOBAL_WINDOW, HAND_KILLS, handKillFor } from './hand-kills';
import { createMembarrierOrdering } from '../../properties/membarrier-ordering';
import type { InitEvent, TraceEvent } from '../trace/events';

/** The first violation of membarrier-ordering without C4.1 (the scan's skip itself). */
function c4WithoutRqState(events: TraceEvent[]): string | null {
  const m = createMembarrierOrdering({ rqStateClause: false }).monitor(events[0] as InitEvent);
  for (let i = 1; i < events.length; i++) {
    const v = m.observe(events[i], i);
    if (v) return v.clause;
  }
  return m.finish()?.clause ?? null;
}

/** The mutant instance `id` (`<site id>@<arch>/<strategy>`), found in its engine source file. */
function instanceOf(id: string) {
  const file = `${id.split(':')[0]}.ts`;
  return instancesOf(fileSites(file, fs.readFileSync(path.join(ENGINE_DIR, file), 'utf8'))).find((x) => x.id === id);
}

/** The instance's engine (its fix knobs) with a hand-built kill's knobs on top. */
const specWith = (inst: { engine: EngineSpec }, knobs: Knobs | undefined): EngineSpec => ({ ...inst.engine, knobs: { ...inst.engine.knobs, ...knobs } });

describe('hand-built kills', () => {
  it.each(HAND_KILLS.map((h) => [h.mutant, h] as const))('%s fails its clause, the base passes', (_id, kill) => {
    const inst = instanceOf(kill.mutant);
    expect(inst).toBeDefined();
    if (!inst) return;
    const ops = parseOps(kill.ops);
    const spec = specWith(inst, kill.knobs);
    const mutant = driveOps(mutantFactory(inst.site).createEngine(spec) as Engine<unknown>, kill.config, ops);
    const base = driveOps(createEngine(spec) as Engine<unknown>, kill.config, ops);
    expect([mutant.stopped, base.stopped]).toEqual([null, null]);
    expect(checkTrace(mutant.events).map((v) => `${v.property} ${v.clause}`)).toEqual([kill.clause]);
    expect(checkTrace(base.events)).toEqual([]);
  });

  /** The ops of another arch's hand-built kill of the same site. */
  const opsOf = (mutant: string) => {
    const kill = HAND_KILLS.find((h) => h.mutant === mutant);
    if (!kill) throw new Error(mutant);
    return { config: kill.config, ops: kill.ops };
  };
  it.each([
    // __schedule()'s smp_mb__after_spinlock(): rq_lock()'s LOCK CMPXCHG is the barrier.
    ['kernel/sched:schedule:drop-mb:0', opsOf('kernel/sched:schedule:drop-mb:0@powerpc/shootdown'), { fn: 'rq_lock', how: 'lock' }],
    // membarrier_exec_mmap()'s smp_mb(): task_lock()'s LOCK CMPXCHG comes right before it.
    ['kernel/exec:stepExecMmap:drop-mb:0', EXEC_IN_GLOBAL_WINDOW, { fn: 'task_lock', how: 'lock' }],
    // ipi_mb()'s smp_mb(): the IRET ending the kernel-mode IPI is a full barrier.
    ['kernel/ipi:runIpiFunc:drop-mb:0', opsOf('kernel/ipi:runIpiFunc:drop-mb:0@powerpc/shootdown'), { fn: 'iret' }],
  ] as const)('%s is equivalent on x86: cpu1 has the barrier anyway', (site, run0, barrier) => {
    const inst = instanceOf(`${site}@x86/refcount`);
    expect(inst).toBeDefined();
    if (!inst) return;
    const run = driveOps(mutantFactory(inst.site).createEngine(inst.engine) as Engine<unknown>, run0.config, parseOps(run0.ops));
    expect(run.stopped).toBeNull();
    expect(run.events.some((e) => e.k === 'mb' && e.cpu === 1 && e.fn === barrier.fn && ('how' in barrier ? e.how === barrier.how : true))).toBe(true);
    expect(checkTrace(run.events)).toEqual([]);
  });

  it.each(HAND_KILLS.filter((h) => h.knobs?.storeBuffer === 'rq-membarrier-state').map((h) => [h.mutant, h] as const))('%s: the scan then skips the CPU, so C4 fails with C4.1 off too', (_id, kill) => {
    const inst = instanceOf(kill.mutant);
    if (!inst) throw new Error(kill.mutant);
    const run = driveOps(mutantFactory(inst.site).createEngine(specWith(inst, kill.knobs)) as Engine<unknown>, kill.config, parseOps(kill.ops));
    const scan = run.events.find((e) => e.k === 'membarrier_scan');
    expect(scan).toMatchObject({ target: 0, rqMembarrierState: 0, selected: false });
    expect(c4WithoutRqState(run.events)).toBe('C4 interval spans the window (no IPI barrier)');
  });

  it('the single-user registration without its smp_mb() is equivalent on x86 with the store buffer: atomic_or(READY) is a LOCK OR', () => {
    const arm64 = HAND_KILLS.find((h) => h.mutant === 'kernel/membarrier:stepRegister:drop-mb:0@arm64/refcount');
    const inst = instanceOf('kernel/membarrier:stepRegister:drop-mb:0@x86/refcount');
    expect(arm64 && inst).toBeTruthy();
    if (!arm64 || !inst) return;
    const run = driveOps(mutantFactory(inst.site).createEngine(specWith(inst, arm64.knobs)) as Engine<unknown>, arm64.config, parseOps(arm64.ops));
    expect(run.stopped).toBeNull();
    expect(run.events.some((e) => e.k === 'rq_membarrier_state' && e.drainedBy === 'atomic_or')).toBe(true);
    expect(checkTrace(run.events)).toEqual([]);
  });

  it('finds a kill by its instance id, and none for an unrecorded one or without the knobs it needs', () => {
    expect(handKillFor('kernel/sched:schedule:drop-mb:0@powerpc/shootdown')?.kind).toBe('search gap');
    expect(handKillFor('kernel/sched:schedule:drop-mb:0@x86/refcount')).toBeUndefined();
    expect(handKillFor('kernel/ipi:runIpiFunc:drop-mb:0@x86/refcount')).toBeUndefined();
    // The store buffer is on by default (docs/store-buffer.md): its kills apply unless the engine sets storeBuffer=none.
    expect(handKillFor('kernel/ipi:runIpiFunc:drop-mb:3@arm64/refcount')?.kind).toBe('model gap closed');
    expect(handKillFor('kernel/ipi:runIpiFunc:drop-mb:3@arm64/refcount', { storeBuffer: 'rq-membarrier-state' })?.kind).toBe('model gap closed');
    expect(handKillFor('kernel/ipi:runIpiFunc:drop-mb:3@arm64/refcount', { storeBuffer: 'none' })).toBeUndefined();
    // The loaded_mm kill needs the second location, in the default value only.
    expect(handKillFor('arch/x86:switchMmBegin:drop-mb:1@x86/refcount')?.kind).toBe('model gap closed');
    expect(handKillFor('arch/x86:switchMmBegin:drop-mb:1@x86/refcount', { storeBuffer: 'rq-membarrier-state' })).toBeUndefined();
  });
});
