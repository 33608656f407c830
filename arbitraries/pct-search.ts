/**
 * PCT-style priority scheduling (`lazymm check --search pct`): Burckhardt, Kothari, Musuvathi and
 * Nagarakatte, "A Randomized Scheduler with Probabilistic Guarantees of Finding Bugs" (ASPLOS 2010),
 * with the model's CPUs as the threads. Nothing here knows a scenario or a bug.
 *
 * Each run draws a configuration (within the bounds, as the other searches do), a weight profile,
 * a depth d (1 + `changePoints`, drawn from 1..maxChangePoints) and:
 * - a random priority order of the CPUs, all above d;
 * - d - 1 change points: op indices drawn uniformly in [0, maxOps).
 * At every op the CPU with the highest priority among those that can make progress acts (a CPU
 * whose only enabled ops are NMIs and page walks, which change nothing, cannot); the op it runs is
 * chosen among its own enabled ops by the profile's weights (./pick.ts). At the j-th change point
 * the CPU about to act drops to priority d - j, below every CPU that has not changed yet.
 *
 * Why for this model: a window race needs one CPU stopped inside a kernel path (between two of its
 * steps) while another runs the ops that land in the window, then the first resumes. With weighted
 * random choices every op of the other CPUs competes with the first CPU's next step; under PCT the
 * first CPU runs its path undisturbed until a change point stops it anywhere, at a uniformly random
 * op, and the other CPUs then run long stretches of their own. A bug of depth d (d ordering
 * constraints) is hit with probability at least 1 / (n k^(d-1)) per run for n CPUs and k ops.
 *
 * Deterministic for a seed (its own PRNG). The failing run goes through the same minimisation as the
 * other searches (./check-engine.ts turns its ops back into choices).
 */
import type { ModelConfig } from '../src/engine/contract';
import type { Op } from '../src/engine/ops';
import { drawModelConfig, resolveModelConfigConstraints } from './config';
import { monitored } from './monitored-run';
import type { SearchFailure } from './coverage-search';
import type { Weights } from './weights';
import type { SearchRunOptions } from './search-options';
import { mulberry32 as prng } from '../src/trace-io/generate-trace';

/** The knobs of the search itself. */
export interface PctTuning {
  /** Most change points per run (the depth d is 1 + a number drawn from 1..this). */
  maxChangePoints: number;
}

export const DEFAULT_PCT_TUNING: PctTuning = { maxChangePoints: 3 };

/** Options of {@link pctSearch}. */
export interface PctSearchOptions<S> extends SearchRunOptions<S> {
  tuning?: Partial<PctTuning>;
  onRun?: (run: number) => void;
}

export interface PctSearchResult {
  failure: SearchFailure | null;
  runs: number;
  opsExecuted: number;
}

/** Op kinds that change no state (./pick.ts READ_ONLY): a CPU with nothing else cannot make progress. */
const READ_ONLY: ReadonlySet<string> = new Set(['nmi', 'hw_walk']);

/** The schedule of one run: priorities per CPU and the change points. */
export interface PctSchedule {
  /** Priority per CPU (higher acts first). */
  priority: number[];
  /** Op indices at which the acting CPU drops, in order (the j-th drops to d - j). */
  changePoints: number[];
  depth: number;
}

/** Draw a schedule for `cpus` CPUs and runs of `maxOps` ops. */
export function drawSchedule(rnd: () => number, cpus: number, maxOps: number, maxChangePoints: number): PctSchedule {
  const k = 1 + Math.floor(rnd() * Math.max(1, maxChangePoints));
  const depth = k + 1;
  const order = Array.from({ length: cpus }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const priority = new Array<number>(cpus);
  order.forEach((cpu, rank) => (priority[cpu] = depth + rank));
  const changePoints = Array.from({ length: k }, () => Math.floor(rnd() * Math.max(1, maxOps))).sort((a, b) => a - b);
  return { priority, changePoints, depth };
}

/** The CPU that acts next: the highest priority among CPUs with an enabled op that changes state. */
export function actingCpu(enabled: readonly Op[], priority: readonly number[]): number | undefined {
  let best: number | undefined;
  for (const op of enabled) {
    if (READ_ONLY.has(op.op)) continue;
    if (best === undefined || (priority[op.cpu] ?? -1) > (priority[best] ?? -1)) best = op.cpu;
  }
  return best;
}

/** `w` restricted to the ops of one CPU (every op of it keeps at least weight 1, so it can act). */
function onlyCpu(w: Weights, cpu: number): Weights {
  return {
    kinds: w.kinds,
    fallbackKind: w.fallbackKind,
    instance: (op, view) => (op.cpu === cpu ? Math.max(1, w.instance(op, view)) : 0),
    boost: w.boost,
  };
}

/** Run the PCT search; stops at the first counting failure. */
export function pctSearch<S>(o: PctSearchOptions<S>): PctSearchResult {
  const tuning = { ...DEFAULT_PCT_TUNING, ...(o.tuning ?? {}) };
  const rnd = prng(o.seed ^ 0x9c7);
  const int = (n: number) => Math.floor(rnd() * n);
  const bounds = resolveModelConfigConstraints(o.configConstraints);
  const drawConfig = (): ModelConfig => o.config ?? drawModelConfig(bounds, int);
  let opsExecuted = 0;
  for (let r = 1; r <= o.runs; r++) {
    const config = drawConfig();
    const profile = int(o.profiles.length);
    const weights = o.profiles[profile];
    const sched = drawSchedule(rnd, config.cpus, o.maxOps, tuning.maxChangePoints);
    const choices = Array.from({ length: o.maxOps }, () => int(0x7fffffff));
    const out = monitored(o.engine, config, o.makeChecker, 'full', (run, stopped) => {
      let next = 0; // next change point
      for (let i = 0; i < o.maxOps && !stopped(); i++) {
        const enabled = run.enabled();
        let cpu = actingCpu(enabled, sched.priority);
        if (cpu === undefined) {
          if (run.choose(choices[i], weights) === undefined) return; // only read-only ops (or none)
          continue;
        }
        while (next < sched.changePoints.length && sched.changePoints[next] <= i) {
          next++;
          sched.priority[cpu] = sched.depth - next;
          cpu = actingCpu(enabled, sched.priority) as number;
        }
        run.choose(choices[i], onlyCpu(weights, cpu));
      }
    });
    opsExecuted += out.ops.length;
    o.onRun?.(r);
    if (out.error !== null || (out.violation !== null && o.counts(config, out))) {
      return { failure: { config, profile, out, run: r }, runs: r, opsExecuted };
    }
  }
  return { failure: null, runs: o.runs, opsExecuted };
}
