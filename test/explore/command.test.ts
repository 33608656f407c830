/**
 * `lazymm explore` (src/explore/command.ts), called in-process as the CLI will call it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { exploreCommand } from '../../src/explore/command';
import { UsageError } from '../../src/cli/errors';
import { loadFixture } from '../../src/fixtures/fixture';
import { checkFixture } from '../../src/fixtures/check';

function run(...argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = exploreCommand(argv, { out: (s) => void (out += s), err: (s) => void (err += s), progress: false }) as number; // no --workers: synchronous
  return { code, out, err };
}

describe('lazymm explore', () => {
  it('shows progress (states, rate, time left) on a terminal and clears the line', () => {
    let err = '';
    const code = exploreCommand(['--depth', '3', '--max-seconds', '60'], { out: () => undefined, err: (s) => void (err += s), progress: true }) as number;
    expect(code).toBe(0); // mainline x86/refcount is clean to depth 3
    // (cut to the terminal's width)
    expect(err).toMatch(/\rexplore depth \d+\/3: \d+\/\d+ nodes expanded, \d+ states, \d+ transitions, [\d.]+k? states\/s, [\d.]+ s; (level ~\d+ s|stops in)/);
    expect(err.endsWith('\r')).toBe(true);
  });

  it('exit 0 and the level table for a clean engine', () => {
    const r = run('--knob', 'membarrierSwitchMmFix=true', '--knob', 'syncCoreOnLazySameMmSwitch=true', '--depth', '4');
    expect(r.code).toBe(0);
    expect(r.out).toContain('lazymm explore x86/refcount (membarrierSwitchMmFix=true syncCoreOnLazySameMmSwitch=true) on cpus=2 procs=1 threads=1 kthreads=0');
    expect(r.out).toMatch(/result: CLEAN to depth 4/);
    expect(r.out).toMatch(/^\s+4\s+\d+\s+\d+$/m);
    expect(r.err).toBe('');
  });

  it('exit 1 with the shortest counterexample, its ops and timeline; --record writes a fixture that replays', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lazymm-explore-'));
    try {
      const r = run('--variant', 'no-lazy-mmgrab', '--depth', '6', '--record', '--fixtures-dir', dir);
      expect(r.code).toBe(1);
      expect(r.out).toContain('result: COUNTEREXAMPLE: refcount-balance C1.1 lazy holder without reference');
      expect(r.out).toContain('4 ops, the shortest: every interleaving of up to 3 ops is clean');
      expect(r.out).toContain('cpu0 preempt(next=idle0)');
      expect(r.out).toContain('VIOLATION refcount-balance');
      const file = /recorded: (.*)$/m.exec(r.out)?.[1];
      expect(file).toBeDefined();
      const f = loadFixture(file as string);
      expect(f.ops).toHaveLength(4);
      expect(f.provenance).toMatchObject({ seed: 0, path: '' });
      expect(checkFixture(f).ok).toBe(true);
      // Never over an existing fixture: reported on stderr, still exit 1.
      const again = run('--variant', 'no-lazy-mmgrab', '--depth', '6', '--record', '--fixtures-dir', dir);
      expect(again.code).toBe(1);
      expect(again.err).toMatch(/not recorded: .*already exists/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--json prints one document', () => {
    const r = run('--variant', 'no-lazy-mmgrab', '--depth', '5', '--json');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out);
    expect(doc).toMatchObject({
      engine: 'x86/refcount+no-lazy-mmgrab',
      variant: 'no-lazy-mmgrab',
      result: 'counterexample',
      depthReached: 3,
      config: { cpus: 2, procs: 1, threads: 1, kthreads: 0 },
      properties: ['refcount-balance'],
      counterexample: { property: 'refcount-balance', opCount: 4 },
    });
    expect(doc.differentialBase).toMatchObject({ arch: 'x86', strategy: 'refcount' });
  });

  it('--por: the same verdict and minimum, fewer transitions, reported', () => {
    const plain = JSON.parse(run('--variant', 'no-lazy-mmgrab', '--depth', '4', '--json').out);
    const r = run('--variant', 'no-lazy-mmgrab', '--depth', '4', '--json', '--por');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out);
    expect(doc.counterexample).toEqual(plain.counterexample);
    expect(doc.transitions).toBeLessThanOrEqual(plain.transitions);
    expect(doc.por).toEqual({ pruned: plain.transitions - doc.transitions, diamonds: expect.any(Number), independent: expect.any(Number) });
    expect(plain.por).toBeNull();
    expect(run('--depth', '3', '--por').out).toMatch(/partial-order reduction \(sleep sets\): \d+ transitions skipped/);
  });

  it('--no-settle-each-op: the same verdict in more states (pending checks settled only at the next CPU switch)', () => {
    const args = ['--knob', 'membarrierSwitchMmFix=true', '--knob', 'syncCoreOnLazySameMmSwitch=true', '--depth', '5', '--json'];
    const settled = JSON.parse(run(...args).out);
    const lazy = JSON.parse(run(...args, '--no-settle-each-op').out);
    expect([settled.result, lazy.result]).toEqual(['clean', 'clean']);
    expect(settled.states).toBeLessThan(lazy.states);
    const v = ['--variant', 'no-lazy-mmgrab', '--depth', '6', '--json'];
    expect(JSON.parse(run(...v, '--no-settle-each-op').out).counterexample.ops).toHaveLength(JSON.parse(run(...v).out).counterexample.ops.length);
  });

  it('--symmetry: the same verdict, fewer states with two kthreads, reported', () => {
    const args = ['--knob', 'membarrierSwitchMmFix=true', '--knob', 'syncCoreOnLazySameMmSwitch=true', '--kthreads', '2', '--depth', '3', '--json'];
    const plain = JSON.parse(run(...args).out);
    const r = run(...args, '--symmetry');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect([doc.result, plain.result]).toEqual(['clean', 'clean']);
    expect(doc.states).toBeLessThan(plain.states);
    expect([doc.symmetry, plain.symmetry]).toEqual([{ order: 2 }, null]);
    expect(run('--depth', '2', '--symmetry').out).toMatch(/symmetry reduction: a group of order 1 \(no interchangeable/);
    expect(() => run('--symmetry', '--por')).toThrow(/--symmetry and --por/);
  });

  it('exit 3 when --max-states stops the search before the bound, with what the rest would take', () => {
    const r = run('--depth', '30', '--max-states', '200');
    expect(r.code).toBe(3);
    expect(r.out).toContain('result: INCOMPLETE');
    expect(r.out).toMatch(/projection: at the last (\d )?levels?' growth \(x[\d.]+ new states per level\), depth 30 needs about \S+ more states: about .+ at this search's rate/);
    const j = JSON.parse(run('--depth', '30', '--max-states', '200', '--json').out) as { result: string; depthReached: number; projection: { growth: number; states: number; seconds: number } };
    expect(j.result).toBe('truncated');
    expect(j.projection.growth).toBeGreaterThan(1);
    expect(j.projection.states).toBeGreaterThan(0);
    expect(JSON.parse(run('--depth', '2', '--json').out).projection).toBeNull();
  });

  it("--shape-of explores a fixture's shape: its configuration, its ops' kinds and count, on its engine unless told otherwise", () => {
    const file = path.join(__dirname, '../../fixtures/variants/no-lazy-mmgrab.json');
    const fx = loadFixture(file);
    const kinds = [...new Set(fx.ops.map((o) => o.op))].filter((k) => k !== 'step').sort();
    // The fixture's own engine (the variant): its counterexample's length is the minimum over its shape.
    const own = run('--shape-of', file);
    expect(own.code).toBe(1);
    expect(own.out).toContain(`shape of ${file}: its configuration and the kinds of its ${fx.ops.length} ops`);
    expect(own.out).toContain(`ops: only ${kinds.join(', ')} (and step)`);
    const expected = fx.expect as Exclude<typeof fx.expect, 'pass'>;
    expect(own.out).toContain(`result: COUNTEREXAMPLE: ${expected.property} ${expected.clause} at event ${expected.eventIndex}, ${fx.ops.length} ops`);
    // Another engine over the same shape: mainline with the fix knobs is clean there.
    const j = JSON.parse(run('--shape-of', file, '--arch', 'x86', '--strategy', 'refcount', '--knob', 'membarrierSwitchMmFix=true', '--json').out) as {
      result: string; config: unknown; depth: number; opKinds: string[]; shapeOf: { fixture: string; ops: number }; variant: string | null;
    };
    expect(j).toMatchObject({ result: 'clean', config: fx.config, depth: fx.ops.length, opKinds: kinds, shapeOf: { fixture: file, ops: fx.ops.length }, variant: null });
    // --depth still applies; the configuration and the op kinds are the fixture's.
    expect((JSON.parse(run('--shape-of', file, '--depth', '2', '--json').out) as { depth: number }).depth).toBe(2);
    expect(() => run('--shape-of', file, '--cpus', '3')).toThrow(/--cpus and --shape-of: the configuration is .*no-lazy-mmgrab\.json's/);
    expect(() => run('--shape-of', file, '--ops', 'schedule')).toThrow(/--ops and --shape-of/);
  });

  it('--shape-of a missing or malformed file: a usage error naming the file and the JSON path', () => {
    expect(() => run('--shape-of', '/nonexistent/x.json')).toThrow(/--shape-of: \/nonexistent\/x\.json: cannot read/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lazymm-shape-'));
    const bad = path.join(dir, 'bad.json');
    const fx = JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/variants/no-lazy-mmgrab.json'), 'utf8')) as { config: { cpus: unknown } };
    fx.config.cpus = 'two';
    fs.writeFileSync(bad, JSON.stringify(fx));
    let caught: unknown;
    try {
      run('--shape-of', bad);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(UsageError);
    expect((caught as Error).message).toMatch(new RegExp(`--shape-of: ${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: /config/cpus: `));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('--ops explores only those op kinds and says so; --json names them', () => {
    const r = run('--knob', 'membarrierSwitchMmFix=true', '--knob', 'syncCoreOnLazySameMmSwitch=true', '--depth', '6', '--ops', 'schedule,exit,syscall');
    expect(r.code).toBe(0);
    expect(r.out).toContain('ops: only exit, schedule, syscall (and step): a clean result says nothing about interleavings with other ops');
    expect(r.out).toContain('result: CLEAN to depth 6: no interleaving of up to 6 ops of these kinds violates a property');
    const j = JSON.parse(run('--depth', '2', '--ops', 'schedule', '--json').out) as { opKinds: string[] | null };
    expect(j.opKinds).toEqual(['schedule']);
    expect((JSON.parse(run('--depth', '1', '--json').out) as { opKinds: unknown }).opKinds).toBeNull();
    expect(() => run('--ops', 'schedule,frob')).toThrow(/^--ops: "frob" is not an op kind \(expected a comma-separated list of: schedule, preempt, step, /);
  });

  it('bad input is a UsageError (exit 2 through main)', () => {
    expect(() => run('--depth', 'ten')).toThrow(UsageError);
    expect(() => run('--cpus', '9')).toThrow(UsageError);
    expect(() => run('--variant', 'nope')).toThrow(UsageError);
    expect(() => run('--property', 'nope')).toThrow(UsageError);
    expect(() => run('--frobnicate')).toThrow(UsageError);
    expect(() => run('--por', '--no-por')).toThrow(UsageError);
  });
});
