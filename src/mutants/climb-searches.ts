/**
 * The climbing search of arbitraries/climb-search.ts in the mutant bench's search registry
 * (./search.ts), with its ablations (docs/search.md "Climbing chains"):
 * - `climb`: rarity schedule, cut at the feature, argument mutation (runCheck's weight profiles);
 * - `climb-norarity`: entries picked as `coverage` picks them ((1 + added) / (1 + picks));
 * - `climb-nocut`: no cut at a feature (havoc mutations only);
 * - `climb-noarg`: no argument mutation.
 * Each stops at the first run `target.judge` calls a kill or an error.
 */
import { climbSearch, type ClimbTuning } from '../../arbitraries/climb-search';
import { hitOf, searchCommon } from './search-adapter';
import { registerSearch, type Search, type SearchHit, type SearchOptions, type SearchTarget } from './search';

/** One climbing search of `target` with `tuning` over the defaults. */
export function climbMutantSearch(target: SearchTarget, options: SearchOptions, tuning: Partial<ClimbTuning> = {}): SearchHit | null {
  const r = climbSearch({
    ...searchCommon(target, options),
    onRun: (info) => options.onRun?.(info.run),
    tuning,
  });
  return hitOf(r.failure);
}

const variants: [string, string, Partial<ClimbTuning>][] = [
  ['climb', 'coverage-guided, climbing: rarity schedule, cut at the feature, argument mutation', {}],
  ['climb-norarity', 'climb with the coverage search\'s entry schedule', { rarity: false }],
  ['climb-nocut', 'climb without the cut at a feature', { cutRate: 0 }],
  ['climb-noarg', 'climb without argument mutation', { argMutation: false }],
];

export const climbSearches: Search[] = variants.map(([name, description, tuning]) => ({
  name,
  description,
  run: (target, options) => climbMutantSearch(target, options, tuning),
}));

for (const s of climbSearches) registerSearch(s);
