/**
 * Swarm testing (arbitraries/swarm.ts) in the mutant bench's search registry (./search.ts):
 * - `swarm`: the generator (runCheck's weight profiles with the focus rules) with a swarm mask per
 *   run, as `lazymm check --search swarm`: each run omits some op kinds and argument values;
 * - `coverage-swarm`: the coverage-guided search whose fresh runs draw a swarm mask and whose
 *   profile mutation may change it, as `lazymm check --search coverage-swarm`.
 * Both stop at the first run `target.judge` calls a kill or an error.
 */
import { profilesFor } from '../../arbitraries/check';
import { swarmProfileSpace } from '../../arbitraries/swarm';
import { coverageMutantSearch } from './coverage-searches';
import { fastCheckSearch } from './searches';
import { registerSearch, type Search } from './search';

export const swarmSearch: Search = {
  name: 'swarm',
  description: 'the generator with a swarm mask per run: some op kinds and argument values omitted (never step or ipi)',
  run: (target, options) => {
    const profiles = profilesFor(target.properties);
    return fastCheckSearch(target, options, profiles, swarmProfileSpace(profiles));
  },
};

export const coverageSwarmSearch: Search = {
  name: 'coverage-swarm',
  description: 'coverage-guided with a swarm mask per fresh run, changed by the profile mutation',
  run: (target, options) => coverageMutantSearch(target, options, true, true),
};

registerSearch(swarmSearch);
registerSearch(coverageSwarmSearch);
