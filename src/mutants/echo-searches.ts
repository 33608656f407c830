/**
 * Argument echo (arbitraries/echo.ts) in the mutant bench's search registry (./search.ts):
 * `weighted2-echo` is `weighted2` (runCheck's weight profiles and focus rules, runs of 40..160 ops)
 * with every profile wrapped by echoWeights(): an op carrying an argument value that an op of
 * another kind applied earlier in the run is likelier. Stops at the first run `target.judge` calls
 * a kill or an error.
 */
import { profilesFor } from '../../arbitraries/check';
import { echoWeights } from '../../arbitraries/echo';
import { longRunConstraints } from '../../arbitraries/long-runs';
import { fastCheckSearch } from './searches';
import { registerSearch, type Search } from './search';

export const weighted2EchoSearch: Search = {
  name: 'weighted2-echo',
  description: 'weighted2 with argument echo: an op sharing an argument value (cmd=X, mm=M, next=T) with an earlier op of another kind in the run is likelier',
  run: (target, options) =>
    fastCheckSearch(target, options, profilesFor(target.properties).map((p) => echoWeights(p)), undefined, longRunConstraints()),
};

registerSearch(weighted2EchoSearch);
