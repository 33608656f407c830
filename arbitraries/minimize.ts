/**
 * Op-level minimisation of a counterexample, after fast-check's own shrinking.
 *
 * fast-check shrinks the *choice list*; since a choice means "the k-th enabled op now", dropping one
 * early choice changes every later op, so the choice shrinker often stops at a local minimum with
 * irrelevant ops left in. Here we shrink the *op list* itself. The unit of deletion is a *path
 * unit*: an op together with the `step` ops of its CPU that follow it up to that CPU's next other
 * op (the steps of the kernel path it started), which are never contiguous once other CPUs
 * interleave. We try, until nothing changes:
 * - dropping one unit, then any two units (a switch away and back, a syscall and the call it makes,
 *   an mmget and its kthread_use_mm only go together);
 * - dropping contiguous chunks of ops (halving from half the list down to 12, then every size from
 *   12 to 1), which also catches lone steps.
 * - once deletion is stuck: the moves of ./minimize-moves.ts (a cut with two CPUs swapped after
 *   it, which drops a migration; a syscall and its schedule merged into a preempt; an op replaced
 *   by a simpler one; a CPU's excursion of several units collapsed into one op or none; for up to
 *   16 ops, replace-one followed by deletion, kept when the two together shorten), then deletion
 *   again.
 * A candidate is kept only if every op is still enabled when replayed and the same property clause
 * still fails; the ops after the violating one are cut. Deterministic, and bounded by `maxReplays`.
 */
import type { Engine, ModelConfig } from '../src/engine/contract';
import type { Op } from '../src/engine/ops';
import type { Violation } from '../properties/property';
import { replayLenientMonitored, replayMonitored, type CheckerFactory, type MonitoredOutcome } from './monitored-run';
import { ReplayError } from './run';
import { collapsedExcursions, mergedEntries, opsRank, relabelledCuts, replacements, simplifications } from './minimize-moves';
import { pathUnits } from './path-units';

export { pathUnits };
import { opsForSmallerConfig } from './config-renaming';

/** Longest op list that gets the replace-one-then-delete move (its cost grows with the square of the length). */
const REPLACE_MAX_OPS = 16;

/** Options of {@link minimizeOps}. */
export interface MinimizeOptions {
  /** Most candidate replays. Default 5000. */
  maxReplays?: number;
  /**
   * An extra condition on a candidate that violates the target (for example the differential
   * criterion of a variant check); default: none.
   */
  accept?: (out: MonitoredOutcome) => boolean;
  /**
   * Whether a candidate must violate the target's clause (default), or any clause of its property:
   * the shortest form of a bug often shows under a neighbouring clause (membarrier-ordering's
   * "interval inside the window" shrinks to "interval ends in the window").
   */
  sameClause?: boolean;
}

/**
 * What a smaller candidate must still do: violate the property (and clause) of a violation, or, for
 * a failure of the engine itself (an invalid event, an exception from apply()), fail with an error
 * that `engineError` accepts (the same rule of the output check, the same message).
 */
export type MinimizeTarget = Pick<Violation, 'property' | 'clause'> | EngineErrorTarget;

/** A failure of the engine contract to keep while minimising (see {@link MinimizeTarget}). */
export interface EngineErrorTarget {
  engineError: (error: Error) => boolean;
  /** For messages: what the error is. */
  describe: string;
}

/** Whether `out` still fails the way `target` does. */
function stillFails(out: MonitoredOutcome, target: MinimizeTarget, sameClause: boolean): boolean {
  if ('engineError' in target) return out.violation === null && out.error !== null && target.engineError(out.error);
  const v = out.violation;
  return v !== null && v.property === target.property && (!sameClause || v.clause === target.clause);
}

const describeTarget = (target: MinimizeTarget, sameClause: boolean): string =>
  'engineError' in target ? `fail with ${target.describe}` : `violate ${target.property} ${sameClause ? target.clause : ''}`.trimEnd();

/**
 * The shortest op list found that still violates `target`'s property and clause (or still fails
 * the engine contract as `target` says), with its outcome. `ops` must fail so to begin with (throws
 * otherwise).
 */
