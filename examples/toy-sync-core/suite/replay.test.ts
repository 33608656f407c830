// lazymm-generated sha256:d8c956386481e311a3f72903e091b16f7c0d6ee69a2a45d29b9f98719fbd1bd4 (lazymm generate-suite rewrites this file while it is unedited; once you edit it, it is yours)
/**
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
