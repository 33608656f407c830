/**
 * Bench-only variants of the coverage search for docs/search.md "Conjunction features" (not
 * registered by the CLI): `coverage-conj` is `coverage` with the conjunction features
 * (`tuning.conjunctions`), `coverage-conjN` the same with `tuning.conjWeight` N, a new conjunction
 * feature weighing N in its entry's pick weight instead of 1; `climb-conj` is `climb` with them.
 * Imported by bench/yardstick.ts, chain-reach.ts and feature-families.ts.
 */
import { profilesFor } from '../arbitraries/check';
import { coverageSearch } from '../arbitraries/coverage-search';
import { climbMutantSearch } from '../src/mutants/climb-searches';
import { searchProfiles } from '../arbitraries/search';
import { registerSearch } from '../src/mutants/search';
import { hitOf, searchCommon } from '../src/mutants/search-adapter';

for (const weight of [1, 4, 16]) {
  registerSearch({
    name: weight === 1 ? 'coverage-conj' : `coverage-conj${weight}`,
    description: `coverage with the conjunction features, a new one weighing ${weight} in its entry's pick weight`,
    run: (target, options) =>
      hitOf(
        coverageSearch({
          ...searchCommon(target, options),
          profiles: searchProfiles('coverage', profilesFor(target.properties)),
          onRun: (info) => options.onRun?.(info.run),
          tuning: { conjunctions: true, conjWeight: weight },
        }).failure,
      ),
  });
}

registerSearch({
  name: 'climb-conj',
  description: 'climb with the conjunction features',
  run: (target, options) => climbMutantSearch(target, options, { conjunctions: true }),
});
