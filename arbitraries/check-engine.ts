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
import { modelConfigArbitrary, smallestConfig, type ModelConfigConstraints } from './config';
import { DEFAULT_MAX_OPS, interleavingArbitrary } from './interleaving';
import { minimizeOps, minimizeWithConfig, type EngineErrorTarget } from './minimize';
import { runChoicesMonitored, type CheckerFactory, type MonitoredOutcome } from './monitored-run';
import { EngineOutputError } from './engine-output';
import { deriveSeed } from './seed';
import { climbSearch } from './climb-search';
import { coverageSearch, type CoverageSearchTuning } from './coverage-search';
import { opsToChoices } from './ops-to-choices';
import { LONG_RUN_MAX_OPS, longRunConstraints } from './long-runs';
import { pctSearch } from './pct-search';
import { goExploreSearch } from './goexplore-search';
import { DEFAULT_SEARCH, isLongRunSearch, searchProfiles, type SearchName } from './search';
import { DEFAULT_PROFILES, type Weights } from './weights';
import { plainProfileSpace, swarmIndex, swarmProfileSpace } from './swarm';

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
  /** Most ops per run. Default: the search's (160 under `weighted2`, 120 otherwise). */
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
  /**
   * How runs are generated (./search.ts): 'weighted' (fast-check choice lists under
   * `weights`), 'weighted2' (default, DEFAULT_SEARCH: the same with runs of 40..160 ops, ./long-runs.ts), 'uniform' (the same with UNIFORM_WEIGHTS), 'coverage' (the corpus-driven search
   * of ./coverage-search.ts under `weights`) or 'coverage-nofocus' (the same under the kind weights
   * alone, without the state-dependent focus rules) or 'pct' (priority scheduling of the CPUs with
   * change points, ./pct-search.ts, under `weights`), 'swarm' (the weighted search with a swarm
   * mask per run, ./swarm.ts), 'coverage-swarm' (the coverage search with swarm masks), 'climb'
   * (./climb-search.ts) or 'goexplore' (return to an archived abstract state, explore on:
   * ./goexplore-search.ts).
   */
  search?: SearchName;
  /** Knobs of the coverage search (measurements only). */
  coverageTuning?: Partial<CoverageSearchTuning>;
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

/** A failing run to minimise, with its provenance. */
interface Found {
  config: ModelConfig;
  out: MonitoredOutcome;
  seed: number;
  path: string;
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
  const search = options.search ?? DEFAULT_SEARCH;
  // weighted2 (and weighted2-echo): the weighted generator with runs of 40..160 ops (a quarter of maxOps at least; ./long-runs.ts).
  const choicesArb = interleavingArbitrary(
    isLongRunSearch(search) ? longRunConstraints(options.maxOps ?? LONG_RUN_MAX_OPS) : { maxOps: options.maxOps ?? DEFAULT_MAX_OPS },
  );
  const shrinkBudget = options.shrinkBudget ?? DEFAULT_SHRINK_BUDGET;
  let opsExecuted = 0;
  let shrinkRuns = -1; // runs since the first failure; -1 while none has failed
  let runNumber = 0; // predicate calls, from 1 (shrinking included)
  let firstInvalidRun = 0; // the first run whose engine output was invalid
  const ownViolation = options.ownViolation;
  /** Whether the violation of `out` counts (the differential criterion, when there is one). */
  const counts = (config: ModelConfig, out: MonitoredOutcome): boolean =>
    out.violation !== null && (ownViolation === undefined || ownViolation(config, out.ops, out.violation));

