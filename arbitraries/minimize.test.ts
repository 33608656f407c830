import type { Op } from '../src/engine/ops';
import { minimizeOps, pathUnits } from './minimize';
import { collapsedExcursions, cpuTranspositions, mergedEntries, relabelOp, replacements } from './minimize-moves';
import { differentialCriterion } from './differential-criterion';
import { replayMonitored } from './monitored-run';
import { createEngine } from '../src/engine/build';
import type { InitEvent } from '../src/trace/events';
import { createTraceChecker, propertyById, type Property, type Violation } from '../properties';
import { runChoices } from './interleaving';
import { createToyEngine } from './test-helpers/toy-engine';
import { oneSchedulerAtATime } from './test-helpers/toy-checker';

describe('pathUnits', () => {
  it('groups each op with the later steps of its CPU, across other CPUs\' ops', () => {
    const ops: Op[] = [
      { op: 'step', cpu: 1 },
      { op: 'schedule', cpu: 0, next: 'K1' },
      { op: 'nmi', cpu: 1 },
      { op: 'step', cpu: 0 },
      { op: 'step', cpu: 1 },
      { op: 'step', cpu: 0 },
      { op: 'syscall', cpu: 0 },
    ];
    expect(pathUnits(ops)).toEqual([[0], [1, 3, 5], [2, 4], [6]]);
  });
});

describe('minimizeOps', () => {
  it('drops the ops a violation does not need, keeping every op enabled', () => {
    const engine = createToyEngine();
    const config = { cpus: 3, procs: 1, threads: 1, kthreads: 2 };
    // A long run that ends in a violation: add ops until two CPUs are in __schedule together.
    const run = runChoices(engine, config, Array.from({ length: 200 }, (_, i) => i * 7919));
    const checker = oneSchedulerAtATime(run.events[0] as never);
    const at = run.events.findIndex((ev, i) => i > 0 && checker.observe(ev, i).length > 0);
    expect(at).toBeGreaterThan(0);
    const out = minimizeOps(engine, config, run.ops, oneSchedulerAtATime, {
      property: 'toy-one-scheduler',
      clause: 'T1 two CPUs in __schedule',
    });
    expect(out.violation?.property).toBe('toy-one-scheduler');
    expect(out.ops.length).toBeLessThanOrEqual(3);
  });

  it('refuses ops that do not violate the target', () => {
    const engine = createToyEngine();
    expect(() =>
      minimizeOps(engine, { cpus: 2, procs: 1, threads: 1, kthreads: 0 }, [], oneSchedulerAtATime, {
        property: 'toy-one-scheduler',
        clause: 'T1 two CPUs in __schedule',
      }),
    ).toThrow(/do not violate/);
  });
});

