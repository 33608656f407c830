/**
 * `runCheck`: the property check of one engine spec, as the CLI and the campaign run it.
 * Wires the engine registry and the property catalogue into the generic core (./check-engine.ts).
 */
import { DEFAULT_CONFIG, type ModelConfig } from '../src/engine/contract';
import type { Op } from '../src/engine/ops';
import { createEngine } from '../src/engine/registry';
import type { CheckOptions, CheckResult, EngineSpec } from '../src/run/types';
import type { InitEvent } from '../src/trace/events';
import { allProperties, createTraceChecker, propertyById } from '../properties';
import type { Property, Violation } from '../properties/property';
import { checkEngine } from './check-engine';
import type { CoverageSearchTuning } from './coverage-search';
import type { SearchName } from './search';
import { DEFAULT_EXHAUSTIVE_SHRINK, shortenExhaustively, type ExhaustiveShrinkLimits } from './exhaustive-shrink';
import { shrinkByRestarts } from './restart-shrink';
import { deriveSeed } from './seed';
import type { ModelConfigConstraints } from './config';
import { differentialCriterion } from './differential-criterion';
import { defaultDifferentialBase, variantNeedsAlignedReplay } from './variant-check';
import { DEFAULT_PROFILES, DEFAULT_WEIGHTS, MEMBARRIER_WEIGHTS, type Weights } from './weights';

/** Its own module since the explorer uses it (./differential-criterion.ts); still exported here for runCheck's callers. */
export { differentialCriterion };

/** Properties about membarrier (C3, C4): the races MEMBARRIER_WEIGHTS drives. */
const MEMBARRIER_PROPERTIES: ReadonlySet<string> = new Set(['sync-core-before-usermode', 'membarrier-ordering']);

/**
 * The weight profiles for a check of `propertyIds`: MEMBARRIER_WEIGHTS when all of them are about
 * membarrier, DEFAULT_WEIGHTS when none is, both (DEFAULT_PROFILES) otherwise.
 */
export function profilesFor(propertyIds: readonly string[]): readonly Weights[] {
  const mb = propertyIds.filter((p) => MEMBARRIER_PROPERTIES.has(p)).length;
  if (mb === 0) return [DEFAULT_WEIGHTS];
  if (mb === propertyIds.length) return [MEMBARRIER_WEIGHTS];
  return DEFAULT_PROFILES;
}

/** Options of {@link runCheck}: CheckOptions, plus what the tuning scripts and variant checks set. */
export interface RunCheckOptions extends CheckOptions {
  /**
   * The differential criterion: a run counts as failing only if the engine's trace violates a
   * property P and replaying the same ops (up to the violation) on this base engine does not
   * violate P; a run whose ops are not all enabled on the base does not count. Shrinking keeps the
   * criterion. Default: for an engine with a variant, the variant's base with the same knobs
   * (./variant-check.ts defaultDifferentialBase); none otherwise. `null` turns it off.
   */
  differentialBase?: EngineSpec | null;
  /**
   * Replay on the differential base aligned modulo path lengths (monitored-run.ts
   * replayAlignedMonitored) instead of op for op, for variants that change which ops are enabled.
   * Default: for an engine with a variant, what ./variant-check.ts says for it; false otherwise.
   */
  differentialAlign?: boolean;
  /** Op weights, one or several profiles (default: {@link profilesFor} the checked properties). */
  weights?: Weights | readonly Weights[];
  /** Bounds of the generated configuration (ignored with `config`). */
  configConstraints?: ModelConfigConstraints;
  /** See EngineCheckOptions.shrinkBudget. */
  shrinkBudget?: number;
  /** Op-level minimisation of the counterexample (default true). */
  minimize?: boolean;
  /** The search-based post-shrink pass (./exhaustive-shrink.ts); default DEFAULT_EXHAUSTIVE_SHRINK; false: off. Not run with `minimize: false`. */
  exhaustiveShrink?: false | ExhaustiveShrinkLimits;
  /**
   * Restarts of the check on machines no larger than the counterexample's, whose counterexamples
   * replace it when they shrink further (./restart-shrink.ts; default DEFAULT_RESTARTS, 0: none).
   * Not run with `minimize: false`.
   */
  restarts?: number;
  /** How runs are generated (./search.ts; default DEFAULT_SEARCH, 'weighted2'). */
  search?: SearchName;
  /** Knobs of the coverage search (measurements only). */
  coverageTuning?: Partial<CoverageSearchTuning>;
}

/**
 * Check the properties of `options` (default: every property that applies to the engine) on random
 * interleavings of the engine. Same options (including the derived default seed) give the same
 * result apart from `seconds`.
 */
export function runCheck(options: RunCheckOptions): CheckResult {
  const engine = createEngine(options.engine);
  const init = engine.init(options.config ?? DEFAULT_CONFIG).events[0] as InitEvent;
  const properties = selectProperties(options.properties, init);
  const base = options.differentialBase === undefined ? defaultDifferentialBase(options.engine) : options.differentialBase;
  const align = options.differentialAlign ?? (options.engine.variant !== undefined && variantNeedsAlignedReplay(options.engine.variant));
  const result = checkEngine({
    engine,
    makeChecker: (runInit) => createTraceChecker(runInit, properties),
    propertyIds: properties.map((p) => p.id),
    runs: options.runs,
    seed: options.seed,
    maxOps: options.maxOps,
    config: options.config,
    configConstraints: options.configConstraints,
    weights: options.weights ?? profilesFor(properties.map((p) => p.id)),
    shrinkBudget: options.shrinkBudget,
    minimize: options.minimize,
    ownViolation: base ? differentialCriterion(base, align) : undefined,
    search: options.search,
    coverageTuning: options.coverageTuning,
  });
  shortenExhaustively(result, options, base ?? null, align);
  shrinkCheckByRestarts(result, options, engine.info.id);
  return result;
}

/**
 * The restarts pass of runCheck (./restart-shrink.ts) on `result`, a check of `options` on the
 * engine `engineId`: each restart is runCheck with the restart's seed, runs, property and machine,
 * and no restarts of its own.
 */
export function shrinkCheckByRestarts(result: CheckResult, options: RunCheckOptions, engineId: string): void {
  const limits = options.exhaustiveShrink ?? DEFAULT_EXHAUSTIVE_SHRINK;
  const exhaustiveOps = limits === false ? 0 : limits.maxOps;
  shrinkByRestarts(result, { ...options, exhaustiveOps }, options.seed ?? deriveSeed(engineId), (run) => {
    const { config: _config, configConstraints: _constraints, ...rest } = options;
    return runCheck({ ...rest, ...run, restarts: 0 });
  });
}


/** The named properties (unknown ids are an error), or every property that applies to `init`. */
function selectProperties(ids: string[] | undefined, init: InitEvent): Property[] {
  if (ids === undefined) return allProperties.filter((p) => p.appliesTo(init));
  return ids.map((id) => {
    const p = propertyById(id);
    if (!p) throw new Error(`runCheck: unknown property "${id}"`);
    return p;
  });
}
