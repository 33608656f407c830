/**
 * The search-based post-shrink pass of runCheck (./check.ts), after fast-check's shrinking and the
 * op-level minimiser (./minimize.ts), within budgets of distinct states:
 *
 * 1. *Guided* (counterexamples of more than `maxOps` and at most `maxGuidedOps` ops, within
 *    `guidedStates`): breadth-first search up to one op less, restricted to the counterexample's
 *    own op alphabet with the CPUs relabelled (its ops with any two CPUs swapped, and every CPU's
 *    steps), then once more from its result with the task and mm arguments exchanged
 *    (`opAlphabet`). That finds the reorderings and cuts that deletion cannot reach (a local minimum of
 *    20 ops whose bug needs 11), at a small fraction of the full search's states. Not a proof: it
 *    only shortens.
 * 2. *Exhaustive*: when the counterexample now has at most `maxOps` ops, every interleaving of
 *    fewer ops on its configuration is searched breadth-first (src/explore) within `maxStates`, so
 *    a short counterexample is the exhaustive minimum by construction (or proven minimal when the
 *    search is clean).
 * 3. *Smaller machines*: a counterexample of at most `maxOps` ops (with a generated configuration,
 *    not a fixed one) then gets the same search, up to as many ops, on each configuration one field
 *    smaller (not below the generated bounds), the fields in minimizeWithConfig's order: the first
 *    one found replaces it, and the step repeats from there. The op-level configuration pass
 *    (./minimize.ts) only replays the same ops renamed, so it keeps a larger machine when the
 *    smaller one needs other ops (an exec by a kthread on 2/1/1/1 is an exec by the user thread on
 *    2/1/1/0); the search finds those at the cost of a few thousand states. A longer counterexample
 *    (up to `maxGuidedOps`) gets the guided search there instead, within the alphabet of its ops
 *    renamed onto the smaller machine (each renaming in turn, arguments exchanged), all of them
 *    sharing SMALLER_GUIDED_SEARCHES x `guidedStates` states.
 *
 * The violation must be of the same property and pass the same differential criterion as the
 * check's (the explorer applies runCheck's rule, src/explore/differential.ts).
 */
import type { ModelConfig } from '../src/engine/contract';
import { smallestConfig, type ModelConfigConstraints } from './config';
import { smallerConfigs } from './minimize';
import { opsForSmallerConfig } from './config-renaming';
import { formatOp, type Op } from '../src/engine/ops';
import type { MmId, TaskId } from '../src/trace/events';
import type { CheckResult, Counterexample, EngineSpec } from '../src/run/types';
import { shortestCounterexample, type ShortestCounterexample } from '../src/explore/minimum';
import { propertyById } from '../properties';
import { cpuTranspositions, relabelOp } from './minimize-moves';
import { variantNeedsAlignedReplay } from './variant-check';

/**
 * The budgets are in distinct states, not seconds, so that a check gives the same counterexample
 * on every machine and every run (runCheck's determinism: campaign shards must merge to the
 * unsharded result).
 */
export interface ExhaustiveShrinkLimits {
  /** Longest counterexample that gets the guided search (step 1). */
  maxGuidedOps: number;
  /** Most distinct states of the guided search. */
  guidedStates: number;
  /** Longest counterexample that gets the exhaustive search (step 2). */
  maxOps: number;
  /** Most distinct states of the exhaustive search. */
  maxStates: number;
}

/**
 * Measured with `npm run bench` (docs/explore.md: 6-8k states/s): 4,000 states (about half a
 * second) cover depth 5-6 on a 2-CPU configuration, so 10 ops is the exhaustive reach; the guided
 * search pays off up to about 24 ops (beyond, it only adds to the shrink time).
 */
export const DEFAULT_EXHAUSTIVE_SHRINK: ExhaustiveShrinkLimits = { maxGuidedOps: 24, guidedStates: 1500, maxOps: 10, maxStates: 4000 };

/** Step 3's guided searches (longer counterexamples) share this many times `guidedStates`. */
const SMALLER_GUIDED_SEARCHES = 4;

/**
 * The op alphabet of `ops`: each op and its images under every swap of two CPUs, and every CPU's
 * step. With `exchangeArguments`, also each op that names a task or an mm with every other task
 * (idle tasks included) or mm that the ops name: that lets the search trade one switch target for
 * another (a 19-op hotplug counterexample that migrates T1 before the bug has a 17-op form that
 * switches to the idle task instead), which neither deletion nor the CPU swaps reach.
 */
export function opAlphabet(ops: readonly Op[], config: ModelConfig, exchangeArguments = false): Set<string> {
  const perms = [[...Array(config.cpus).keys()], ...cpuTranspositions(config.cpus)];
  const tasks = new Set<TaskId>(Array.from({ length: config.cpus }, (_, c) => `idle${c}`));
  const mms = new Set<MmId>();
  for (const op of ops) {
    const named = op as { next?: TaskId; mm?: MmId };
    if (named.next !== undefined) tasks.add(named.next);
    if (named.mm !== undefined) mms.add(named.mm);
  }
  const exchanged = (op: Op): Op[] => {
    const named = op as Op & { next?: TaskId; mm?: MmId };
    if (!exchangeArguments) return [op];
    if (named.next !== undefined) return [...tasks].map((next) => ({ ...named, next }) as Op);
    if (named.mm !== undefined) return [...mms].map((mm) => ({ ...named, mm }) as Op);
    return [op];
  };
  const out = new Set<string>();
  for (let c = 0; c < config.cpus; c++) out.add(formatOp({ op: 'step', cpu: c }));
  for (const op of ops) for (const v of exchanged(op)) for (const perm of perms) out.add(formatOp(relabelOp(v, perm)));
  return out;
}

