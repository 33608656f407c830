/**
 * The visited set shared by the explorer's workers (./parallel.ts): an open-addressing table in a
 * SharedArrayBuffer, one slot = the 64-bit fingerprint of a state key (./fingerprint.ts) and the
 * **priority** of the transition that reached it first in BFS order (level, position of its parent
 * in the level, index of its op among the parent's enabled ops). Inserts are lock-free: a slot's
 * key is claimed with one compare-and-swap from empty, and its priority is lowered with a
 * compare-and-swap loop (an atomic minimum), so whichever worker gets there first, the slot ends a
 * level holding the least priority: the transition the one-worker search would have kept.
 *
 * Empty is 0n in both arrays: a fingerprint of 0 is stored as 1 (one more collision pair among
 * 2^64 values) and a priority is stored plus one.
 */

/** What `claim()` did. */
export const Claim = {
  /** A key not seen before: this transition holds it (for now). */
  New: 0,
  /** A key first reached at this level by a later transition: this one now holds it (for now). */
  Lowered: 1,
  /** A key reached by an earlier transition (this level or before): merge. */
  Merged: 2,
} as const;
export type Claim = (typeof Claim)[keyof typeof Claim];

/** The shared table: buffers to post to workers and rebuild the views from. */
export interface SharedVisitedBuffers {
  keys: SharedArrayBuffer;
  prios: SharedArrayBuffer;
}

const OP_BITS = 12n;
const POS_BITS = 32n;
/** Most enabled ops at one state the priority can number (op index + 1 < 2^12). */
export const MAX_OPS = (1 << Number(OP_BITS)) - 2;

/**
 * The priority of the transition by op `k` (-1: the node itself, before its ops) out of the node
 * at position `pos` of level `level`: the order the one-worker search checks transitions in.
 */
export function priority(level: number, pos: number, k: number): bigint {
  return (BigInt(level) << (POS_BITS + OP_BITS)) | (BigInt(pos) << OP_BITS) | BigInt(k + 1);
}

/** The least priority of any transition into level `level` (level >= 1; the root's is priority(0, 0, -1), below it). */
export const levelBase = (level: number): bigint => priority(level - 1, 0, 0);

/** (position of the parent, op index) of a priority. */
export function priorityParts(p: bigint): { pos: number; k: number } {
  return { pos: Number((p >> OP_BITS) & ((1n << POS_BITS) - 1n)), k: Number(p & ((1n << OP_BITS) - 1n)) - 1 };
}

export class SharedVisitedSet {
  readonly keys: BigInt64Array;
  readonly prios: BigInt64Array;
  readonly capacity: number;
  /** The slot of the last `claim()`. */
  slot = -1;
  /** Whether the last `claim()` wrote the key (a new state, whatever the priority race says). */
  fresh = false;

  constructor(buffers: SharedVisitedBuffers) {
    this.keys = new BigInt64Array(buffers.keys);
    this.prios = new BigInt64Array(buffers.prios);
    this.capacity = this.keys.length;
  }

  static allocate(capacity: number): SharedVisitedSet {
    if (capacity < 2 || (capacity & (capacity - 1)) !== 0) throw new Error(`SharedVisitedSet: capacity must be a power of two (got ${capacity})`);
    return new SharedVisitedSet({ keys: new SharedArrayBuffer(capacity * 8), prios: new SharedArrayBuffer(capacity * 8) });
  }

  get buffers(): SharedVisitedBuffers {
    return { keys: this.keys.buffer as SharedArrayBuffer, prios: this.prios.buffer as SharedArrayBuffer };
  }

  /**
   * Record that the transition of priority `prio` reached the state of fingerprint (hi, lo); the
   * slot is left in `this.slot` (to ask at the end of the level whether this transition still
   * holds it: `holds()`).
   */
  claim(hi: number, lo: number, prio: bigint): Claim {
    if (hi === 0 && lo === 0) lo = 1;
    const key = BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
    const stored = prio + 1n;
    const mask = this.capacity - 1;
    let slot = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
    let fresh = false;
    this.fresh = false;
    for (let probes = 0; ; probes++) {
      if (probes > mask) throw new Error('explore: the shared visited set is full');
      const had = Atomics.compareExchange(this.keys, slot, 0n, key);
      if (had === 0n) {
        fresh = true;
        break;
      }
      if (had === key) break;
      slot = (slot + 1) & mask;
    }
    this.slot = slot;
    this.fresh = fresh;
    // The priority: an atomic minimum (0n: not written yet by the worker that claimed the key).
    for (;;) {
      const cur = Atomics.load(this.prios, slot);
      if (cur !== 0n && cur <= stored) return Claim.Merged;
      if (Atomics.compareExchange(this.prios, slot, cur, stored) === cur) return fresh ? Claim.New : Claim.Lowered;
    }
  }

  /** Whether the transition of priority `prio` holds `slot` (the least priority that reached it). */
  holds(slot: number, prio: bigint): boolean {
    return Atomics.load(this.prios, slot) === prio + 1n;
  }

  /** Entries whose priority is below `below` (every level before the one being built). */
  countBelow(below: bigint): number {
    let n = 0;
    for (let s = 0; s < this.capacity; s++) {
      const p = this.prios[s];
      if (p !== 0n && p - 1n < below) n++;
    }
    return n;
  }

  /**
   * A copy with `capacity` slots holding the entries whose priority is below `below` (the levels
   * already complete): to grow the table between levels, or to drop an aborted level's entries.
   */
  rebuilt(capacity: number, below: bigint): SharedVisitedSet {
    const out = SharedVisitedSet.allocate(capacity);
    const mask = capacity - 1;
    for (let s = 0; s < this.capacity; s++) {
      const p = this.prios[s];
      const key = this.keys[s];
      if (key === 0n || p === 0n || p - 1n >= below) continue;
      const hi = Number(BigInt.asUintN(32, key >> 32n));
      const lo = Number(BigInt.asUintN(32, key));
      let slot = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
      while (out.keys[slot] !== 0n) slot = (slot + 1) & mask;
      out.keys[slot] = key;
      out.prios[slot] = p;
    }
    return out;
  }
}
