/**
 * `npm run test:package` (not part of `npm test`: it installs from the npm cache or registry and takes
 * a minute). A new project as an importer makes it: the packed tarball installed next to ANOTHER
 * fast-check 4.x than lazymm's own, `tsc --init` defaults (module nodenext, strict,
 * exactOptionalPropertyTypes, verbatimModuleSyntax), and the usage docs/engine-contract.md shows —
 * checkEngine, createTraceChecker, fc.property(modelConfigArbitrary(), ...) — type-checked and run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureBuilt, ROOT } from '../package/build-once';

jest.setTimeout(600_000);

/** A fast-check 4.x other than the one in lazymm's lockfile. */
const OTHER_FAST_CHECK = process.env.LAZYMM_OTHER_FAST_CHECK ?? '4.11.0';

const run = (cmd: string, args: string[], cwd: string): string =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });

let tmp: string;
let scratch: string;

beforeAll(() => {
  ensureBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lazymm-pkgtest-'));
  const packed = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], ROOT))[0] as { filename: string };
  scratch = path.join(tmp, 'project');
  fs.mkdirSync(scratch);
  fs.writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ name: 'project', version: '1.0.0', private: true }));
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', path.join(tmp, packed.filename), `fast-check@${OTHER_FAST_CHECK}`], scratch);
  run(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--init'], scratch);
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

it('installs one fast-check: the project\'s, which lazymm shares', () => {
  const tree = JSON.parse(run('npm', ['ls', 'fast-check', '--all', '--json'], scratch)) as { dependencies: Record<string, { version: string; dependencies?: Record<string, unknown> }> };
  expect(tree.dependencies['fast-check'].version).toBe(OTHER_FAST_CHECK);
  expect(tree.dependencies.lazymm.dependencies?.['fast-check']).toMatchObject({ version: OTHER_FAST_CHECK });
});

/** The documented usage, as a CommonJS module (`import x = require(...)`: what verbatimModuleSyntax allows in a .cts). */
const USAGE_CTS = `import fc = require('fast-check');
import arbitraries = require('lazymm/arbitraries');
import engines = require('lazymm/engines');
import fixtures = require('lazymm/fixtures');
import properties = require('lazymm/properties');
import trace = require('lazymm/trace');

const engine = engines.createEngine({ arch: 'x86', strategy: 'refcount', knobs: { membarrierSwitchMmFix: true, syncCoreOnLazySameMmSwitch: true } });
const result = arbitraries.checkEngine({
  engine,
  makeChecker: (init) => properties.createTraceChecker(init, properties.allProperties),
  propertyIds: properties.allProperties.map((p) => p.id),
  runs: 5,
});
fc.assert(fc.property(arbitraries.modelConfigArbitrary(), (config) => config.cpus >= 1), { numRuns: 5 });
const problems = new trace.TraceValidator().check(trace.EXAMPLE_EVENTS.mb, 0).map((p) => p.rule);
console.log(JSON.stringify({ result: result.result, fastCheck: fixtures.fastCheckVersion(), problems }));
`;

it('type-checks and runs the documented usage under tsc --init defaults (a CommonJS module)', () => {
  fs.writeFileSync(path.join(scratch, 'usage.cts'), USAGE_CTS);
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const compiled = spawnSync(process.execPath, [tsc, '-p', '.'], { cwd: scratch, encoding: 'utf8' });
  expect(compiled.stdout).toBe('');
  expect(compiled.status).toBe(0);
  const out = JSON.parse(run(process.execPath, ['usage.cjs'], scratch)) as { result: string; fastCheck: string; problems: string[] };
  expect(out).toEqual({ result: 'pass', fastCheck: OTHER_FAST_CHECK, problems: ['order'] });
});
