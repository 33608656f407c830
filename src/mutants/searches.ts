/**
 * The built-in searches (./search.ts):
 * - `generator`: the `weighted` search, as runCheck() and the campaign run it (arbitraries/check-engine.ts): the
 *   fast-check configuration and choice-list arbitraries, the weight profiles runCheck picks for the
 *   checked properties (DEFAULT_PROFILES for every property: the weights and the race/TLB focus
 *   rules of arbitraries/weight-rules.ts, race-focus.ts, tlb-focus.ts), stopping at the first kill
 *   (no shrinking).
 * - `weighted2`: the generator with runs of 40..160 ops instead of 0..120 (arbitraries/long-runs.ts).
 * - `uniform`: the bench's naive baseline, the same with UNIFORM_WEIGHTS (a uniform choice of
 *   enabled op kind, then of instance; no rule).
 */
import fc from 'fast-check';
import { modelConfigArbitrary } from '../../arbitraries/config';
import { profilesFor } from '../../arbitraries/check';
import { DEFAULT_MAX_OPS, interleavingArbitrary, type InterleavingConstraints } from '../../arbitraries/interleaving';
import { runChoicesMonitored } from '../../arbitraries/monitored-run';
import { UNIFORM_WEIGHTS, type Weights } from '../../arbitraries/weights';
import { longRunConstraints } from '../../arbitraries/long-runs';
import { plainProfileSpace, type ProfileSpace } from '../../arbitraries/swarm';
import { registerSearch, type Search, type SearchHit, type SearchOptions, type SearchTarget } from './search';

/**
 * Random runs of fast-check-generated (configuration, profile, choices), as checkEngine draws them;
 * `space` indexes the profiles (default: `profiles` themselves; the swarm search: every profile under
 * every mask, arbitraries/swarm.ts).
 */
export function fastCheckSearch(
  target: SearchTarget,
  options: SearchOptions,
  profiles: readonly Weights[],
  space: ProfileSpace = plainProfileSpace(profiles),
  choices: InterleavingConstraints = { maxOps: DEFAULT_MAX_OPS },
): SearchHit | null {
  const configArb = modelConfigArbitrary();
  const profileArb = space.arbitrary();
  const choicesArb = interleavingArbitrary(choices);
  let runs = 0;
  let hit: SearchHit | null = null;
  fc.check(
    fc.property(configArb, profileArb, choicesArb, (config, profile, choices) => {
      if (hit) return true;
      runs++;
      const outcome = runChoicesMonitored(target.engine, config, choices, space.weights(profile), target.makeChecker);
      const kind = target.judge(config, outcome);
      options.onRun?.(runs);
      if (kind === null) return true;
      hit = { runs, kind, config, outcome };
      return false;
    }),
    { numRuns: options.budget, seed: options.seed, endOnFailure: true },
  );
  return hit;
}

export const generatorSearch: Search = {
  name: 'generator',
  description: "the weighted generator: runCheck's weight profiles with the race/TLB focus rules, runs of 0..120 ops (runCheck's and the campaign's default until weighted2, 40..160 ops, replaced it)",
  run: (target, options) => fastCheckSearch(target, options, profilesFor(target.properties)),
};

export const uniformSearch: Search = {
  name: 'uniform',
  description: 'the naive baseline: UNIFORM_WEIGHTS (uniform op kind, then instance), same configurations and run length',
  run: (target, options) => fastCheckSearch(target, options, [UNIFORM_WEIGHTS]),
};

export const weighted2Search: Search = {
  name: 'weighted2',
  description: "the generator with longer runs: 40..160 ops instead of 0..120 (arbitraries/long-runs.ts; `lazymm check`'s default)",
  run: (target, options) => fastCheckSearch(target, options, profilesFor(target.properties), undefined, longRunConstraints()),
};

registerSearch(generatorSearch);
registerSearch(weighted2Search);
registerSearch(uniformSearch);
import './coverage-searches';
import './pct-searches';
import './swarm-searches';
import './climb-searches';
import './goexplore-searches';
import './echo-searches';
