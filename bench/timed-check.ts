/**
 * One named-variant check as the bench measures it: runCheck (arbitraries/check.ts) wired the same
 * way, with the run and time of the first counting failure recorded. Used by ./run.ts (the variant
 * section) and ./variants-store-buffer.ts.
 */
import { DEFAULT_CONFIG } from '../src/engine/contract';
import { createEngine } from '../src/engine/registry';
import type { CheckResult } from '../src/run/types';
import type { InitEvent } from '../src/trace/events';
import { allProperties, createTraceChecker, propertyById, type Property } from '../properties';
import { checkEngine } from '../arbitraries/check-engine';
import { shortenExhaustively } from '../arbitraries/exhaustive-shrink';
import { differentialCriterion, profilesFor, shrinkCheckByRestarts, type RunCheckOptions } from '../arbitraries/check';
import { defaultDifferentialBase, variantNeedsAlignedReplay } from '../arbitraries/variant-check';

const seconds = (t0: number) => (performance.now() - t0) / 1000;

/**
 * runCheck (arbitraries/check.ts), wired the same way, with the time and run of the first counting
 * failure recorded: the differential criterion is wrapped (it is asked about every violation, and
 * the first "yes" is the first failure; fast-check shrinks from there). `shorten` false skips the
 * search-based post-shrink pass and the restarts (a measurement of the first failure only);
 * `restartSeconds` is the restarts' share of `result.seconds`.
 */
export function timedCheck(opts: RunCheckOptions, shorten = true): { result: CheckResult; runsToFailure: number | null; secondsToFailure: number | null; restartSeconds: number } {
  const t0 = performance.now();
  const engine = createEngine(opts.engine);
  const init = engine.init(opts.config ?? DEFAULT_CONFIG).events[0] as InitEvent;
  const properties = (opts.properties ?? allProperties.filter((p) => p.appliesTo(init)).map((p) => p.id)).map((id) => propertyById(id) as Property);
  const base = opts.differentialBase === undefined ? defaultDifferentialBase(opts.engine) : opts.differentialBase;
  const align = opts.differentialAlign ?? (opts.engine.variant !== undefined && variantNeedsAlignedReplay(opts.engine.variant));
  const criterion = base ? differentialCriterion(base, align) : () => true;
  let runs = 0;
  let first: { runs: number; seconds: number } | null = null;
  const result = checkEngine({
    engine,
    makeChecker: (runInit) => {
      if (first === null) runs++;
      return createTraceChecker(runInit, properties);
    },
    propertyIds: properties.map((p) => p.id),
    runs: opts.runs,
    seed: opts.seed,
    maxOps: opts.maxOps,
    config: opts.config,
    configConstraints: opts.configConstraints,
    weights: opts.weights ?? profilesFor(properties.map((p) => p.id)),
    search: opts.search,
    shrinkBudget: opts.shrinkBudget,
    minimize: opts.minimize,
    ownViolation: (config, ops, v) => {
      const yes = criterion(config, ops, v);
      if (yes && first === null) first = { runs, seconds: seconds(t0) };
      return yes;
    },
  });
  // The search-based post-shrink pass and the restarts, as runCheck runs them
  // (arbitraries/exhaustive-shrink.ts, arbitraries/restart-shrink.ts); the restarts timed apart.
  let restartSeconds = 0;
  if (shorten) {
    shortenExhaustively(result, opts, base ?? null, align);
    const t1 = performance.now();
    shrinkCheckByRestarts(result, opts, engine.info.id);
    restartSeconds = seconds(t1);
  }
  result.seconds = seconds(t0);
  const f = first as { runs: number; seconds: number } | null;
  return { result, runsToFailure: f?.runs ?? null, secondsToFailure: f?.seconds ?? null, restartSeconds };
}

