/**
 * Partial-order reduction for the breadth-first explorer: sleep sets (Godefroid 1996, ch. 5) with
 * state caching, over ops of different CPUs, with independence decided dynamically by the diamond.
 *
 * - Ops b and c of different CPUs are independent at a state t iff both orders run and agree: c is
 *   enabled at t·b, b at t·c, no transition of t·b·c or t·c·b throws, emits an invalid event or
 *   violates a property, and the full state keys of t·b·c and t·c·b are equal (kernel state, trace
 *   mirror, every property's key: the same key the visited set merges on, so equal futures). This
 *   is conditional independence checked at the very state where the sleep set relies on it; it is
 *   sound for the monitors by construction (no footprint of the kernel or of the properties to
 *   trust). docs/explore.md "Partial-order reduction" has the argument and why the BFS minimum is kept.
 * - Expanding t with sleep set Z(t): the ops of Z(t) are not explored; the explored ops c1, c2, ...
 *   (in the engine's order) give the child t·cj the sleep set { b in Z(t) or b = ci (i < j) :
 *   b independent of cj at t }.
 * - State caching in BFS: a child that merges with a node of the level being built intersects that
 *   node's sleep set with its own (the node is not expanded yet); a child that merges with a node of
 *   an earlier level is dropped as without POR: that node was reached by a shorter path, whose own
 *   sleep set covers its futures, at smaller depths.
 *
 * The cost: a diamond computes the transition it lets the search skip (t·c·b) and one more (t·b·c,
 * which the search computes anyway from t·b), so dynamic independence saves transitions of the
 * search but not work (measured in docs/explore.md). It is the reference a cheaper, static
 * independence relation (footprints of the ops and of the properties) would be checked against.
 */
import type { Engine } from '../engine/contract';
import type { Op } from '../engine/ops';
import type { KernelState } from '../engine/state';
import type { TraceValidator } from '../trace/trace-validator';
import { cloneJson } from './canonical';
import type { ExploreMonitor } from './monitor';

/** A state with everything a transition from it needs. */
export interface Snapshot {
  state: KernelState;
  /** The monitors after the events that led here (not finished). */
  monitor: ExploreMonitor;
  validator: TraceValidator;
  /** Index of the next event. */
  nextIndex: number;
}

/** Counts of the reduction, reported in ExploreResult.por. */
export interface PorStats {
  /** Enabled ops not explored because they were asleep. */
  pruned: number;
  /** Diamonds computed (pairs of ops of different CPUs tested for independence). */
  diamonds: number;
  /** Of which independent. */
  independent: number;
}

export const opId = (op: Op): string => JSON.stringify(op);

/**
 * One transition from `from` by `op`: a fresh snapshot, or null when it throws, emits an invalid
 * event or a property reports a violation (a diamond with such a transition is dependent). Does not
 * touch `from`.
 */
export function stepSnapshot(engine: Engine<KernelState>, from: Snapshot, op: Op): Snapshot | null {
  try {
    const state = cloneJson(from.state);
    const evs = engine.apply(state, op);
    const validator = from.validator.clone();
    const monitor = from.monitor.clone();
    let idx = from.nextIndex;
    for (const ev of evs) {
      if (validator.check(ev, idx).length > 0) return null;
      if (monitor.observe(ev, idx).length > 0) return null;
      idx++;
    }
    if (monitor.endOp().length > 0) return null;
    return { state, monitor, validator, nextIndex: idx };
  } catch {
    return null;
  }
}

/** Is `op` (its id `id`) enabled in `s`? */
const enabledHas = (engine: Engine<KernelState>, s: KernelState, op: Op, id: string): boolean => {
  try {
    return engine.enabled(s).some((o) => o.cpu === op.cpu && o.op === op.op && opId(o) === id);
  } catch {
    return false;
  }
};

/**
 * The sleep-set bookkeeping of one search: per node its sleep set (op ids), the expansion of one
 * node at a time (begin / explored / childSleep), and the merge rule.
 */
