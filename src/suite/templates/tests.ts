/** The generated suite's test files: one per property, and the fixture replay. */
import type { Property } from '../../../properties';
import { quote } from './engine-module';

/** `<property>.test.ts`: the property on random interleavings of the engine. */
export function propertyTestTs(p: Property): string {
  return `/**
 * ${p.id}: ${p.title}.
 * Reference: ${p.reference}
 *
 * lazymm's arbitraries generate interleavings of the engine's enabled ops; lazymm's property checks
 * each trace. A failure is shrunk, recorded as a fixture (./fixtures) and shown with its timeline;
 * replay.test.ts replays recorded fixtures from then on. Edit the options below to tune the search
 * (once edited, lazymm generate-suite leaves this file alone).
 */
import { engine } from './engine';
import { checkProperty } from './harness';

describe(${quote(`${p.id} on `)} + engine.info.id, () => {
  it('holds on random interleavings', () => {
    checkProperty(engine, ${quote(p.id)}, { /* runs: 1000, seed: 42, maxOps: 200 */ });
  });
});
`;
}

/** `replay.test.ts`: every recorded fixture keeps its recorded verdict. */
export const REPLAY_TEST_TS = `/**
 * Every fixture recorded in ./fixtures (or $LAZYMM_FIXTURES_DIR) keeps its recorded verdict: an ops
 * fixture is replayed on the engine, a trace fixture is checked as it stands. A fixture recorded from
 * a failure expects that failure until you fix the engine and change its "expect" to "pass".
 */
import { engine } from './engine';
import { fixturesDir, recordedFixtures, replayFixture } from './harness';

const files = recordedFixtures();

describe('recorded fixtures on ' + engine.info.id, () => {
  if (files.length === 0) {
    it('none recorded yet in ' + fixturesDir, () => undefined);
    return;
  }
  it.each(files)('%s keeps its recorded verdict', (file) => {
    replayFixture(engine, file);
  });
});
`;
