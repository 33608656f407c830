/**
 * Restarts: the last pass of runCheck's shrinking (./check.ts). Deletion, the moves of
 * ./minimize-moves.ts and the search-based pass (./exhaustive-shrink.ts) all start from the one
 * counterexample the random search happened to find, and stop in the local minimum nearest to it:
 * a 38-op form that migrates a thread and registers another membarrier command, where a fresh
 * failing run of the same machine shrinks to 21 ops; a 26-op form on 3 CPUs and 3 threads where the
 * bug needs 2 CPUs and 1 thread. So the check is run again, `restarts` times, each with its own
 * seed (derived from the check's, so a check still gives the same result every time), on machines
 * no larger than the first counterexample's (a generated configuration is capped field by field at
 * it; a fixed one stays fixed), for the counterexample's property only and with the check's
 * differential criterion, and every failing run is shrunk by the minimiser and the search-based
 * pass (without restarts of its own). A restart's counterexample replaces the current one when it
 * is shorter, or as long on a smaller machine (the minimiser's own order, ./minimize.ts
 * minimizeWithConfig()). Every restart is capped at the *first* machine, not the best so far: a
 * 22-op form on 2/1/1/0 must not keep the next restarts from the 19-op form on 2/1/2/0.
 *
 * A counterexample of at most the exhaustive pass's `maxOps` ops gets no restart: that pass has
 * already searched every shorter interleaving on its machine and on each smaller one.
 */
import type { ModelConfig } from '../src/engine/contract';
import type { CheckResult, Counterexample } from '../src/run/types';
import { propertyById } from '../properties';
import { resolveModelConfigConstraints, type ModelConfigConstraints } from './config';
import { deriveSeed } from './seed';

/** Restarts per check (the RunCheckOptions default). */
export const DEFAULT_RESTARTS = 3;

/**
 * Random runs of each restart (a restart that finds no failure in them changes nothing; one that
 * does stops at its first). 1000, not the first 400: across the 18 variants x 10 seeds no seed got
 * longer, switching-store-no-mb-in-cpumask went from 5 to 9 seeds at its minimum, and seven seeds of
 * flush-skips-switching-cpu, switching-store-after-tlb-gen-read and kthread-use-mm-same-mm-no-sync-core
 * got 2-8 ops shorter, for no measurable time (a restart on a machine where the bug is easy stops early).
 */
export const RESTART_RUNS = 1000;
/**
 * fast-check shrink runs of each restart: none. On a restart's failing run the op-level minimiser
 * and the search-based pass do the shortening; fast-check's choice-list shrinking before them costs
 * most of a check's shrink time (1.0 of 1.3 s for a variant's 500 runs, 4 of 5 s for a check's
 * default 5,000) and changed no restart's result in the measurement (docs/explore.md).
 */
export const RESTART_SHRINK_BUDGET = 0;

/** What the pass reads of the check's options (RunCheckOptions has them). */
export interface RestartOptions {
  config?: ModelConfig;
  configConstraints?: ModelConfigConstraints;
  minimize?: boolean;
  /** How many restarts (default DEFAULT_RESTARTS; 0: none). */
  restarts?: number;
  /** The length at or below which the search-based pass already searched exhaustively (no restart). */
  exhaustiveOps?: number;
}

/** What one restart changes in the check's options. */
export interface RestartRun {
  seed: number;
  shrinkBudget: number;
  runs: number;
  properties: string[];
  config?: ModelConfig;
  configConstraints?: ModelConfigConstraints;
}

/**
 * Replaces `result.counterexample` in place by the best restart's (see the file comment). `rerun`
 * runs the check with the restart's changes and no restarts of its own; `checkSeed` is the seed the
 * check ran with.
 */
export function shrinkByRestarts(result: CheckResult, options: RestartOptions, checkSeed: number, rerun: (run: RestartRun) => CheckResult): void {
  const restarts = options.restarts ?? DEFAULT_RESTARTS;
  const first = result.counterexample;
  if (restarts <= 0 || options.minimize === false || !first || propertyById(first.property) === undefined) return;
  if (first.ops.length <= (options.exhaustiveOps ?? 0)) return;
  const t0 = performance.now();
  for (let i = 1; i <= restarts; i++) {
    const current = result.counterexample!;
    const seed = deriveSeed(`restart ${i} of seed ${checkSeed}`);
    const machine = options.config !== undefined ? { config: options.config } : { configConstraints: cappedAt(first.config, options.configConstraints) };
    const r = rerun({ seed, shrinkBudget: RESTART_SHRINK_BUDGET, runs: RESTART_RUNS, properties: [current.property], ...machine });
    const cx = r.counterexample;
    if (!cx || cx.property !== current.property || !shrunkFurther(cx, current)) continue;
    result.counterexample = { ...cx, seed: current.seed, path: `${current.path} / restart ${i} (seed ${seed}): ${cx.path}` };
  }
  result.seconds += (performance.now() - t0) / 1000;
}

/** The check's configuration bounds with every maximum lowered to `config`'s field (and every minimum to at most that). */
export function cappedAt(config: ModelConfig, constraints?: ModelConfigConstraints): ModelConfigConstraints {
  const c = resolveModelConfigConstraints(constraints);
  return {
    minCpus: Math.min(c.minCpus, config.cpus),
    maxCpus: config.cpus,
    minProcs: Math.min(c.minProcs, config.procs),
    maxProcs: config.procs,
    minThreads: Math.min(c.minThreads, config.threads),
    maxThreads: config.threads,
    minKthreads: Math.min(c.minKthreads, config.kthreads),
    maxKthreads: config.kthreads,
  };
}

/** `a` is shorter than `b`, or as long on a machine no larger in any field and smaller in one. */
export function shrunkFurther(a: Pick<Counterexample, 'ops' | 'config'>, b: Pick<Counterexample, 'ops' | 'config'>): boolean {
  if (a.ops.length !== b.ops.length) return a.ops.length < b.ops.length;
  const fields = ['cpus', 'procs', 'threads', 'kthreads'] as const;
  return fields.every((k) => a.config[k] <= b.config[k]) && fields.some((k) => a.config[k] < b.config[k]);
}
