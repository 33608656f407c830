/**
 * The example engine (examples/toy-sync-core), written only against lazymm's public entries, and
 * the suite `lazymm generate-suite` wrote for it (examples/toy-sync-core/suite, checked in):
 *   - regenerating the suite changes nothing (generate-suite --check);
 *   - the example's jest project, which resolves `lazymm/*` to the BUILT package, passes with the
 *     correct configuration (the engine tests and the generated suite);
 *   - the same generated suite run on the buggy configuration catches it: sync-core-before-usermode
 *     fails with a shrunk counterexample and its timeline, recorded as a fixture; replaying that
 *     fixture then keeps its verdict on the buggy engine and reports the change on the correct one.
 * Each jest or generator run is a child process, as a user would start it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureBuilt, ROOT } from '../package/build-once';

jest.setTimeout(300_000);

const EXAMPLE = path.join(ROOT, 'examples', 'toy-sync-core');
const SUITE = path.join(EXAMPLE, 'suite');
const JEST = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');

interface JestJson {
  numFailedTests: number;
  numPassedTests: number;
  testResults: { name: string; status: string; message: string; assertionResults: { title: string; status: string; failureMessages: string[] }[] }[];
}

let tmp: string;
beforeAll(() => {
  ensureBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lazymm-example-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Runs the example's jest project (optionally only `pattern`) with `env`; returns jest's JSON report. */
