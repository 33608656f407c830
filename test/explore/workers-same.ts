/** Shared by the worker tests: explore() on one thread and on two give the same search. */
import { explore, type ExploreOptions, type ExploreResult } from '../../src/explore/explore';
import { exploreWorkers } from '../../src/explore/parallel';

/** What must not depend on the number of workers. */
export const outcome = (r: ExploreResult) => ({
  result: r.result,
  states: r.states,
  transitions: r.transitions,
  levels: r.levels,
  depthReached: r.depthReached,
  exhausted: r.exhausted,
  violations: r.violations,
  sharedViolations: r.sharedViolations,
  counterexample: r.counterexample,
});

/** Runs both, expects the same outcome, returns the one-worker result. */
export async function sameWithTwoWorkers(options: ExploreOptions): Promise<ExploreResult> {
  const one = explore(options);
  const two = await exploreWorkers(options, 2);
  expect(outcome(two)).toEqual(outcome(one));
  return one;
}
