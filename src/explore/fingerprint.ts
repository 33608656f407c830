/**
 * The explorer's visited set: 64-bit fingerprints of state keys in an open-addressing hash table of
 * typed arrays (no string kept per state, nothing for the GC to trace). The fingerprint is two
 * 32-bit multiply-xorshift lanes over the key's UTF-16 code units (two per round), each part's
 * length after it, cross-mixed at the end (the cyrb53 construction, both lanes kept). Two different keys collide with probability about
 * n^2 / 2^65 over n states (3e-4 at 10^8 states); `checkCollisions` keeps the full keys as well and
 * throws on a collision, for tests on small configurations (test/explore/fingerprint.test.ts).
 */

/** The 64-bit fingerprint of `parts` (each followed by its length), as [hi, lo] written into `out`. */
export function fingerprint(parts: readonly string[], out: Uint32Array): void {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let p = 0; p < parts.length; p++) {
    const s = parts[p];
    const n = s.length;
    let i = 0;
    // Two UTF-16 code units per round (a lossless 32-bit word), then the odd one out.
    for (; i + 1 < n; i += 2) {
      const c = s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    if (i < n) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    h1 = Math.imul(h1 ^ n, 2654435761); // the part's length: ['ab', 'c'] and ['a', 'bc'] differ
    h2 = Math.imul(h2 ^ n, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  out[0] = h1 >>> 0;
  out[1] = h2 >>> 0;
}

/** Fingerprint -> node, for the states seen so far. */
export class VisitedSet {
  private hi: Uint32Array;
  private lo: Uint32Array;
  /** node + 1 (0: empty slot). */
  private node: Int32Array;
  private count = 0;
  private readonly fp = new Uint32Array(2);
  /** With collision checking: fingerprint -> full key. */
  private readonly full: Map<string, string> | null;

  constructor(checkCollisions = false, capacity = 1 << 16) {
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.node = new Int32Array(capacity);
    this.full = checkCollisions ? new Map() : null;
  }

  get size(): number {
    return this.count;
  }

  /** The node already seen with this key, or -1 after recording `node` for it. */
  getOrAdd(parts: readonly string[], node: number): number {
    fingerprint(parts, this.fp);
    const hi = this.fp[0];
    const lo = this.fp[1];
    if (this.full !== null) {
      const k = parts.join('\u0001');
      const id = `${hi}:${lo}`;
      const had = this.full.get(id);
      if (had !== undefined && had !== k) throw new Error(`explore: 64-bit fingerprint collision (${id}) between two different state keys`);
      if (had === undefined) this.full.set(id, k);
    }
    const mask = this.node.length - 1;
    let slot = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
    for (;;) {
      const n = this.node[slot];
      if (n === 0) break;
      if (this.hi[slot] === hi && this.lo[slot] === lo) return n - 1;
      slot = (slot + 1) & mask;
    }
    this.hi[slot] = hi;
    this.lo[slot] = lo;
    this.node[slot] = node + 1;
    if (++this.count * 2 > this.node.length) this.grow();
    return -1;
  }

  private grow(): void {
    const { hi, lo, node } = this;
    const cap = node.length * 2;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.node = new Int32Array(cap);
    const mask = cap - 1;
    for (let s = 0; s < node.length; s++) {
      if (node[s] === 0) continue;
      let slot = (lo[s] ^ Math.imul(hi[s], 0x9e3779b1)) & mask;
      while (this.node[slot] !== 0) slot = (slot + 1) & mask;
      this.hi[slot] = hi[s];
      this.lo[slot] = lo[s];
      this.node[slot] = node[s];
    }
  }
}
