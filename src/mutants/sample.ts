/**
 * A reproducible sample of mutant instances, spread over the operators: the instances of each
 * operator are shuffled by the seed, then taken round-robin operator by operator, so that a small
 * sample still has every operator. The sample keeps the enumeration order.
 */
import { OPERATORS } from './types';
import type { MutantInstance } from './instances';
import { mulberry32 as prng } from '../trace-io/generate-trace';


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