export function minimizeOps<S>(
  engine: Engine<S>,
  config: ModelConfig,
  ops: readonly Op[],
  makeChecker: CheckerFactory,
  target: MinimizeTarget,
  options: MinimizeOptions = {},
): MonitoredOutcome {
  let budget = options.maxReplays ?? 5000;
  const sameClause = options.sameClause ?? true;
  const attempt = (candidate: readonly Op[]): MonitoredOutcome | null => {
    budget--;
    try {
      const out = replayLenientMonitored(engine, config, candidate, makeChecker);
      if (!stillFails(out, target, sameClause)) return null;
      return options.accept === undefined || options.accept(out) ? out : null;
    } catch (e) {
      if (e instanceof ReplayError) return null;
      throw e;
    }
  };
  let first: MonitoredOutcome | null = null;
  try {
    const out = replayMonitored(engine, config, ops, makeChecker); // the given ops must replay as they are
    if (stillFails(out, target, sameClause) && (options.accept === undefined || options.accept(out))) first = out;
  } catch (e) {
    if (!(e instanceof ReplayError)) throw e;
  }
  if (first === null) throw new Error(`minimizeOps: the given ops do not ${describeTarget(target, sameClause)}`);
  let best: MonitoredOutcome = first;
  /** Try dropping the ops at `indices`; true when the result still fails (and becomes `best`). */
  const tryDrop = (indices: readonly number[]): boolean => {
    if (budget <= 0 || indices.length === 0 || indices.length >= best.ops.length) return false;
    const drop = new Set(indices);
    const out = attempt(best.ops.filter((_, i) => !drop.has(i)));
    if (out === null || out.ops.length >= best.ops.length) return false;
    best = out;
    return true;
  };
  /** Try the candidates in order; the first that still fails and is shorter (or as long and simpler, with `simpler`) becomes `best`. */
  const tryReplace = (candidates: Iterable<Op[]>, simpler: boolean): boolean => {
    for (const c of candidates) {
      if (budget <= 0) return false;
      const out = attempt(c);
      if (out === null) continue;
      if (out.ops.length < best.ops.length || (simpler && out.ops.length === best.ops.length && opsRank(out.ops) < opsRank(best.ops))) {
        best = out;
        return true;
      }
    }
    return false;
  };
  /** Deletes single ops and path units of `out` to a fixed point (a local pass: `best` is untouched). */
  const dropAll = (out: MonitoredOutcome): MonitoredOutcome => {
    let cur = out;
    for (let shrunk = true; shrunk && budget > 0; ) {
      shrunk = false;
      const units = [...pathUnits(cur.ops), ...cur.ops.map((_, k) => [k])];
      for (let u = units.length - 1; u >= 0 && budget > 0; u--) {
        const drop = new Set(units[u]);
        const o = attempt(cur.ops.filter((_, k) => !drop.has(k)));
        if (o !== null && o.ops.length < cur.ops.length) {
          cur = o;
          shrunk = true;
          break;
        }
      }
    }
    return cur;
  };
  /**
   * A change that does not shorten by itself (replace-one), then deletion of the result to a
   * fixed point: kept when the two together end shorter than `best`.
   */
  const changeThenDrop = (candidates: Iterable<Op[]>): boolean => {
    for (const c of candidates) {
      if (budget <= 0) return false;
      const changed = attempt(c);
      if (changed === null) continue;
      const cur = dropAll(changed);
      if (cur.ops.length < best.ops.length) {
        best = cur;
        return true;
      }
    }
    return false;
  };
  // Cheap, big cuts first (single units, pairs, contiguous chunks); the moves that only give
  // deletion new starting points (./minimize-moves.ts) once deletion finds nothing more.
  for (let changed = true; changed && budget > 0; ) {
    changed =
      dropSingleUnits(() => best.ops, tryDrop) ||
      dropUnitPairs(() => best.ops, tryDrop) ||
      dropChunks(() => best.ops, tryDrop) ||
      tryReplace(relabelledCuts(best.ops, config), false) ||
      tryReplace(mergedEntries(best.ops), false) ||
      tryReplace(simplifications(best.ops, config), true) ||
      tryReplace(collapsedExcursions(best.ops, config), false) ||
      (best.ops.length <= REPLACE_MAX_OPS && changeThenDrop(replacements(best.ops)));
  }
  return best;
}

/** Options of {@link minimizeWithConfig}. */
export interface ConfigMinimizeOptions extends Omit<MinimizeOptions, 'accept'> {
  /** The smallest configuration allowed (the bounds the configuration was generated within). */
  floor: ModelConfig;
  /** As MinimizeOptions.accept, for the configuration the candidate ran on. */
  accept?: (config: ModelConfig, out: MonitoredOutcome) => boolean;
}

