/** `lazymm check-trace` and `lazymm generate-suite` are reachable from the command line. */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { createEngine } from '../../src/engine/build';
import { lazymm, lazymmAsync } from './helpers';

describe('lazymm check-trace through main()', () => {
  it('a clean engine trace holds (exit 0); a malformed file is exit 2', async () => {
    const engine = createEngine({ arch: 'x86', strategy: 'refcount' });
    const { state, events } = engine.init({ cpus: 2, procs: 1, threads: 2, kthreads: 0 });
    for (let i = 0; i < 20; i++) events.push(...engine.apply(state, engine.enabled(state)[0]));
    const dir = mkdtempSync(join(tmpdir(), 'lazymm-ct-'));
    try {
      writeFileSync(join(dir, 'ok.json'), JSON.stringify({ format: 'lazymm-trace/1', events }));
      writeFileSync(join(dir, 'bad.json'), '{"format": "lazymm-trace/1", "events": [');
      expect((await lazymmAsync('check-trace', join(dir, 'ok.json'))).code).not.toBe(1);
      const bad = await lazymmAsync('check-trace', join(dir, 'bad.json'));
      expect(bad.code).toBe(2);
      expect(bad.out + bad.err).toContain('bad.json');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('generate-suite without --engine is a usage error', () => {
    const r = lazymm('generate-suite');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--engine');
  });
});
