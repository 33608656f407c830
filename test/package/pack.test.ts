/**
 * The package as a user gets it: `npm pack` produces a tarball; a scratch project in a temporary
 * directory installs it (offline: its dependencies are in the npm cache from our own install),
 * imports `lazymm/properties` and `lazymm/trace` and checks traces with no access to lazymm's
 * sources; TypeScript resolves the entries' types through the `exports` map.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createEngine } from '../../src/engine/registry';
import { SYNC_CORE_GAP_TRACE } from '../../src/render/example-trace';
import { randomRun } from '../trace-io/random-run';
import { ensureBuilt, ROOT } from './build-once';

jest.setTimeout(240_000);

const npm = (args: string[], cwd: string): string =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });

let tmp: string;
let scratch: string;
let packed: { filename: string; files: { path: string }[] };

beforeAll(() => {
  ensureBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lazymm-pack-'));
  // The build is ensureBuilt's: --ignore-scripts keeps prepack from rebuilding dist under other tests.
  packed = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], ROOT))[0];
  scratch = path.join(tmp, 'scratch');
  fs.mkdirSync(scratch);
  fs.writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', version: '1.0.0', private: true }));
  const tarball = path.join(tmp, packed.filename);
  try {
    npm(['install', '--offline', '--no-audit', '--no-fund', tarball], scratch);
  } catch {
    npm(['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], scratch);
  }
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('packs the built entries and no TypeScript sources', () => {
    const files = packed.files.map((f) => f.path);
    for (const entry of ['dist/properties/index.js', 'dist/properties/index.d.ts', 'dist/arbitraries/index.js', 'dist/src/trace/index.js', 'dist/src/engine/index.js', 'package.json']) {
      expect(files).toContain(entry);
    }
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    // The one source file shipped is the `prepare` script's (npm warns about a script whose file is missing).
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('properties/'))).toEqual(['src/package/prepare-git-dependency.js']);
    const { scripts } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(files).toContain(/node (\S+\.js)/.exec(scripts.prepare)![1]);
    // Its fixtures: the findings' (the campaign's findings section replays them) and the schema.
    expect(files).toContain('fixtures/schema.json');
    expect(files).toContain('fixtures/findings/global-expedited-stale-rq-state.json');
    // Every entry of the exports map is in the tarball, with its types.
    const { exports: entries } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, string | { types: string; default: string }> };
    for (const target of Object.values(entries)) {
      for (const file of typeof target === 'string' ? [target] : [target.types, target.default]) expect(files).toContain(file.replace(/^\.\//, ''));
    }
  });
});

describe('a scratch project that installed the tarball', () => {
  it('imports lazymm/properties and lazymm/trace and checks traces', () => {
    const engine = createEngine({ arch: 'x86', strategy: 'refcount', knobs: { membarrierSwitchMmFix: true, syncCoreOnLazySameMmSwitch: true } });
    const good = randomRun(engine, { cpus: 3, procs: 2, threads: 2, kthreads: 1 }, 200, 5);
    fs.writeFileSync(path.join(scratch, 'good.json'), JSON.stringify({ format: 'lazymm-trace/1', events: good }));
    fs.writeFileSync(path.join(scratch, 'gap.json'), JSON.stringify({ format: 'lazymm-trace/1', events: SYNC_CORE_GAP_TRACE }));
    fs.writeFileSync(
      path.join(scratch, 'check.js'),
      `const { checkTrace, allProperties } = require('lazymm/properties');
const { validateTrace, renderTimeline } = require('lazymm/trace');
const out = { resolved: require.resolve('lazymm/properties'), version: require('lazymm/package.json').version, properties: allProperties.map((p) => p.id) };
for (const name of ['good', 'gap']) {
  const trace = require('./' + name + '.json');
  const violations = checkTrace(trace.events);
  out[name] = { valid: validateTrace(trace).ok, violations: violations.map((v) => [v.property, v.index]) };
  if (violations.length) out[name].timeline = renderTimeline(trace.events, { violation: violations[0] });
}
console.log(JSON.stringify(out));
`,
    );
    const out = JSON.parse(execFileSync(process.execPath, ['check.js'], { cwd: scratch, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } }));
    expect(out.resolved).toBe(path.join(fs.realpathSync(scratch), 'node_modules', 'lazymm', 'dist', 'properties', 'index.js'));
    expect(out.version).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
    expect(out.properties).toContain('sync-core-before-usermode');
    expect(out.good).toEqual({ valid: true, violations: [] });
    expect(out.gap.valid).toBe(true);
    expect(out.gap.violations).toEqual([['sync-core-before-usermode', SYNC_CORE_GAP_TRACE.length - 1]]);
    expect(out.gap.timeline).toContain('VIOLATION sync-core-before-usermode');
  });

  it('gets the entries\' types through the exports map (TypeScript, node16 resolution)', () => {
    fs.writeFileSync(
      path.join(scratch, 'types.ts'),
      `import { checkTrace, type Violation } from 'lazymm/properties';
import { validateTrace, type TraceEvent, type InitEvent } from 'lazymm/trace';
import type { Engine, Op } from 'lazymm/engines';
import { runChoices } from 'lazymm/arbitraries';
export function check(events: TraceEvent[]): Violation[] {
  if (!validateTrace({ format: 'lazymm-trace/1', events }).ok) return [];
  return checkTrace(events);
}
export function drive<S>(engine: Engine<S>): Op[] {
  return runChoices(engine, { cpus: 2, procs: 1, threads: 1, kthreads: 0 }, [1, 2, 3]).ops;
}
export const first = (events: TraceEvent[]): InitEvent | undefined => (events[0]?.k === 'init' ? events[0] : undefined);
`,
    );
    fs.writeFileSync(
      path.join(scratch, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'node16', moduleResolution: 'node16', target: 'es2022', strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ['types.ts'] }),
    );
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    expect(() => execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: scratch, encoding: 'utf8', stdio: 'pipe' })).not.toThrow();
  });
});