/**
 * minimizeOps, then the configuration too: fast-check's own shrinking of the configuration is lost
 * once a counterexample's ops are minimised on a fixed one, and a smaller machine (fewer CPUs,
 * processes, threads, kernel threads) usually allows a much shorter counterexample. Each smaller
 * configuration (one field lowered by one, down to `floor`) gets the ops replayed leniently (ops
 * that are not enabled are skipped), under every renaming of tasks, mms and CPUs onto it
 * (./config-renaming.ts: which thread, process or kthread is the one removed); when the target
 * still fails there, the ops are minimised again on it. Returns the configuration with its outcome.
 */
export function minimizeWithConfig<S>(
  engine: Engine<S>,
  config: ModelConfig,
  ops: readonly Op[],
  makeChecker: CheckerFactory,
  target: MinimizeTarget,
  options: ConfigMinimizeOptions,
): { config: ModelConfig; outcome: MonitoredOutcome } {
  const accept = options.accept;
  const minimize = (c: ModelConfig, o: readonly Op[]) =>
    minimizeOps(engine, c, o, makeChecker, target, { maxReplays: options.maxReplays, sameClause: options.sameClause, accept: accept && ((out) => accept(c, out)) });
  let best = { config, outcome: minimize(config, ops) };
  for (let changed = true; changed; ) {
    changed = false;
    search: for (const smaller of smallerConfigs(best.config, options.floor)) {
      for (const ops of opsForSmallerConfig(best.outcome.ops, best.config, smaller)) {
        let out: MonitoredOutcome;
        try {
          out = replayLenientMonitored(engine, smaller, ops, makeChecker);
        } catch (e) {
          if (e instanceof ReplayError) continue;
          throw e;
        }
        if (!stillFails(out, target, options.sameClause ?? true) || out.ops.length === 0) continue;
        if (accept && !accept(smaller, out)) continue;
        const outcome = minimize(smaller, out.ops);
        if (outcome.ops.length > best.outcome.ops.length) continue;
        best = { config: smaller, outcome };
        changed = true;
        break search;
      }
    }
  }
  return best;
}

/** The configurations one step smaller than `c` (one field lowered by one), not below `floor`. */
export function smallerConfigs(c: ModelConfig, floor: ModelConfig): ModelConfig[] {
  const out: ModelConfig[] = [];
  for (const k of ['cpus', 'threads', 'procs', 'kthreads'] as const) {
    if (c[k] > floor[k]) out.push({ ...c, [k]: c[k] - 1 });
  }
  return out;
}

type Dropper = (indices: readonly number[]) => boolean;

/** One pass of single-unit deletions; true when something was dropped. */
function dropSingleUnits(ops: () => readonly Op[], tryDrop: Dropper): boolean {
  let changed = false;
  for (let u = pathUnits(ops()).length - 1; u >= 0; u--) {
    const units = pathUnits(ops());
    if (u < units.length && tryDrop(units[u])) changed = true;
  }
  return changed;
}

/** One pass of unit-pair deletions; true when something was dropped. */
function dropUnitPairs(ops: () => readonly Op[], tryDrop: Dropper): boolean {
  let changed = false;
  for (let a = pathUnits(ops()).length - 1; a >= 0; a--) {
    for (let b = a - 1; b >= 0; b--) {
      const units = pathUnits(ops());
      if (a < units.length && tryDrop([...units[b], ...units[a]])) {
        changed = true;
        break; // unit a is gone: move on to the next a
      }
    }
  }
  return changed;
}

/** One pass of contiguous-chunk deletions; true when something was dropped. */
function dropChunks(ops: () => readonly Op[], tryDrop: Dropper): boolean {
  let changed = false;
  for (const size of chunkSizes(ops().length)) {
    for (let start = ops().length - size; start >= 0; start--) {
      if (start + size <= ops().length && tryDrop(range(start, size))) changed = true;
    }
  }
  return changed;
}

/** n/2, n/4, ... while above 12, then 12, 11, ..., 1 (at most n - 1). */
function chunkSizes(n: number): number[] {
  const sizes: number[] = [];
  for (let s = Math.floor(n / 2); s > 12; s = Math.floor(s / 2)) sizes.push(s);
  for (let s = Math.min(12, n - 1); s >= 1; s--) sizes.push(s);
  return sizes;
}

function range(start: number, size: number): number[] {
  return Array.from({ length: size }, (_, k) => start + k);
}