describe('minimizeOps moves beyond deletion (./minimize-moves.ts)', () => {
  it('lists CPU transpositions and relabels idle tasks with their CPU', () => {
    expect(cpuTranspositions(1)).toEqual([]);
    expect(cpuTranspositions(2)).toEqual([[1, 0]]);
    expect(cpuTranspositions(3)).toEqual([[1, 0, 2], [2, 1, 0], [0, 2, 1]]);
    expect(relabelOp({ op: 'schedule', cpu: 1, next: 'idle1' }, [1, 0])).toEqual({ op: 'schedule', cpu: 0, next: 'idle0' });
    expect(relabelOp({ op: 'preempt', cpu: 0, next: 'T1' }, [1, 0])).toEqual({ op: 'preempt', cpu: 1, next: 'T1' });
  });

  it('drops a migration prefix by relabelling CPUs: sync-core-skips-caller from 24 ops to the 13-op minimum', () => {
    const spec = { arch: 'x86', strategy: 'refcount', variant: 'sync-core-skips-caller', knobs: { membarrierSwitchMmFix: true, syncCoreOnLazySameMmSwitch: true } } as const;
    const engine = createEngine(spec);
    const config = { cpus: 2, procs: 1, threads: 1, kthreads: 0 };
    const steps = (cpu: number, n: number): Op[] => Array.from({ length: n }, () => ({ op: 'step', cpu }));
    // A local minimum of deletion (seed 2 of the bench): T1 first migrates to CPU 1, then the bug.
    const ops: Op[] = [
      { op: 'preempt', cpu: 0, next: 'idle0' }, ...steps(0, 3),
      { op: 'schedule', cpu: 1, next: 'T1' }, ...steps(1, 5),
      { op: 'return_to_user', cpu: 1, via: 'iret' },
      { op: 'syscall', cpu: 1 },
      { op: 'membarrier_register', cpu: 1, cmd: 'PRIVATE_EXPEDITED_SYNC_CORE' }, ...steps(1, 3),
      { op: 'membarrier', cpu: 1, cmd: 'PRIVATE_EXPEDITED_SYNC_CORE' }, ...steps(1, 6),
      { op: 'return_to_user', cpu: 1, via: 'sysret' },
    ];
    const make = (init: InitEvent) => createTraceChecker(init, [propertyById('sync-core-before-usermode') as Property]);
    const first = replayMonitored(engine, config, ops, make);
    expect(first.violation?.property).toBe('sync-core-before-usermode');
    const out = minimizeOps(engine, config, ops, make, first.violation as Violation);
    expect(out.ops).toHaveLength(13); // 12 before issue 12 item 6 (a single-user registration is one step longer)
    expect(out.ops.every((op) => op.cpu === 0)).toBe(true);
  });
});

describe('minimizeOps: replace-one and merged entries', () => {
  const spec = { arch: 'x86', strategy: 'refcount', variant: 'text-poke-no-leave-mm', knobs: { membarrierSwitchMmFix: true, syncCoreOnLazySameMmSwitch: true } } as const;
  const config = { cpus: 2, procs: 1, threads: 1, kthreads: 1 };
  const steps = (cpu: number, n: number): Op[] => Array.from({ length: n }, () => ({ op: 'step', cpu }));
  const make = (init: InitEvent) => createTraceChecker(init, [propertyById('tlb-coherence') as Property]);
  const shrink = (ops: Op[]) => {
    const engine = createEngine(spec);
    const first = replayMonitored(engine, config, ops, make);
    expect(first.violation?.property).toBe('tlb-coherence');
    return minimizeOps(engine, config, ops, make, first.violation as Violation, { sameClause: false }).ops;
  };

  it('lists the candidates', () => {
    expect([...mergedEntries([{ op: 'syscall', cpu: 0 }, { op: 'nmi', cpu: 1 }, { op: 'schedule', cpu: 0, next: 'K1' }])]).toEqual([[{ op: 'nmi', cpu: 1 }, { op: 'preempt', cpu: 0, next: 'K1' }]]);
    expect([...mergedEntries([{ op: 'syscall', cpu: 0 }, { op: 'step', cpu: 0 }, { op: 'schedule', cpu: 0, next: 'K1' }])]).toEqual([]);
    const r = [...replacements([{ op: 'text_poke', cpu: 1, sync: true }])];
    expect(r).toContainEqual([{ op: 'efi_call', cpu: 1 }]);
    expect(r).not.toContainEqual([{ op: 'text_poke', cpu: 1, sync: true }]);
  });

  it('text_poke -> efi_call lets deletion reach the 6-op minimum (bench seed 1 of text-poke-no-leave-mm)', () => {
    const ops: Op[] = [{ op: 'preempt', cpu: 0, next: 'K1' }, ...steps(0, 3), { op: 'text_poke', cpu: 0, sync: true }, ...steps(0, 2), { op: 'ipi', cpu: 1 }, ...steps(0, 1)];
    const out = shrink(ops);
    expect(out).toHaveLength(6);
    expect(out).toContainEqual({ op: 'efi_call', cpu: 0 });
  });

  it('syscall + schedule(next) becomes preempt(next) (bench seed 2)', () => {
    const ops: Op[] = [{ op: 'syscall', cpu: 0 }, { op: 'schedule', cpu: 0, next: 'K1' }, ...steps(0, 3), { op: 'efi_call', cpu: 0 }, ...steps(0, 1)];
    expect(shrink(ops)).toEqual([{ op: 'preempt', cpu: 0, next: 'K1' }, ...steps(0, 3), { op: 'efi_call', cpu: 0 }, ...steps(0, 1)]);
  });
});

