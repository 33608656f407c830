/**
 * Traces as fixtures: a fixture may hold a recorded trace instead of ops (for engines lazymm cannot
 * replay). The schema accepts both kinds, and checkFixture re-checks the recorded verdict of either:
 * ops are replayed, traces are checked as they stand. Every fixture in the repository keeps its verdict.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createEngine } from '../../src/engine';
import {
  checkFixture, FixtureError, listFixtureFiles, loadAnyFixture, loadFixture, serializeFixture, validateFixture, writeFixture,
  type Fixture, type TraceFixture,
} from '../../src/fixtures';
import { SYNC_CORE_GAP_TRACE } from '../../src/render/example-trace';
import { tempDir } from './helpers';

const ROOT = path.resolve(__dirname, '..', '..');
const COUNTEREXAMPLES = path.join(__dirname, 'counterexamples');
const gapIndex = SYNC_CORE_GAP_TRACE.length - 1;

const traceFixture = (over: Partial<TraceFixture> = {}): TraceFixture => ({
  format: 'lazymm-fixture/1',
  name: 'gap',
  description: 'the hand-written SYNC_CORE gap',
  expect: { property: 'sync-core-before-usermode', eventIndex: gapIndex },
  trace: SYNC_CORE_GAP_TRACE,
  ...over,
});

const opsFixture = (): Fixture => loadFixture(path.join(COUNTEREXAMPLES, 'variant-no-lazy-mmgrab.json'));

describe('the fixture schema accepts trace fixtures', () => {
  it('without engine, config or provenance', () => {
    expect(validateFixture(traceFixture())).toEqual({ ok: true });
    expect(validateFixture(traceFixture({ engine: { arch: 'x86', strategy: 'refcount' }, config: { cpus: 2, procs: 1, threads: 2, kthreads: 1 } }))).toEqual({ ok: true });
  });

  it.each([
    ['a bad event', { trace: [SYNC_CORE_GAP_TRACE[0], { k: 'mb', cpu: -1, fn: 'smp_mb' }] }, '/trace/1/cpu', 'expected integer >= 0 (got -1)'],
    ['init not first', { trace: [SYNC_CORE_GAP_TRACE[1]] }, '/trace/0/k', 'expected "init" (event 0 is always init)'],
    ['an empty trace', { trace: [] }, '/trace', 'expected a lazymm trace (lazymm-trace/1): an array of at least 1 event, init first'],
    ['ops next to the trace', { ops: [] }, '/ops', 'a fixture holds ops or a trace, not both'],
  ])('rejects %s at the right path', (_what, over, where, message) => {
    const r = validateFixture({ ...traceFixture(), ...(over as object) });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toEqual({ path: where, message: expect.stringContaining(message) });
  });

  it('still requires engine, config, ops and provenance of an ops fixture', () => {
    const { engine: _e, ...noEngine } = opsFixture();
    const r = validateFixture(noEngine);
    expect(r).toEqual({ ok: false, errors: [{ path: '/engine', message: 'missing required property' }] });
  });

  it('writes one event per line and loads it back; loadFixture (ops only) refuses it', () => {
    const t = tempDir('lazymm-trace-fixture-');
    try {
      const file = writeFixture(t.dir, traceFixture());
      expect(fs.readFileSync(file, 'utf8')).toContain(`  "trace": [\n    ${JSON.stringify(SYNC_CORE_GAP_TRACE[0])},\n`);
      expect(serializeFixture(traceFixture()).endsWith('\n  ]\n}\n')).toBe(true);
      expect(loadAnyFixture(file)).toEqual(traceFixture());
      expect(() => loadFixture(file)).toThrow(FixtureError);
      expect(() => loadFixture(file)).toThrow(`${file}: /trace: holds a recorded trace, not ops`);
    } finally {
      t.cleanup();
    }
  });
});

describe('checkFixture', () => {
  it('a trace fixture: checked as it stands', () => {
    expect(checkFixture(traceFixture())).toMatchObject({ ok: true, detail: `as recorded: sync-core-before-usermode at event ${gapIndex}` });
    const moved = checkFixture(traceFixture({ expect: { property: 'sync-core-before-usermode', eventIndex: 3 } }));
    expect(moved.ok).toBe(false);
    expect(moved.detail).toMatch(new RegExp(`^CHANGED: recorded sync-core-before-usermode at event 3, now sync-core-before-usermode C3.1 .* at event ${gapIndex}$`));
    expect(checkFixture(traceFixture({ expect: 'pass' })).detail).toMatch(/^CHANGED: recorded pass \(no violation\), now sync-core-before-usermode/);
  });

  it('an ops fixture: replayed on its engine, or on the engine given', () => {
    const f = opsFixture();
    expect(checkFixture(f)).toMatchObject({ ok: true, detail: expect.stringMatching(/^as recorded: refcount-balance C1\.1/) });
    // The variant's base engine takes the lazy reference: the recorded violation is gone.
    const base = checkFixture(f, createEngine({ arch: 'x86', strategy: 'refcount' }));
    expect(base).toMatchObject({ ok: false, detail: expect.stringMatching(/^CHANGED: recorded refcount-balance C1\.1 .* at event 10, now no refcount-balance violation$/) });
  });

  it('ops the engine does not accept', () => {
    const f = { ...opsFixture(), ops: [{ op: 'exit' as const, cpu: 1 }] };
    expect(checkFixture(f)).toMatchObject({ ok: false, detail: expect.stringMatching(/^CHANGED: the engine no longer accepts the recorded ops: replay: op 0 \(cpu1 exit\) is not enabled/) });
  });

  it('every fixture in the repository keeps its recorded verdict', () => {
    const files = [path.join(ROOT, 'fixtures'), COUNTEREXAMPLES].filter((d) => fs.existsSync(d)).flatMap(listFixtureFiles);
    expect(files.length).toBeGreaterThan(10);
    const changed = files.map((file) => ({ file, r: checkFixture(loadAnyFixture(file)) })).filter((x) => !x.r.ok).map((x) => `${x.file}: ${x.r.detail}`);
    expect(changed).toEqual([]);
  });
});
