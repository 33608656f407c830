/**
 * The flags of `lazymm mutants` (./mutants.ts), apart from the command so that the CLI loads the
 * TypeScript compiler (which the mutants parse the engine with) only when the command runs.
 */
import { deriveSeed } from '../../../arbitraries/seed';
import { OPERATORS } from '../../mutants/types';
import type { FlagSpec } from '../args';

export const MUTANTS_DEFAULTS = { budget: 1000, seed: deriveSeed('lazymm mutants'), exploreSeconds: 5 } as const;

export const MUTANTS_FLAGS: readonly FlagSpec[] = [
  { name: 'list', kind: 'switch', help: 'list the mutants (id, line, description)' },
  { name: 'run', kind: 'switch', help: 'judge the mutants: each search, then the explorer; print the mutation score' },
  { name: 'budget', kind: 'value', arg: 'N', help: `random runs per search and mutant (default ${MUTANTS_DEFAULTS.budget})` },
  { name: 'sample', kind: 'value', arg: 'K', help: 'only K mutants, spread over the operators, chosen by the seed (default: all)' },
  { name: 'seed', kind: 'value', arg: 'N', help: `seed of the searches and of the sample (default ${MUTANTS_DEFAULTS.seed})` },
  { name: 'search', kind: 'list', arg: 'NAME', help: 'a search to run, in order; repeatable (default: generator, uniform, coverage, climb)' },
  { name: 'operator', kind: 'list', arg: 'OP', help: `only this operator; repeatable (${OPERATORS.join(', ')})` },
  { name: 'engine', kind: 'list', arg: 'ARCH/STRATEGY', help: 'only mutants on this engine; repeatable (x86/refcount, powerpc/shootdown, arm64/refcount, x86/hazard)' },
  { name: 'knob', kind: 'list', arg: 'NAME=VALUE', help: 'set a knob on every mutant engine whose arch has it, mutant and base alike (e.g. storeBuffer=none, the model without the store buffer); repeatable' },
  { name: 'id', kind: 'list', arg: 'TEXT', help: 'only mutants whose id contains TEXT; repeatable' },
  { name: 'explore-seconds', kind: 'value', arg: 'S', help: `explorer fallback per mutant not killed by a search, seconds; 0: none (default ${MUTANTS_DEFAULTS.exploreSeconds})` },
  { name: 'json', kind: 'switch', help: 'print one JSON document instead of text' },
];