function exampleJest(name: string, env: Record<string, string>, pattern?: string): JestJson {
  const report = path.join(tmp, `${name}.json`);
  spawnSync(process.execPath, [JEST, '-c', path.join(EXAMPLE, 'jest.config.js'), '--runInBand', '--json', `--outputFile=${report}`, ...(pattern ? [pattern] : [])], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return JSON.parse(fs.readFileSync(report, 'utf8')) as JestJson;
}

const byFile = (r: JestJson) => Object.fromEntries(r.testResults.map((t) => [path.relative(EXAMPLE, t.name), t.status]));

describe('the example engine and its generated suite', () => {
  it('regenerating the checked-in suite changes nothing', () => {
    const script = `
      require(require.resolve('ts-node', { paths: [${JSON.stringify(ROOT)}] })).register({ transpileOnly: true, project: ${JSON.stringify(path.join(ROOT, 'tsconfig.json'))} });
      const io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };
      process.exitCode = require(${JSON.stringify(path.join(ROOT, 'src', 'suite', 'generate-suite-command'))}).generateSuiteCommand(process.argv.slice(1).filter((a, i) => i > 0 || a !== '--'), io);`;
    const before = Object.fromEntries(fs.readdirSync(SUITE).map((f) => [f, fs.readFileSync(path.join(SUITE, f), 'utf8')]));
    const out = execFileSync(process.execPath, ['-e', script, '--', '--engine', path.join(EXAMPLE, 'engines', 'correct.ts'), '--out', SUITE, '--check'], { cwd: ROOT, encoding: 'utf8' });
    expect(out).toContain('generate-suite: toy-sync-core/correct (x86/shootdown)');
    expect(out.trim().split('\n').at(-1)).toBe('up to date');
    expect(out).not.toMatch(/would be|skipped|stale/);
    expect(Object.fromEntries(fs.readdirSync(SUITE).map((f) => [f, fs.readFileSync(path.join(SUITE, f), 'utf8')]))).toEqual(before);
  });

  it('the example imports lazymm only through its public entries, resolved to dist/', () => {
    const files = ['src', 'engines', 'test', 'suite'].flatMap((d) => fs.readdirSync(path.join(EXAMPLE, d)).filter((f) => f.endsWith('.ts')).map((f) => path.join(EXAMPLE, d, f)));
    const imports = files.flatMap((f) => [...fs.readFileSync(f, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]));
    const external = [...new Set(imports.filter((s) => !s.startsWith('.')))].sort();
    expect(external).toEqual(['lazymm/arbitraries', 'lazymm/engines', 'lazymm/fixtures', 'lazymm/properties', 'lazymm/trace', 'node:path']);
    const mapper = require(path.join(EXAMPLE, 'lazymm-paths.js')).moduleNameMapper() as Record<string, string>;
    for (const target of Object.values(mapper)) expect(target.startsWith(path.join(ROOT, 'dist') + path.sep)).toBe(true);
  });

  it('type-checks against the built declarations (dist/**/*.d.ts)', () => {
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = spawnSync(process.execPath, [tsc, '--noEmit', '--exactOptionalPropertyTypes', '-p', EXAMPLE], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  });

  it('the correct configuration passes: the engine tests and every generated test', () => {
    const r = exampleJest('correct', { LAZYMM_FIXTURES_DIR: path.join(tmp, 'none') });
    expect(byFile(r)).toEqual({
      'suite/membarrier-ordering.test.ts': 'passed',
      'suite/no-lazy-use-after-free.test.ts': 'passed',
      'suite/refcount-balance.test.ts': 'passed',
      'suite/replay.test.ts': 'passed',
      'suite/sync-core-before-usermode.test.ts': 'passed',
      'suite/tlb-coherence.test.ts': 'passed',
      'test/toy-engine.test.ts': 'passed',
    });
    expect(r.numFailedTests).toBe(0);
  });

  it('the buggy configuration is caught, shrunk, rendered and recorded; the fixture then replays', () => {
    const fixtures = path.join(tmp, 'fixtures');
    const buggy = { LAZYMM_ENGINE_MODULE: path.join(EXAMPLE, 'engines', 'buggy.ts'), LAZYMM_FIXTURES_DIR: fixtures };
    const r = exampleJest('buggy', buggy, 'suite/');
    const status = byFile(r);
    expect(status['suite/sync-core-before-usermode.test.ts']).toBe('failed');
    expect(Object.entries(status).filter(([f, s]) => s === 'failed' && f !== 'suite/sync-core-before-usermode.test.ts')).toEqual([]);
    const failure = r.testResults.find((t) => t.name.endsWith('sync-core-before-usermode.test.ts'))!.assertionResults[0].failureMessages.join('\n');
    const shrunk = /sync-core-before-usermode violated on toy-sync-core\/buggy: (C3\.1 [^\n]*) at event (\d+) \(\d+ runs, shrunk to (\d+) ops; recorded as ([^)\n]+)\)/.exec(failure);
    expect(shrunk).not.toBeNull();
    expect(Number(shrunk![3])).toBeLessThanOrEqual(16);
    expect(failure).toMatch(/CPU0 +CPU1/);
    expect(failure).toContain(`VIOLATION sync-core-before-usermode ${shrunk![1]} at [${shrunk![2]}]`);
    const recorded = fs.readdirSync(fixtures);
    expect(recorded).toHaveLength(1);
    expect(path.join(fixtures, recorded[0])).toBe(shrunk![4]);
    const fixture = JSON.parse(fs.readFileSync(shrunk![4], 'utf8'));
    expect(fixture.expect).toEqual({ property: 'sync-core-before-usermode', clause: shrunk![1], eventIndex: Number(shrunk![2]) });

    // Replayed on the buggy engine, the fixture keeps its verdict ...
    const again = exampleJest('buggy-replay', buggy, 'suite/replay');
    expect(again.numFailedTests).toBe(0);
    expect(again.testResults[0].assertionResults.map((a) => a.title)).toEqual([`${shrunk![4]} keeps its recorded verdict`]);
    // ... and on the correct one, the replay says what changed.
    const fixed = exampleJest('fixed-replay', { LAZYMM_FIXTURES_DIR: fixtures }, 'suite/replay');
    expect(fixed.numFailedTests).toBe(1);
    expect(fixed.testResults[0].assertionResults[0].failureMessages.join('\n')).toContain(`CHANGED: recorded sync-core-before-usermode ${shrunk![1]} at event ${shrunk![2]}, now no sync-core-before-usermode violation`);
  });
});
