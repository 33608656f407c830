import type { ModelConfig } from '../src/engine/contract';
import type { Op } from '../src/engine/ops';
import { createEngine } from '../src/engine/build';
import type { InitEvent } from '../src/trace/events';
import { createTraceChecker, propertyById, type Property, type Violation } from '../properties';
import { cpuMaps, cpuPermutations, opsForSmallerConfig, taskRenamings } from './config-renaming';
import { minimizeWithConfig } from './minimize';
import { replayMonitored } from './monitored-run';

const cfg = (cpus: number, procs: number, threads: number, kthreads: number): ModelConfig => ({ cpus, procs, threads, kthreads });
const steps = (cpu: number, n: number): Op[] => Array.from({ length: n }, () => ({ op: 'step', cpu }));

describe('renamings onto a smaller configuration', () => {
  it('lists CPU permutations, the identity first', () => {
    expect(cpuPermutations(1)).toEqual([[0]]);
    expect(cpuPermutations(2)).toEqual([[0, 1], [1, 0]]);
    expect(cpuPermutations(3)).toHaveLength(6);
    expect(cpuPermutations(3)[0]).toEqual([0, 1, 2]);
  });

  it('maps CPUs by permutations, then, when one is removed, by folds of two CPUs into one', () => {
    expect(cpuMaps(2, 2)).toEqual([[0, 1], [1, 0]]);
    const maps = cpuMaps(3, 2);
    expect(maps.slice(0, 6)).toEqual(cpuPermutations(3));
    expect(maps.slice(6)).toEqual([[0, 0, 1], [0, 1, 0], [0, 1, 1], [1, 0, 0], [1, 0, 1], [1, 1, 0]]);
    expect(cpuMaps(2, 1).slice(2)).toEqual([[0, 0]]);
  });

  it('folds a kthread\'s stint on a removed CPU onto another CPU instead of dropping it', () => {
    const ops: Op[] = [{ op: 'schedule', cpu: 1, next: 'K1' }, { op: 'schedule', cpu: 1, next: 'idle1' }, { op: 'schedule', cpu: 2, next: 'K1' }];
    const lists = [...opsForSmallerConfig(ops, cfg(3, 1, 1, 1), cfg(2, 1, 1, 1))];
    expect(lists[0]).toEqual(ops.slice(0, 2)); // the identity drops CPU 2's ops
    expect(lists).toContainEqual([ops[0], ops[1], { op: 'schedule', cpu: 1, next: 'K1' }]); // CPU 2 folded onto CPU 1
  });

  it('renames threads process by process, and forked tasks by the count removed', () => {
    // 2 processes of 3 threads (T1-T3 in mm1, T4-T6 in mm2) to 2 of 2: remove thread 2 of each.
    const [identity, , second] = taskRenamings(cfg(2, 2, 3, 0), cfg(2, 2, 2, 0));
    expect(['T1', 'T2', 'T3', 'T4', 'T6', 'T7', 'K1', 'idle0'].map(second.task)).toEqual(['T1', null, 'T2', 'T3', 'T4', 'T5', 'K1', 'idle0']);
    expect(identity.task('T5')).toBe('T5');
  });

  it('removes a process with its mm and shifts the later ones, forked mms included', () => {
    const renamings = taskRenamings(cfg(2, 3, 1, 0), cfg(2, 2, 1, 0));
    expect(renamings).toHaveLength(4); // the identity, then removing process 1, 2, 3
    const first = renamings[1];
    expect(['T1', 'T2', 'T3', 'T4'].map(first.task)).toEqual([null, 'T1', 'T2', 'T3']);
    expect(['mm1', 'mm2', 'mm3', 'mm4', 'init_mm'].map(first.mm)).toEqual([null, 'mm1', 'mm2', 'mm3', 'init_mm']);
  });

  it('removes any kthread', () => {
    const renamings = taskRenamings(cfg(2, 1, 1, 3), cfg(2, 1, 1, 2));
    expect(renamings.map((r) => ['K1', 'K2', 'K3'].map(r.task))).toEqual([
      ['K1', 'K2', 'K3'],
      [null, 'K1', 'K2'],
      ['K1', null, 'K2'],
    ]);
  });

  it('drops ops on a removed CPU or naming a removed task, and yields each list once', () => {
    const ops: Op[] = [{ op: 'schedule', cpu: 0, next: 'K2' }, { op: 'nmi', cpu: 2 }, { op: 'kthread_use_mm', cpu: 1, mm: 'mm1' }];
    const lists = [...opsForSmallerConfig(ops, cfg(3, 1, 1, 2), cfg(2, 1, 1, 2))];
    expect(lists[0]).toEqual([ops[0], ops[2]]);
    expect(new Set(lists.map((l) => JSON.stringify(l))).size).toBe(lists.length);
    const fewerKthreads = [...opsForSmallerConfig(ops, cfg(2, 1, 1, 2), cfg(2, 1, 1, 1))];
    expect(fewerKthreads[0]).toEqual([ops[0], ops[2]]); // the identity: the lenient replay skips the schedule to K2, gone
    expect(fewerKthreads).toContainEqual([{ op: 'schedule', cpu: 0, next: 'K1' }, ops[2]]);
  });
});

describe('minimizeWithConfig lowers a configuration whose bug needs a task the identity removes', () => {
  const spec = { arch: 'x86', strategy: 'refcount', knobs: { membarrierSwitchMmFix: true, syncCoreOnLazySameMmSwitch: true } } as const;
  const run = (variant: string, property: string, config: ModelConfig, ops: Op[]) => {
    const engine = createEngine({ ...spec, variant });
    const make = (init: InitEvent) => createTraceChecker(init, [propertyById(property) as Property]);
    const first = replayMonitored(engine, config, ops, make);
    expect(first.violation?.property).toBe(property);
    return minimizeWithConfig(engine, config, ops, make, first.violation as Violation, { floor: cfg(2, 1, 1, 0), sameClause: false });
  };

  it('text-poke-no-leave-mm through the second of two kthreads: 2/1/1/2 to 2/1/1/1', () => {
    // The 6-op counterexample of seed 1 on 2/1/1/1, with K2 for K1.
    const ops: Op[] = [{ op: 'preempt', cpu: 0, next: 'K2' }, ...steps(0, 3), { op: 'efi_call', cpu: 0 }, ...steps(0, 1)];
    const best = run('text-poke-no-leave-mm', 'tlb-coherence', cfg(2, 1, 1, 2), ops);
    expect(best.config).toEqual(cfg(2, 1, 1, 1));
    expect(best.outcome.ops).toHaveLength(6);
  });

  it('no-lazy-mmgrab in the second process, on CPU 1: 2/2/1/0 to 2/1/1/0 (process 1 removed, CPUs swapped)', () => {
    const ops: Op[] = [{ op: 'preempt', cpu: 1, next: 'idle1' }, ...steps(1, 3)];
    const best = run('no-lazy-mmgrab', 'refcount-balance', cfg(2, 2, 1, 0), ops);
    expect(best.config).toEqual(cfg(2, 1, 1, 0));
    expect(best.outcome.ops).toEqual([{ op: 'preempt', cpu: 0, next: 'idle0' }, ...steps(0, 3)]);
  });
});
