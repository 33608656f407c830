import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lazymm } from './helpers';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lazymm-cli-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const FILE = 'x86-refcount-no-lazy-mmgrab-refcount-balance.json';
const record = () => lazymm('check', '--variant', 'no-lazy-mmgrab', '--runs', '20', '--record', '--fixtures-dir', dir);

describe('check --record', () => {
  it('writes the counterexample as a fixture named after the engine and property', () => {
    const r = record();
    expect(r.code).toBe(1);
    expect(r.out).toContain(`recorded: ${path.join(dir, FILE)}`);
    const f = JSON.parse(fs.readFileSync(path.join(dir, FILE), 'utf8'));
    expect(f).toEqual(
      expect.objectContaining({
        format: 'lazymm-fixture/1',
        status: 'caught-variant',
        engine: expect.objectContaining({ arch: 'x86', strategy: 'refcount', variant: 'no-lazy-mmgrab' }),
        expect: { property: 'refcount-balance', clause: expect.stringMatching(/^C1/), eventIndex: expect.any(Number) },
      }),
    );
    expect(f.provenance).toEqual({
      seed: expect.any(Number),
      path: expect.any(String),
      fastCheckVersion: require('fast-check/package.json').version,
      recordedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      command: `lazymm check --variant no-lazy-mmgrab --runs 20 --record --fixtures-dir ${dir}`,
    });
  });

  it('never overwrites an existing fixture', () => {
    expect(record().code).toBe(1);
    const file = path.join(dir, FILE);
    fs.writeFileSync(file, '{"sentinel": true}\n');
    const again = record();
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/^lazymm: not recorded: .*already exists; refusing to overwrite/);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"sentinel": true}\n');
    expect(fs.readdirSync(dir)).toEqual([FILE]); // no temporary file left behind
  });
});

describe('replay', () => {
  it('replays a recorded fixture: timeline, verdict as recorded, exit 0 (files or a directory)', () => {
    record();
    const file = path.join(dir, FILE);
    for (const arg of [file, dir]) {
      const r = lazymm('replay', arg);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/VIOLATION refcount-balance C1/);
      expect(r.out).toContain(`${file}: as recorded: refcount-balance C1`);
      expect(r.out).toContain('replayed 1 fixture: 1 as recorded, 0 changed');
    }
    expect(lazymm('replay', '--quiet', file).out).not.toContain('CPU0');
  });

  it('exits 1 and says what changed when the verdict no longer holds', () => {
    record();
    const file = path.join(dir, FILE);
    const f = JSON.parse(fs.readFileSync(file, 'utf8'));
    const moved = path.join(dir, 'moved.json');
    fs.writeFileSync(moved, JSON.stringify({ ...f, expect: { ...f.expect, eventIndex: f.expect.eventIndex + 1 } }));
    const pass = path.join(dir, 'pass.json');
    fs.writeFileSync(pass, JSON.stringify({ ...f, expect: 'pass' }));
    const r = lazymm('replay', '--quiet', file, moved, pass);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`${file}: as recorded`);
    expect(r.out).toMatch(new RegExp(`moved\\.json: CHANGED: recorded refcount-balance .* at event ${f.expect.eventIndex + 1}, now refcount-balance .* at event ${f.expect.eventIndex}`));
    expect(r.out).toMatch(/pass\.json: CHANGED: recorded pass \(no violation\), now refcount-balance/);
    expect(r.out).toContain('replayed 3 fixtures: 1 as recorded, 2 changed');
  });

  it('exits 1 when the engine no longer accepts the recorded ops', () => {
    record();
    const f = JSON.parse(fs.readFileSync(path.join(dir, FILE), 'utf8'));
    const bad = path.join(dir, 'ops.json');
    fs.writeFileSync(bad, JSON.stringify({ ...f, ops: [f.ops[0], { op: 'cpu_up', cpu: 0 }] }));
    const r = lazymm('replay', bad);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/ops\.json: CHANGED: the engine no longer accepts the recorded ops: replay: op 1 \(cpu0 cpu_up\) is not enabled/);
  });

  it('a malformed or schema-invalid fixture is one line naming the file, the JSON path and what was expected (exit 2)', () => {
    record();
    const f = JSON.parse(fs.readFileSync(path.join(dir, FILE), 'utf8'));
    const cases: [string, string, RegExp][] = [
      ['syntax.json', '{"format": ', /syntax\.json: invalid JSON at line \d+, column \d+/],
      ['cpu.json', JSON.stringify({ ...f, ops: [{ ...f.ops[0], cpu: 7 }] }), /cpu\.json: \/ops\/0\/cpu: expected integer 0\.\.\d/],
      ['variant.json', JSON.stringify({ ...f, engine: { ...f.engine, variant: 'nope' } }), /variant\.json: \/engine: unknown variant 'nope'/],
      ['knob.json', JSON.stringify({ ...f, engine: { ...f.engine, knobs: { pti: 'yes' } } }), /knob\.json: \/engine: knob 'pti' does not accept "yes"/],
      ['missing.json', JSON.stringify({ ...f, config: undefined }), /missing\.json: .*config/],
    ];
    for (const [name, text, message] of cases) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, text);
      const r = lazymm('replay', file);
      expect({ name, code: r.code, out: r.out }).toEqual({ name, code: 2, out: '' });
      expect(r.err).toMatch(/^lazymm: [^\n]+\n$/);
      expect(r.err).toMatch(message);
    }
  });
});
