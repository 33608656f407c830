/**
 * The property check of one engine instance: fast-check generates (configuration, choice list)
 * pairs, each run is watched by an incremental checker, and a failure is shrunk by fast-check and
 * then minimised op by op (./minimize.ts).
 *
 * This is the engine-agnostic core of `runCheck` (./check.ts): it takes the engine and the checker
 * factory as values, so it also runs against the toy engine of the tests.
 */
import fc from 'fast-check';
import type { Engine, ModelConfig } from '../src/engine/contract';
import type { Op } from '../src/engine/ops';
import type { Violation } from '../properties/property';
import type { CheckResult, Counterexample } from '../src/run/types';
import { modelConfigArbitrary, resolveModelConfigConstraints, type ModelConfigConstraints } from './config';
import { DEFAULT_MAX_OPS, interleavingArbitrary } from './interleaving';
import { minimizeOps, minimizeWithConfig } from './minimize';
import { runChoicesMonitored, type CheckerFactory, type MonitoredOutcome } from './monitored-run';
import { EngineOutputError } from './engine-output';
import { deriveSeed } from './seed';
import { DEFAULT_PROFILES, type Weights } from './weights';

/** Default number of random runs. */
export const DEFAULT_RUNS = 200;

/** Options of {@link checkEngine}. */
export interface EngineCheckOptions<S> {
  engine: Engine<S>;
  /** A fresh incremental checker for one run. */
  makeChecker: CheckerFactory;
  /** Ids of the properties `makeChecker` checks (reported in the result). */
  propertyIds: string[];
  /** Random runs. Default 200. */
  runs?: number;
  /** fast-check seed. Default: derived from the engine id. */
  seed?: number;
  /** Most ops per run. Default 120. */
  maxOps?: number;
  /** A fixed configuration; generated (and shrunk) when absent. */
  config?: ModelConfig;
  /** Bounds of the generated configuration. */
  configConstraints?: ModelConfigConstraints;
  /**
   * Op weights. Several (profiles): each run draws one of them, as part of the generated value (so
   * a counterexample keeps its profile while it shrinks; fast-check shrinks towards the first).
   * Default DEFAULT_PROFILES.
   */
  weights?: Weights | readonly Weights[];
  /** Minimise the shrunk counterexample op by op. Default true. */
  minimize?: boolean;
  /**
   * Most runs fast-check may spend shrinking after the first failure. Default 5000 (about a
   * second on x86). Shrinking a 120-choice list can otherwise take 100k runs (15 s) for no shorter
   * a result once ./minimize.ts has run; past the budget every candidate is reported as passing,
   * so fast-check stops at the smallest failure found so far. Counted in runs, not seconds, so
   * results stay reproducible.
   */
  shrinkBudget?: number;
  /**
   * The differential criterion (for variants): called on every violation a run finds, with the ops
   * up to and including the violating one; the run counts as failing only when it returns true
   * (the violation is the engine's own, e.g. the base engine does not share it). fast-check's
   * shrinking and the op-level minimisation keep only candidates it accepts. Engine errors always
   * count. Default: every violation counts.
   */
  ownViolation?: (config: ModelConfig, ops: readonly Op[], violation: Violation) => boolean;
}

/** The profiles of `weights` (one Weights or several; default DEFAULT_PROFILES). */
export function weightProfiles(weights: Weights | readonly Weights[] | undefined): readonly Weights[] {
  if (weights === undefined) return DEFAULT_PROFILES;
  if (Array.isArray(weights)) {
    if (weights.length === 0) throw new Error('checkEngine: weights: expected at least one profile');
    return weights;
  }
  return [weights as Weights];
}

/** Default {@link EngineCheckOptions.shrinkBudget}. */
export const DEFAULT_SHRINK_BUDGET = 5000;

/**
 * Check `makeChecker`'s properties on `runs` random interleavings of `engine`. The same options
 * always give the same result, except `seconds`. `opsExecuted` counts every op applied, including
 * the re-runs fast-check makes while shrinking.
 */