  const searchWeights = searchProfiles(search, profiles);
  // A swarm search's profile index also names its mask (./swarm.ts): the mask is part of the run.
  const swarm = search === 'swarm' || search === 'coverage-swarm';
  const space = swarm ? swarmProfileSpace(searchWeights) : plainProfileSpace(searchWeights);
  const profileArb = space.arbitrary();
  const property = fc.property(configArb, profileArb, choicesArb, (config, profile, choices) => {
    if (shrinkRuns >= 0 && ++shrinkRuns > shrinkBudget) return true; // budget spent: stop shrinking
    runNumber++;
    const out = runChoicesMonitored(engine, config, choices, space.weights(profile), makeChecker);
    opsExecuted += out.ops.length;
    if (out.error instanceof EngineOutputError && firstInvalidRun === 0) firstInvalidRun = runNumber;
    const ok = out.error === null && (out.violation === null || !counts(config, out));
    if (!ok && shrinkRuns < 0) shrinkRuns = 0;
    return ok;
  });
  /** fast-check's result as the failure to minimise (its shrunk counterexample, re-run). */
  const fromFastCheck = (details: fc.RunDetails<[ModelConfig, number, number[]]>, pathPrefix: string): Found | null => {
    if (!details.failed || details.counterexample === null) return null;
    const [config, profile, choices] = details.counterexample;
    const out = runChoicesMonitored(engine, config, choices, space.weights(profile), makeChecker);
    return { config, out, seed: details.seed, path: pathPrefix + (details.counterexamplePath ?? '') };
  };
  let found: Found | null = null;
  let runs: number;
  if (search === 'coverage' || search === 'coverage-nofocus' || search === 'pct' || search === 'coverage-swarm' || search === 'climb' || search === 'goexplore') {
    const common = {
      engine,
      makeChecker,
      runs: options.runs ?? DEFAULT_RUNS,
      seed,
      maxOps: options.maxOps ?? DEFAULT_MAX_OPS,
      config: options.config,
      configConstraints: options.configConstraints,
      profiles: searchWeights,
      counts,
    };
    const r =
      search === 'pct'
        ? pctSearch(common)
        : search === 'climb'
          ? climbSearch(common)
          : search === 'goexplore'
            ? goExploreSearch(common)
            : coverageSearch({ ...common, tuning: options.coverageTuning, swarm });
    opsExecuted += r.opsExecuted;
    runs = r.runs;
    if (r.failure) {
      const f = r.failure;
      if (f.out.error instanceof EngineOutputError && firstInvalidRun === 0) firstInvalidRun = f.run;
      found = { config: f.config, out: f.out, seed, path: `${search}:run=${f.run}` };
      // fast-check shrinks the failing run as it shrinks its own, given as the choices that replay it.
      const index = swarm ? swarmIndex(f.profile, f.mask ?? 0, searchWeights.length) : f.profile;
      // Go-Explore's returned prefix may come from runs under other profiles: the first that replays it.
      const indices = search === 'goexplore' ? [index, ...searchWeights.map((_, i) => i).filter((i) => i !== index)] : [index];
      let choices: number[] | null = null;
      let shrinkIndex = index;
      for (const i of options.minimize === false || f.out.error !== null ? [] : indices) {
        choices = opsToChoices(engine, f.config, f.out.ops, space.weights(i));
        shrinkIndex = i;
        if (choices !== null) break;
      }
      if (choices !== null) {
        shrinkRuns = -1;
        const example: [ModelConfig, number, number[]] = [f.config, shrinkIndex, choices];
        const details = fc.check(property, { examples: [example], numRuns: 1, seed });
        found = fromFastCheck(details, `${found.path}:`) ?? found;
      }
    }
  } else {
    const details = fc.check(property, { numRuns: options.runs ?? DEFAULT_RUNS, seed });
    runs = details.numRuns;
    found = fromFastCheck(details, '');
  }

  const result: CheckResult = {
    engine: engine.info.id,
    properties: [...options.propertyIds],
    runs,
    opsExecuted,
    seconds: 0,
    result: found ? 'fail' : 'pass',
  };
  if (found) {
    let { config, out } = found;
    const target = out.violation ?? (out.error !== null ? sameEngineFailure(out.error) : null);
    if (target !== null && options.minimize !== false) {
      if (options.config) {
        out = minimizeOps(engine, config, out.ops, makeChecker, target, {
          sameClause: false,
          // The differential criterion judges violations; an engine failure is the engine's own.
          accept: out.violation !== null && ownViolation ? (o) => counts(config, o) : undefined,
        });
      } else {
        const best = minimizeWithConfig(engine, config, out.ops, makeChecker, target, {
          floor: smallestConfig(options.configConstraints),
          sameClause: false,
          accept: out.violation !== null && ownViolation ? (cfg, o) => counts(cfg, o) : undefined,
        });
        config = best.config;
        out = best.outcome;
      }
    }
    result.counterexample = toCounterexample(config, out, found.seed, found.path, engine.info.id);
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

/**
 * The engine failure a smaller run must keep: an invalid event breaking the same rule at the same
 * JSON path with the same event kind, or an exception from apply() with the same message. A shrunk
 * run keeps the bug, not merely some bug (fast-check's own shrinking of the choice list stops at the
 * search's shortest list: 40 choices for weighted2).
 */
function sameEngineFailure(error: Error): EngineErrorTarget {
  if (error instanceof EngineOutputError) {
    const kind = eventKind(error.event);
    return {
      engineError: (e) => e instanceof EngineOutputError && e.problem.rule === error.problem.rule && e.problem.path === error.problem.path && eventKind(e.event) === kind,
      describe: `an invalid event (rule ${error.problem.rule}, ${error.problem.path || '/'})`,
    };
  }
  return { engineError: (e) => !(e instanceof EngineOutputError) && e.message === error.message, describe: `the exception "${error.message}"` };
}

const eventKind = (event: unknown): unknown => (typeof event === 'object' && event !== null ? (event as { k?: unknown }).k : undefined);

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
