/**
 * Whether a mutant changes behaviour at all: the same generated runs on the mutant engine and on
 * the unmutated one, trace against trace. A mutant that is not killed and whose traces never
 * differed was most likely never reached (its code does not run on that engine or in those
 * configurations) or changes nothing observable; one whose traces differ but that no property
 * rejects is a candidate for a missing property clause or a truly equivalent change.
 */
import fc from 'fast-check';
import { createEngine } from '../engine/registry';
import { modelConfigArbitrary } from '../../arbitraries/config';
import { DEFAULT_MAX_OPS, interleavingArbitrary } from '../../arbitraries/interleaving';
import { runChoices } from '../../arbitraries/interleaving';
import { DEFAULT_WEIGHTS } from '../../arbitraries/weights';
import type { MutantInstance } from './instances';
import { mutantFactory } from './instances';

/** How many of `runs` generated runs (seeded) give a different trace on the mutant than on the base. */
export function divergingRuns(inst: MutantInstance, runs: number, seed: number): number {
  const mutant = mutantFactory(inst.site).createEngine(inst.engine);
  const base = createEngine(inst.engine);
  const samples = fc.sample(fc.tuple(modelConfigArbitrary(), interleavingArbitrary({ maxOps: DEFAULT_MAX_OPS })), { numRuns: runs, seed });
  let differ = 0;
  for (const [config, choices] of samples) {
    let a: string;
    try {
      a = JSON.stringify(runChoices(mutant, config, choices, DEFAULT_WEIGHTS).events);
    } catch {
      differ++; // the mutant threw where the base did not (or did: either way a change)
      continue;
    }
    const b = JSON.stringify(runChoices(base, config, choices, DEFAULT_WEIGHTS).events);
    if (a !== b) differ++;
  }
  return differ;
}