describe('minimizeOps: collapsed excursions', () => {
  const steps = (cpu: number, n: number): Op[] => Array.from({ length: n }, () => ({ op: 'step', cpu }));

  it('lists one op (or none) of the CPU in place of two or more of its units, anywhere in their span', () => {
    const ops: Op[] = [{ op: 'syscall', cpu: 1 }, { op: 'nmi', cpu: 0 }, { op: 'return_to_user', cpu: 1, via: 'sysret' }];
    const c = [...collapsedExcursions(ops, { cpus: 2, procs: 1, threads: 1, kthreads: 0 })];
    expect(c).toContainEqual([{ op: 'nmi', cpu: 0 }]);
    expect(c).toContainEqual([{ op: 'ipi', cpu: 1 }, { op: 'nmi', cpu: 0 }]);
    expect(c).toContainEqual([{ op: 'nmi', cpu: 0 }, { op: 'preempt', cpu: 1, next: 'idle1' }]);
    expect(c.every((x) => x.length < ops.length)).toBe(true);
    expect(new Set(c.map((x) => JSON.stringify(x))).size).toBe(c.length); // no candidate twice
  });

  it("CPU 1's switch to idle and back becomes one IPI: exit-mm-no-barrier from a 28-op local minimum of deletion to 19 (bench seed 2)", () => {
    const spec = { arch: 'arm64', strategy: 'refcount', variant: 'exit-mm-no-barrier', knobs: { membarrierSwitchMmFix: true, syncRunqueuesFreshState: true, gadgetWorkerMmget: true } } as const;
    const base = { arch: 'arm64', strategy: 'refcount', knobs: spec.knobs } as const;
    const config = { cpus: 2, procs: 1, threads: 2, kthreads: 0 };
    const ops: Op[] = [
      { op: 'syscall', cpu: 0 }, { op: 'membarrier_register', cpu: 0, cmd: 'PRIVATE_EXPEDITED_SYNC_CORE' },
      { op: 'preempt', cpu: 1, next: 'idle1' }, ...steps(1, 3), ...steps(0, 4),
      { op: 'schedule', cpu: 1, next: 'T2' }, ...steps(1, 2), ...steps(0, 1), ...steps(1, 1), ...steps(0, 1), ...steps(1, 1),
      { op: 'membarrier', cpu: 0, cmd: 'PRIVATE_EXPEDITED_SYNC_CORE' }, { op: 'return_to_user', cpu: 1, via: 'iret' }, ...steps(0, 1),
      { op: 'syscall', cpu: 1 }, { op: 'exit', cpu: 1 }, ...steps(1, 1), ...steps(0, 5),
    ];
    const make = (init: InitEvent) => createTraceChecker(init, [propertyById('membarrier-ordering') as Property]);
    const engine = createEngine(spec);
    const own = differentialCriterion(base);
    const first = replayMonitored(engine, config, ops, make);
    expect(first.violation?.property).toBe('membarrier-ordering');
    expect(own(config, first.ops, first.violation as Violation)).toBe(true);
    const out = minimizeOps(engine, config, ops, make, first.violation as Violation, { sameClause: false, accept: (o) => own(config, o.ops, o.violation as Violation) });
    expect(out.ops).toHaveLength(19);
    expect(out.ops).toContainEqual({ op: 'ipi', cpu: 1 });
    expect(out.ops.some((op) => op.op === 'preempt' || op.op === 'schedule')).toBe(false);
  });
});
