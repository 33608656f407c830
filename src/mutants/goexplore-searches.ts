/**
 * Go-Explore (arbitraries/goexplore-search.ts) in the mutant bench's search registry (./search.ts):
 * `goexplore`, returning to an archived abstract state and exploring on under runCheck's weight
 * profiles (with the focus rules), as `lazymm check --search goexplore`. Stops at the first run
 * `target.judge` calls a kill or an error.
 */
import { profilesFor } from '../../arbitraries/check';
import { goExploreSearch } from '../../arbitraries/goexplore-search';
import { DEFAULT_MAX_OPS } from '../../arbitraries/interleaving';
import { registerSearch, type Search } from './search';

export const goExploreMutantSearch: Search = {
  name: 'goexplore',
  description: 'Go-Explore: an archive of abstract states (cells) with the shortest prefix reaching each; return to a rarely visited one, explore on',
  run: (target, options) => {
    const r = goExploreSearch({
      engine: target.engine,
      makeChecker: target.makeChecker,
      runs: options.budget,
      seed: options.seed,
      maxOps: DEFAULT_MAX_OPS,
      profiles: profilesFor(target.properties),
      counts: (config, out) => target.judge(config, out) !== null,
      onRun: (info) => options.onRun?.(info.run),
    });
    const f = r.failure;
    if (f === null) return null;
    return { runs: f.run, kind: f.out.error !== null ? 'error' : 'kill', config: f.config, outcome: f.out };
  },
};

registerSearch(goExploreMutantSearch);
