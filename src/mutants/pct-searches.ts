/**
 * PCT-style priority scheduling (arbitraries/pct-search.ts) in the mutant bench's search registry
 * (./search.ts): `pct`, each acting CPU's op chosen under runCheck's weight profiles, as
 * `lazymm check --search pct`. Stops at the first run `target.judge` calls a kill or an error.
 */
import { pctSearch } from '../../arbitraries/pct-search';
import { hitOf, searchCommon } from './search-adapter';
import { registerSearch, type Search } from './search';

export const pctMutantSearch: Search = {
  name: 'pct',
  description: 'PCT: random CPU priorities, the acting CPU runs until one of 1-3 random change points demotes it (runCheck\'s weights for its ops)',
  run: (target, options) => {
    const r = pctSearch({
      ...searchCommon(target, options),
      onRun: options.onRun,
    });
    return hitOf(r.failure);
  },
};

registerSearch(pctMutantSearch);
