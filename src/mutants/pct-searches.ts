/**
 * PCT-style priority scheduling (arbitraries/pct-search.ts) in the mutant bench's search registry
 * (./search.ts): `pct`, each acting CPU's op chosen under runCheck's weight profiles, as
 * `lazymm check --search pct`. Stops at the first run `target.judge` calls a kill or an error.
 */
import { profilesFor } from '../../arbitraries/check';
import { DEFAULT_MAX_OPS } from '../../arbitraries/interleaving';
import { pctSearch } from '../../arbitraries/pct-search';
import { registerSearch, type Search } from './search';

export const pctMutantSearch: Search = {
  name: 'pct',
  description: 'PCT: random CPU priorities, the acting CPU runs until one of 1-3 random change points demotes it (runCheck\'s weights for its ops)',
  run: (target, options) => {
    const r = pctSearch({
      engine: target.engine,
      makeChecker: target.makeChecker,
      runs: options.budget,
      seed: options.seed,
      maxOps: DEFAULT_MAX_OPS,
      profiles: profilesFor(target.properties),
      counts: (config, out) => target.judge(config, out) !== null,
      onRun: options.onRun,
    });
    const f = r.failure;
    if (f === null) return null;
    return { runs: f.run, kind: f.out.error !== null ? 'error' : 'kill', config: f.config, outcome: f.out };
  },
};

registerSearch(pctMutantSearch);
