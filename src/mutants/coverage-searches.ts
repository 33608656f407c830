/**
 * The coverage-guided searches of arbitraries/coverage-search.ts in the mutant bench's search
 * registry (./search.ts):
 * - `coverage`: the corpus-driven search, its random choices under runCheck's weight profiles
 *   (with the focus rules), as `lazymm check --search coverage`;
 * - `coverage-nofocus`: the same with the profiles' kind weights only (no focus rule).
 * Both stop at the first run `target.judge` calls a kill or an error.
 */
import { profilesFor } from '../../arbitraries/check';
import { coverageSearch } from '../../arbitraries/coverage-search';
import { hitOf, searchCommon } from './search-adapter';
import { searchProfiles } from '../../arbitraries/search';
import { registerSearch, type Search, type SearchHit, type SearchOptions, type SearchTarget } from './search';

/** One coverage-guided search of `target`, `focus` choosing the weights (with or without the focus rules). */
export function coverageMutantSearch(target: SearchTarget, options: SearchOptions, focus: boolean, swarm = false): SearchHit | null {
  const profiles = searchProfiles(focus ? 'coverage' : 'coverage-nofocus', profilesFor(target.properties));
  const r = coverageSearch({
    ...searchCommon(target, options),
    profiles,
    onRun: (info) => options.onRun?.(info.run),
    swarm,
  });
  return hitOf(r.failure);
}

export const coverageGuidedSearch: Search = {
  name: 'coverage',
  description: 'coverage-guided: a corpus of runs that reached new interleaving coverage, mutated and spliced, with fresh runs (runCheck\'s weights and focus rules)',
  run: (target, options) => coverageMutantSearch(target, options, true),
};

export const coverageNoFocusSearch: Search = {
  name: 'coverage-nofocus',
  description: 'coverage-guided, with the kind weights only (no focus rule)',
  run: (target, options) => coverageMutantSearch(target, options, false),
};

registerSearch(coverageGuidedSearch);
registerSearch(coverageNoFocusSearch);