export class SleepSets {
  readonly stats: PorStats = { pruned: 0, diamonds: 0, independent: 0 };
  /** node -> its sleep set (op id -> op); undefined: empty. */
  private readonly sleep: (Map<string, Op> | undefined)[] = [];
  // The node being expanded.
  private here: Snapshot | null = null;
  private asleep = new Map<string, Op>();
  /** Ops explored so far at the node being expanded, with the snapshot after each (null: its transition is not clean). */
  private done: { id: string; op: Op; snap: Snapshot | null }[] = [];
  /** Snapshots after sleeping ops at the node being expanded (computed on demand for diamonds). */
  private sleepers = new Map<string, Snapshot | null>();

  constructor(
    private readonly engine: Engine<KernelState>,
    private readonly key: (s: Snapshot) => string[],
  ) {}

  /** Starts expanding `node` from `here`; returns whether op `id` is asleep there (call isAsleep). */
  begin(node: number, here: Snapshot): void {
    this.here = here;
    this.asleep = this.sleep[node] ?? new Map();
    this.done = [];
    this.sleepers = new Map();
  }

  /** Is `op` asleep at the node being expanded (then it is not explored)? Counts it. */
  isAsleep(op: Op): boolean {
    if (this.asleep.size === 0 || !this.asleep.has(opId(op))) return false;
    this.stats.pruned++;
    return true;
  }

  /**
   * The sleep set of the child by `op` (explored, `snap` the state after it, null if its transition
   * is not clean), from the sleep set of the node being expanded and the ops explored before it.
   * Records `op` as explored. `needed` false (the child is never expanded: last level, or merged
   * with a node of an earlier level): records it without computing diamonds.
   */
  childSleep(op: Op, snap: Snapshot | null, needed = true): Map<string, Op> {
    const id = opId(op);
    const out = new Map<string, Op>();
    if (snap !== null && needed) {
      const candidates: [string, Op, Snapshot | null | undefined][] = [];
      for (const [bid, b] of this.asleep) candidates.push([bid, b, undefined]);
      for (const d of this.done) candidates.push([d.id, d.op, d.snap]);
      for (const [bid, b, bsnap] of candidates) {
        if (b.cpu === op.cpu) continue;
        if (this.independent(b, bid, bsnap, op, id, snap)) out.set(bid, b);
      }
    }
    this.done.push({ id, op, snap });
    return out;
  }

  /** Sets the sleep set of a new node. */
  set(node: number, z: Map<string, Op>): void {
    this.sleep[node] = z.size > 0 ? z : undefined;
  }

  /** A child merged with `node` of the level being built: its sleep set becomes the intersection. */
  intersect(node: number, z: Map<string, Op>): void {
    const had = this.sleep[node];
    if (had === undefined) return;
    for (const k of [...had.keys()]) if (!z.has(k)) had.delete(k);
    if (had.size === 0) this.sleep[node] = undefined;
  }

  /** The diamond at the node being expanded: t·b·c and t·c·b both clean and with equal keys. */
  private independent(b: Op, bid: string, bsnap: Snapshot | null | undefined, c: Op, cid: string, csnap: Snapshot): boolean {
    const t = this.here as Snapshot;
    if (bsnap === undefined) {
      // b is asleep here: its transition from t was not computed (it is enabled: the caller only
      // asks for sleeping ops, which were enabled where they fell asleep; checked below anyway).
      if (!this.sleepers.has(bid)) this.sleepers.set(bid, enabledHas(this.engine, t.state, b, bid) ? stepSnapshot(this.engine, t, b) : null);
      bsnap = this.sleepers.get(bid) as Snapshot | null;
    }
    if (bsnap === null) return false;
    this.stats.diamonds++;
    if (!enabledHas(this.engine, bsnap.state, c, cid) || !enabledHas(this.engine, csnap.state, b, bid)) return false;
    const bc = stepSnapshot(this.engine, bsnap, c);
    if (bc === null) return false;
    const cb = stepSnapshot(this.engine, csnap, b);
    if (cb === null) return false;
    const k1 = this.key(bc);
    const k2 = this.key(cb);
    if (k1.length !== k2.length || k1.some((p, i) => p !== k2[i])) return false;
    this.stats.independent++;
    return true;
  }
}
