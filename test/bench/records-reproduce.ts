/** Shared by the records-reproduce tests: which records to run again, and the comparison. */
import { explore } from '../../src/explore/explore';
import type { MinimumSearchRecord } from '../../bench/minima-record';
import { searchOfRecord } from '../../bench/minimum-search';

/** Records under a valid fingerprint, complete (not truncated), of at most `maxStates` states. */
export function reproducibleRecords(records: readonly MinimumSearchRecord[], valid: ReadonlySet<string>, maxStates: number, minStates = 0): MinimumSearchRecord[] {
  return records.filter((r) => valid.has(r.fingerprint) && r.result !== 'truncated' && r.states <= maxStates && r.states > minStates);
}

const outcome = (x: Pick<MinimumSearchRecord, 'result' | 'cleanTo' | 'minimum' | 'states' | 'transitions'>) => ({
  result: x.result,
  cleanTo: x.cleanTo,
  minimum: x.minimum,
  states: x.states,
  transitions: x.transitions,
});

/** The record's search on one thread (the same levels and counts as on two: docs/explore.md "Two workers"). */
export function rerunRecord(record: MinimumSearchRecord): { expected: ReturnType<typeof outcome>; actual: ReturnType<typeof outcome> } {
  const s = searchOfRecord(record);
  const r = explore({ ...s.target, config: s.config, depth: s.depth });
  const found = r.counterexample ?? null;
  const actual = outcome({ result: r.result, cleanTo: found ? found.ops.length - 1 : r.depthReached, minimum: found ? found.ops.length : null, states: r.states, transitions: r.transitions });
  return { expected: outcome(record), actual };
}
