/**
 * Bench-only variants of the coverage search for docs/search.md "Conjunction features" (not
 * registered by the CLI): `coverage-conjN` is `coverage` with `tuning.conjWeight` N, a new
 * conjunction feature weighing N in its entry's pick weight instead of 1. Imported by
 * bench/yardstick.ts.
 */
import { profilesFor } from '../arbitraries/check';
import { coverageSearch } from '../arbitraries/coverage-search';
import { searchProfiles } from '../arbitraries/search';
import { registerSearch } from '../src/mutants/search';
import { hitOf, searchCommon } from '../src/mutants/search-adapter';

for (const weight of [4, 16]) {
  registerSearch({
    name: `coverage-conj${weight}`,
    description: `coverage with a new conjunction feature weighing ${weight} in its entry's pick weight`,
    run: (target, options) =>
      hitOf(
        coverageSearch({
          ...searchCommon(target, options),
          profiles: searchProfiles('coverage', profilesFor(target.properties)),
          onRun: (info) => options.onRun?.(info.run),
          tuning: { conjWeight: weight },
        }).failure,
      ),
  });
}