/** What the pass reads of a check's options (RunCheckOptions has them). */
export interface PostShrinkOptions {
  engine: EngineSpec;
  /** Default DEFAULT_EXHAUSTIVE_SHRINK; false: off. */
  exhaustiveShrink?: false | ExhaustiveShrinkLimits;
  /** false (no minimisation at all) turns the pass off too. */
  minimize?: boolean;
  /** A fixed configuration: step 3 (smaller machines) is off. */
  config?: ModelConfig;
  /** The bounds the configuration was generated within (step 3 stays inside them). */
  configConstraints?: ModelConfigConstraints;
}

/**
 * Shortens `result.counterexample` in place when a search finds a shorter one (see the file
 * comment), with the check's differential base and replay alignment.
 */
export function shortenExhaustively(result: CheckResult, options: PostShrinkOptions, differentialBase: EngineSpec | null, align: boolean): void {
  const limits = options.exhaustiveShrink ?? DEFAULT_EXHAUSTIVE_SHRINK;
  if (limits === false || options.minimize === false) return;
  const engine = options.engine;
  const cx = result.counterexample;
  // The explorer replays aligned exactly when runCheck does by default (src/explore/differential.ts).
  const defaultAlign = engine.variant !== undefined && variantNeedsAlignedReplay(engine.variant);
  if (!cx || cx.ops.length === 0 || cx.ops.length > limits.maxGuidedOps || propertyById(cx.property) === undefined || align !== defaultAlign) return;
  const t0 = performance.now();
  const search = (maxStates: number, opFilter?: (op: Op) => boolean): void => {
    const current = result.counterexample!;
    if (current.ops.length <= 1) return;
    const { found } = shortestCounterexample(engine, current.config, current.ops.length - 1, current.property, {
      differentialBase,
      maxStates,
      ...(opFilter ? { opFilter } : {}),
    });
    if (found) result.counterexample = replacedBy(current, found, current.config);
  };
  if (cx.ops.length > limits.maxOps) {
    // The counterexample's own ops first; then, from what that gave, with the task and mm
    // arguments exchanged: a wider alphabet spends the same budget on shallower levels, so it
    // comes second and only shortens further (each search keeps the shorter).
    for (const exchange of [false, true]) {
      const current = result.counterexample!;
      if (current.ops.length > limits.maxOps) {
        const alphabet = opAlphabet(current.ops, current.config, exchange);
        search(limits.guidedStates, (op) => alphabet.has(formatOp(op)));
      }
    }
  }
  if (result.counterexample!.ops.length <= limits.maxOps) search(limits.maxStates);
  if (options.config === undefined) shortenOnSmallerMachines(result, options, limits, differentialBase);
  result.seconds += (performance.now() - t0) / 1000;
}

/** The counterexample `current` replaced by the one a search found on `config`. */
function replacedBy(current: Counterexample, found: ShortestCounterexample, config: ModelConfig): Counterexample {
  const v = found.violation;
  return { ...current, config, ops: found.ops, clause: v.clause, eventIndex: v.index, message: v.message };
}

/** Step 3 of the pass (see the file comment): the same bounded search on configurations one field smaller. */
function shortenOnSmallerMachines(result: CheckResult, options: PostShrinkOptions, limits: ExhaustiveShrinkLimits, differentialBase: EngineSpec | null): void {
  const floor = smallestConfig(options.configConstraints);
  let guidedLeft = SMALLER_GUIDED_SEARCHES * limits.guidedStates;
  for (let lowered = true; lowered; ) {
    lowered = false;
    const current = result.counterexample!;
    if (current.ops.length > limits.maxGuidedOps) return;
    for (const smaller of smallerConfigs(current.config, floor)) {
      let found: ShortestCounterexample | null = null;
      if (current.ops.length <= limits.maxOps) {
        found = shortestCounterexample(options.engine, smaller, current.ops.length, current.property, { differentialBase, maxStates: limits.maxStates }).found;
      } else {
        // Guided: within the alphabet of the ops renamed onto the smaller machine (each renaming
        // of ./config-renaming.ts in turn), task and mm arguments exchanged, as many ops.
        for (const renamed of opsForSmallerConfig(current.ops, current.config, smaller)) {
          if (found || guidedLeft <= 0) break;
          const alphabet = opAlphabet(renamed, smaller, true);
          const r = shortestCounterexample(options.engine, smaller, current.ops.length, current.property, {
            differentialBase,
            maxStates: Math.min(limits.guidedStates, guidedLeft),
            opFilter: (op) => alphabet.has(formatOp(op)),
          });
          guidedLeft -= r.search.states;
          found = r.found;
        }
      }
      if (!found) continue;
      result.counterexample = replacedBy(current, found, smaller);
      lowered = true;
      break;
    }
  }
}
