/**
 * murmur3's 32-bit finaliser: spreads every input bit over the output. The searches' hashes (FNV-1a
 * over strings or words) end with it, because FNV's low bits alone are weak.
 */
export function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
