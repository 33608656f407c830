import { runCheck } from './check';
import { variantCheckOptions } from './variant-check';
import { cappedAt, RESTART_RUNS, shrinkByRestarts, shrunkFurther, type RestartRun } from './restart-shrink';
import { createEngine } from '../src/engine/registry';
import { replayOps } from './interleaving';
import { checkTrace, propertyById } from '../properties';
import type { CheckResult, Counterexample } from '../src/run/types';
import type { ModelConfig } from '../src/engine/contract';
import type { Op } from '../src/engine/ops';

const cfg = (cpus: number, procs: number, threads: number, kthreads: number): ModelConfig => ({ cpus, procs, threads, kthreads });
const steps = (n: number): Op[] => Array.from({ length: n }, () => ({ op: 'step', cpu: 0 }) as Op);
const cx = (length: number, config: ModelConfig, property = 'refcount-balance'): Counterexample => ({
  config,
  ops: steps(length),
  property,
  clause: 'C1.1 lazy holder without reference',
  eventIndex: 1,
  message: 'm',
  seed: 7,
  path: 'p',
});
const result = (c: Counterexample | undefined): CheckResult => ({ engine: 'x86/refcount', properties: ['refcount-balance'], runs: 10, opsExecuted: 100, seconds: 0, result: c ? 'fail' : 'pass', counterexample: c });

describe('restarts: the order and the machine bounds', () => {
  it('prefers shorter, then as long on a machine smaller in one field and larger in none', () => {
    expect(shrunkFurther(cx(5, cfg(3, 2, 2, 1)), cx(6, cfg(2, 1, 1, 0)))).toBe(true);
    expect(shrunkFurther(cx(6, cfg(2, 1, 1, 0)), cx(5, cfg(3, 2, 2, 1)))).toBe(false);
    expect(shrunkFurther(cx(6, cfg(2, 1, 1, 0)), cx(6, cfg(2, 1, 2, 0)))).toBe(true);
    expect(shrunkFurther(cx(6, cfg(2, 1, 2, 0)), cx(6, cfg(2, 1, 2, 0)))).toBe(false);
    // Incomparable machines of one length: neither replaces the other.
    expect(shrunkFurther(cx(6, cfg(2, 2, 1, 0)), cx(6, cfg(2, 1, 2, 0)))).toBe(false);
  });

  it('caps every maximum at the counterexample machine and keeps the minima at or below it', () => {
    expect(cappedAt(cfg(3, 1, 2, 0))).toEqual({ minCpus: 2, maxCpus: 3, minProcs: 1, maxProcs: 1, minThreads: 1, maxThreads: 2, minKthreads: 0, maxKthreads: 0 });
    expect(cappedAt(cfg(2, 1, 1, 1), { minKthreads: 2, maxKthreads: 3 })).toMatchObject({ minKthreads: 1, maxKthreads: 1 });
  });
});

describe('restarts: what is run again and what is kept', () => {
  const record = (answers: (Counterexample | undefined)[]) => {
    const runs: RestartRun[] = [];
    const rerun = (run: RestartRun): CheckResult => {
      runs.push(run);
      return result(answers[runs.length - 1]);
    };
    return { runs, rerun };
  };

  it('reruns the counterexample property on machines no larger than the first counterexample, with derived seeds, and keeps the best', () => {
    const first = cx(20, cfg(3, 1, 2, 0));
    const r = result(first);
    const { runs, rerun } = record([cx(25, cfg(2, 1, 1, 0)), cx(17, cfg(2, 1, 2, 0)), cx(17, cfg(2, 1, 1, 0))]);
    shrinkByRestarts(r, { restarts: 3, exhaustiveOps: 10 }, 4, rerun);
    expect(runs).toHaveLength(3);
    expect(runs.every((x) => x.runs === RESTART_RUNS && x.properties.join() === 'refcount-balance' && x.config === undefined)).toBe(true);
    expect(runs.every((x) => x.configConstraints?.maxCpus === 3 && x.configConstraints?.maxThreads === 2 && x.configConstraints?.maxKthreads === 0)).toBe(true);
    expect(new Set(runs.map((x) => x.seed)).size).toBe(3);
    expect(r.counterexample!.ops).toHaveLength(17);
    expect(r.counterexample!.config).toEqual(cfg(2, 1, 1, 0));
    // The check's own seed stays; the path says which restart gave the counterexample.
    expect(r.counterexample!.seed).toBe(7);
    expect(r.counterexample!.path).toMatch(/^p \/ restart 2 .* \/ restart 3 /);
  });

  it('keeps a fixed configuration, and ignores another property and longer counterexamples', () => {
    const r = result(cx(20, cfg(2, 1, 1, 1)));
    const { runs, rerun } = record([cx(12, cfg(2, 1, 1, 1), 'tlb-coherence'), cx(21, cfg(2, 1, 1, 1)), undefined]);
    shrinkByRestarts(r, { config: cfg(2, 1, 1, 1), restarts: 3 }, 1, rerun);
    expect(runs.map((x) => x.config)).toEqual([cfg(2, 1, 1, 1), cfg(2, 1, 1, 1), cfg(2, 1, 1, 1)]);
    expect(runs.every((x) => x.configConstraints === undefined)).toBe(true);
    expect(r.counterexample!.ops).toHaveLength(20);
    expect(r.counterexample!.path).toBe('p');
  });

  it('does not restart a counterexample the exhaustive pass covered, an unminimised check, or an engine failure', () => {
    for (const [c, options] of [
      [cx(10, cfg(2, 1, 1, 0)), { exhaustiveOps: 10 }],
      [cx(30, cfg(2, 1, 1, 0)), { minimize: false }],
      [cx(30, cfg(2, 1, 1, 0)), { restarts: 0 }],
      [cx(30, cfg(2, 1, 1, 0), 'engine-contract'), {}],
    ] as const) {
      const { runs, rerun } = record([]);
      shrinkByRestarts(result(c), options, 1, rerun);
      expect(runs).toHaveLength(0);
    }
  });
});

describe('restarts in runCheck', () => {
  it('replace a local minimum by a fresh run shrunk on a smaller machine (hotplug-clears-cpumask-while-lazy seed 8: 26 ops on 3/1/3/0 -> 17 on 2/1/1/0)', () => {
    const options = variantCheckOptions('hotplug-clears-cpumask-while-lazy', { seed: 8, runs: 4000 });
    const alone = runCheck({ ...options, restarts: 0 }).counterexample!;
    expect([alone.ops.length, alone.config]).toEqual([26, cfg(3, 1, 3, 0)]);
    const c = runCheck(options).counterexample!;
    // 17 on 2/1/1/0 is the variant's exhaustive minimum (bench/minima.json).
    expect([c.ops.length, c.config]).toEqual([17, cfg(2, 1, 1, 0)]);
    expect(c.path).toContain('restart');
    const { events } = replayOps(createEngine(options.engine), c.config, c.ops);
    expect(checkTrace(events, [propertyById(c.property)!])[0]).toMatchObject({ property: c.property, clause: c.clause, index: c.eventIndex });
    // Deterministic: the restarts' seeds derive from the check's.
    expect(runCheck(options).counterexample).toEqual(c);
  });
});
