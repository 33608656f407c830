/**
 * Go-Explore (arbitraries/goexplore-search.ts) in the mutant bench's search registry (./search.ts):
 * `goexplore`, returning to an archived abstract state and exploring on under runCheck's weight
 * profiles (with the focus rules), as `lazymm check --search goexplore`. Stops at the first run
 * `target.judge` calls a kill or an error.
 */
import { goExploreSearch } from '../../arbitraries/goexplore-search';
import { hitOf, searchCommon } from './search-adapter';
import { registerSearch, type Search } from './search';

export const goExploreMutantSearch: Search = {
  name: 'goexplore',
  description: 'Go-Explore: an archive of abstract states (cells) with the shortest prefix reaching each; return to a rarely visited one, explore on',
  run: (target, options) => {
    const r = goExploreSearch({
      ...searchCommon(target, options),
      onRun: (info) => options.onRun?.(info.run),
    });
    return hitOf(r.failure);
  },
};

registerSearch(goExploreMutantSearch);