export function checkEngine<S>(options: EngineCheckOptions<S>): CheckResult {
  const started = performance.now();
  const { engine, makeChecker } = options;
  const profiles = weightProfiles(options.weights);
  const seed = options.seed ?? deriveSeed(engine.info.id);
  const configArb = options.config ? fc.constant(options.config) : modelConfigArbitrary(options.configConstraints);
  const profileArb = profiles.length === 1 ? fc.constant(0) : fc.integer({ min: 0, max: profiles.length - 1 });
  const choicesArb = interleavingArbitrary({ maxOps: options.maxOps ?? DEFAULT_MAX_OPS });
  const shrinkBudget = options.shrinkBudget ?? DEFAULT_SHRINK_BUDGET;
  let opsExecuted = 0;
  let shrinkRuns = -1; // runs since the first failure; -1 while none has failed
  let runNumber = 0; // predicate calls, from 1 (shrinking included)
  let firstInvalidRun = 0; // the first run whose engine output was invalid
  const ownViolation = options.ownViolation;
  /** Whether the violation of `out` counts (the differential criterion, when there is one). */
  const counts = (config: ModelConfig, out: MonitoredOutcome): boolean =>
    out.violation !== null && (ownViolation === undefined || ownViolation(config, out.ops, out.violation));

  const details = fc.check(
    fc.property(configArb, profileArb, choicesArb, (config, profile, choices) => {
      if (shrinkRuns >= 0 && ++shrinkRuns > shrinkBudget) return true; // budget spent: stop shrinking
      runNumber++;
      const out = runChoicesMonitored(engine, config, choices, profiles[profile], makeChecker);
      opsExecuted += out.ops.length;
      if (out.error instanceof EngineOutputError && firstInvalidRun === 0) firstInvalidRun = runNumber;
      const ok = out.error === null && (out.violation === null || !counts(config, out));
      if (!ok && shrinkRuns < 0) shrinkRuns = 0;
      return ok;
    }),
    { numRuns: options.runs ?? DEFAULT_RUNS, seed },
  );

  const result: CheckResult = {
    engine: engine.info.id,
    properties: [...options.propertyIds],
    runs: details.numRuns,
    opsExecuted,
    seconds: 0,
    result: details.failed ? 'fail' : 'pass',
  };
  if (details.failed && details.counterexample !== null) {
    let [config, profile, choices] = details.counterexample;
    let out = runChoicesMonitored(engine, config, choices, profiles[profile], makeChecker);
    if (out.violation && options.minimize !== false) {
      if (options.config) {
        out = minimizeOps(engine, config, out.ops, makeChecker, out.violation, {
          sameClause: false,
          accept: ownViolation && ((o) => counts(config, o)),
        });
      } else {
        const c = resolveModelConfigConstraints(options.configConstraints);
        const floor: ModelConfig = { cpus: c.minCpus, procs: c.minProcs, threads: c.minThreads, kthreads: c.minKthreads };
        const best = minimizeWithConfig(engine, config, out.ops, makeChecker, out.violation, {
          floor,
          sameClause: false,
          accept: ownViolation && ((cfg, o) => counts(cfg, o)),
        });
        config = best.config;
        out = best.outcome;
      }
    }
    result.counterexample = toCounterexample(config, out, details.seed, details.counterexamplePath ?? '', engine.info.id);
    if (out.error instanceof EngineOutputError) {
      const cx = result.counterexample;
      const first = firstInvalidRun > 0 ? `first seen in run ${firstInvalidRun} of ${options.runs ?? DEFAULT_RUNS}` : `seen when re-run`;
      cx.clause = `emitted an invalid event (rule ${out.error.problem.rule})`;
      cx.message = `${out.error.message} (${first}; shrunk to ${out.ops.length} op${out.ops.length === 1 ? '' : 's'})`;
    }
  }
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

function toCounterexample(
  config: ModelConfig,
  out: MonitoredOutcome,
  seed: number,
  path: string,
  engineId: string,
): Counterexample {
  const base = { config, ops: out.ops, seed, path };
  if (out.violation) {
    const v = out.violation;
    return { ...base, property: v.property, clause: v.clause, eventIndex: v.index, message: v.message };
  }
  if (out.error) {
    // The engine (or a checker) threw: report it as a failure of the engine contract.
    return {
      ...base,
      property: 'engine-contract',
      clause: 'apply() threw on an enabled op',
      eventIndex: out.events.length,
      message: `engine ${engineId} threw after op ${out.ops.length - 1}: ${out.error.message}`,
    };
  }
  throw new Error(`checkEngine: the counterexample found by fast-check does not fail when re-run on ${engineId}`);
}
