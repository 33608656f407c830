/**
 * `lazymm generate-suite` on a foreign engine module: the files it writes, and regeneration that
 * updates unedited files, keeps edited ones (naming them), recreates deleted ones and reports stale
 * ones; `--check` writes nothing; bad modules are usage errors.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stamp, stampState } from '../../src/suite/content-hash';
import { generateSuiteCommand } from '../../src/suite/generate-suite-command';

const TOY = path.resolve(__dirname, '..', '..', 'arbitraries', 'test-helpers', 'toy-engine');
const PROPERTY_FILES = ['refcount-balance', 'no-lazy-use-after-free', 'sync-core-before-usermode', 'membarrier-ordering', 'tlb-coherence'].map((p) => `${p}.test.ts`);
const ALL = ['README.md', 'harness.ts', 'engine.ts', ...PROPERTY_FILES, 'replay.test.ts'];

let dir: string;
let moduleFile: string;
let out: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lazymm-gen-'));
  moduleFile = path.join(dir, 'engines', 'toy.js');
  fs.mkdirSync(path.dirname(moduleFile));
  fs.writeFileSync(moduleFile, `const { createToyEngine } = require(${JSON.stringify(TOY)});\nexports.createEngine = () => createToyEngine('toy/generated');\n`);
  out = path.join(dir, 'suite');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(...argv: string[]): { code: number; out: string; err: string } {
  let o = '';
  let e = '';
  const code = generateSuiteCommand(argv, { out: (s) => void (o += s), err: (s) => void (e += s) });
  return { code, out: o, err: e };
}
const gen = (...extra: string[]) => run('--engine', moduleFile, '--out', out, ...extra);
const lineOf = (text: string, file: string) => text.split('\n').find((l) => l.includes(path.join(path.relative(process.cwd(), out), file)));

describe('generate-suite', () => {
  it('writes one test per applicable property, the replay test, the harness, the engine module and a README', () => {
    const r = gen();
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out.split('\n')[0]).toBe(`generate-suite: toy/generated (x86/refcount) from ${path.relative(process.cwd(), moduleFile).replace(/\.js$/, '').replace(/^(?!\.)/, './')}; 5 properties: refcount-balance, no-lazy-use-after-free, sync-core-before-usermode, membarrier-ordering, tlb-coherence`);
    expect(fs.readdirSync(out).sort()).toEqual([...ALL].sort());
    for (const f of ALL) {
      expect(lineOf(r.out, f)).toMatch(/^ {2}created /);
      expect(stampState(fs.readFileSync(path.join(out, f), 'utf8'))).toBe('unedited');
    }
    expect(fs.readFileSync(path.join(out, 'engine.ts'), 'utf8')).toContain("path.join(__dirname, '../engines/toy')");
    const test = fs.readFileSync(path.join(out, 'sync-core-before-usermode.test.ts'), 'utf8');
    expect(test).toContain("checkProperty(engine, 'sync-core-before-usermode', {");
    const readme = fs.readFileSync(path.join(out, 'README.md'), 'utf8');
    expect(readme).toContain('# lazymm suite for `toy/generated`');
    expect(readme).toContain('npx lazymm generate-suite --engine ../engines/toy.js --out .');
    expect(readme).toContain('## Running it');
    expect(readme).toContain('## Extending it');
  });

  it('regenerating changes nothing, keeps edited and foreign files, recreates deleted ones, reports stale ones', () => {
    gen();
    const before = Object.fromEntries(ALL.map((f) => [f, fs.readFileSync(path.join(out, f), 'utf8')]));
    const again = gen();
    expect(ALL.map((f) => lineOf(again.out, f))).toEqual(ALL.map((f) => expect.stringMatching(new RegExp(`^ {2}unchanged +.*${f.replace('.', '\\.')}$`))));
    expect(Object.fromEntries(ALL.map((f) => [f, fs.readFileSync(path.join(out, f), 'utf8')]))).toEqual(before);

    const edited = path.join(out, 'tlb-coherence.test.ts');
    fs.appendFileSync(edited, "// my own tuning\n");
    const foreign = path.join(out, 'harness.ts');
    fs.writeFileSync(foreign, before['harness.ts'].slice(before['harness.ts'].indexOf('\n') + 1)); // header removed: taken over
    fs.rmSync(path.join(out, 'replay.test.ts'));
    fs.writeFileSync(path.join(out, 'engine.ts'), stamp('// an older generated version\n', 'ts')); // unedited, outdated
    fs.writeFileSync(path.join(out, 'old-property.test.ts'), stamp('// a property that no longer applies\n', 'ts'));
    const r = gen();
    expect(r.code).toBe(0);
    expect(lineOf(r.out, 'tlb-coherence.test.ts')).toMatch(/^ {2}skipped +.*\(edited since it was generated \(its content no longer matches its hash\): kept as you left it\)$/);
    expect(lineOf(r.out, 'harness.ts')).toMatch(/^ {2}skipped +.*\(not written by lazymm generate-suite \(no lazymm-generated header\): left alone\)$/);
    expect(lineOf(r.out, 'replay.test.ts')).toMatch(/^ {2}created /);
    expect(lineOf(r.out, 'engine.ts')).toMatch(/^ {2}updated /);
    expect(lineOf(r.out, 'old-property.test.ts')).toMatch(/^ {2}stale +.*left in place\)$/);
    expect(r.out).toContain('skipped 2 files you edited or wrote: harness.ts, tlb-coherence.test.ts');
    expect(fs.readFileSync(edited, 'utf8').endsWith('// my own tuning\n')).toBe(true);
    expect(fs.readFileSync(path.join(out, 'engine.ts'), 'utf8')).toBe(before['engine.ts']);
    expect(fs.existsSync(path.join(out, 'old-property.test.ts'))).toBe(true);
  });

  it('--check writes nothing and exits 1 when something would change', () => {
    expect(gen('--check')).toMatchObject({ code: 1 });
    expect(fs.existsSync(out)).toBe(false);
    gen();
    const ok = gen('--check');
    expect(ok.code).toBe(0);
    expect(ok.out.trim().split('\n').at(-1)).toBe('up to date');
    fs.rmSync(path.join(out, 'README.md'));
    const stale = gen('--check');
    expect(stale.code).toBe(1);
    expect(lineOf(stale.out, 'README.md')).toMatch(/^ {2}would be created /);
    expect(stale.out.trim().split('\n').at(-1)).toBe('out of date: 1 file would change');
    expect(fs.existsSync(path.join(out, 'README.md'))).toBe(false);
  });

  it('bad input is a usage error (exit 2, one line)', () => {
    expect(run('--out', out)).toEqual({ code: 2, out: '', err: 'lazymm: generate-suite: --engine MODULE is required (a JS/TS module exporting `engine` or `createEngine()`)\n' });
    const missing = run('--engine', path.join(dir, 'nope.ts'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^lazymm: --engine: .*nope\.ts: no such file; expected a module exporting `engine` \(or `createEngine\(\)`\)/);
    const empty = path.join(dir, 'empty.js');
    fs.writeFileSync(empty, 'exports.notAnEngine = 1;\n');
    expect(run('--engine', empty).err).toMatch(/^lazymm: --engine: .*empty\.js: exports no engine; expected a module exporting `engine`/);
    expect(run('--engine', moduleFile, 'extra').err).toMatch(/^lazymm: generate-suite: unexpected argument "extra"/);
  });
});
