/**
 * A reproducible sample of mutant instances, spread over the operators: the instances of each
 * operator are shuffled by the seed, then taken round-robin operator by operator, so that a small
 * sample still has every operator. The sample keeps the enumeration order.
 */
import { OPERATORS } from './types';
import type { MutantInstance } from './instances';

/** A small deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function sampleInstances(all: readonly MutantInstance[], k: number, seed: number): MutantInstance[] {
  if (k >= all.length) return [...all];
  const rnd = prng(seed);
  const pools = OPERATORS.map((op) => {
    const pool = all.filter((i) => i.site.operator === op);
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    return pool;
  });
  const picked = new Set<MutantInstance>();
  while (picked.size < k) {
    for (const pool of pools) {
      const next = pool.shift();
      if (next && picked.size < k) picked.add(next);
    }
  }
  return all.filter((i) => picked.has(i));
}
