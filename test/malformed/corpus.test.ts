/**
 * The malformed-input corpus: flags, fixtures, traces and foreign engines that lazymm must refuse
 * with exit 2 and ONE line naming the file, the line or JSON path and what was expected — no stack
 * trace, nothing written. Everything runs in-process (main() with an injected io), so the whole
 * corpus costs about a second.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { main } from '../../src/cli/main';
import { EXAMPLE_EVENTS } from '../../src/trace/examples';
import { lazymm } from '../cli/helpers';
import { fixtureFileName } from '../../src/fixtures/write';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lazymm-corpus-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Writes `text` to `dir/name` and returns the path. */
function file(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

/** The files under `dir` (to prove nothing was written). */
const listing = (): string[] => fs.readdirSync(dir, { recursive: true }).map(String).sort();

/** Exit 2, nothing on stdout, exactly one `lazymm: ...` or `<file>...` line on stderr, no stack trace. */
function expectOneLine(r: { code: number; out: string; err: string }, message: RegExp): void {
  expect({ code: r.code, err: r.err }).toMatchObject({ code: 2, err: expect.stringMatching(message) });
  const lines = r.err.split('\n').filter((l) => l.trim() !== '');
  expect(lines).toHaveLength(1);
  expect(r.err).not.toMatch(/\n\s+at .*:\d+/);
}

// ---------------------------------------------------------------- flags
describe('malformed flags', () => {
  const existingFile = file('a-file', 'x');
  it.each([
    [['check', '--runs', '1e400'], /--runs: expected a positive integer .*got "1e400"/],
    [['check', '--runs', '99999999999'], /--runs: expected a positive integer .* up to 10000000, got "99999999999"/],
    [['explore', '--depth', '99999999999'], /--depth: expected a non-negative integer .* up to 200, got "99999999999"/],
    [['explore', '--max-seconds', '-1'], /--max-seconds: expected a positive integer/],
    [['explore', '--max-states', '0'], /--max-states: expected a positive integer/],
    [['check', '--max-ops', '1000000'], /--max-ops: .* up to 100000/],
    [['check', '--seed', '-2147483649'], /--seed: expected an integer from -2147483648/],
    [['check', '--as-is'], /--as-is: only with --variant V/],
    [['explore', '--as-is'], /--as-is: only with --variant V/],
    [['check', '--record', '--fixtures-dir', path.join(existingFile, 'sub')], /--fixtures-dir: cannot record fixtures in .*a-file[/\\]sub: .*a-file is not a directory/],
    [['explore', '--record', '--fixtures-dir', path.join(existingFile, 'sub')], /--fixtures-dir: cannot record fixtures in .*is not a directory/],
    [['check', '--record', '--fixtures-dir', ''], /--fixtures-dir: expected a directory, got nothing/],
    [['campaign', '--blocks', '0'], /--blocks: expected a positive integer/],
    [['nope'], /unknown command "nope"/],
  ])('%j', (argv, message) => {
    const before = listing();
    const r = lazymm(...(argv as string[]));
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toMatch(message as RegExp);
    expect(r.err).not.toMatch(/\n\s+at .*:\d+/);
    expect(listing()).toEqual(before);
  });

  it('--fixtures-dir on /proc is refused at once (recursive mkdir never returns there)', () => {
    if (!fs.existsSync('/proc/self')) return; // Linux only
    expectOneLine(lazymm('check', '--record', '--fixtures-dir', '/proc/nope'), /cannot record fixtures in \/proc\/nope: \/proc\/nope: /);
  });

  it('--version prints the version', () => {
    const r = lazymm('--version');
    expect(r).toMatchObject({ code: 0, out: expect.stringMatching(/^lazymm \d+\.\d+\.\d+\n$/) });
  });
});

// ---------------------------------------------------------------- fixtures
const GOOD = JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/variants/exit-mm-no-barrier.json'), 'utf8')) as Record<string, unknown>;
const TRACE_FIXTURE = JSON.parse(fs.readFileSync(path.join(__dirname, '../trace-io/counterexamples/sync-core-gap-hand-written-trace.json'), 'utf8')) as Record<string, unknown> & { trace: unknown[] };

describe('malformed fixtures (lazymm replay)', () => {
  const json = (v: unknown) => JSON.stringify(v, null, 2);
  const trace = (edit: (t: unknown[]) => unknown[]) => json({ ...TRACE_FIXTURE, trace: edit([...TRACE_FIXTURE.trace]) });
  it.each([
    ['array.json', json([GOOD]), /array\.json: expected a fixture object .*got an array; a bare array of events is a trace/],
    ['unknown-property.json', json({ ...GOOD, expect: { ...(GOOD.expect as object), property: 'refcount-balanse' } }), /\/expect\/property: expected a lazymm property .*got "refcount-balanse"/],
    ['syntax.json', '{\n  "format": "lazymm-fixture/1",\n  "name": oops\n}', /syntax\.json: invalid JSON at line 3, column 11/],
    ['huge.json', json(GOOD).replace(/"cpus": \d+/, '"cpus": 1e400'), /\/config\/cpus: .*too large for a double/],
    ['op-cpu.json', json({ ...GOOD, ops: [{ ...(GOOD.ops as object[])[0], cpu: 7 }] }), /\/ops\/0\/cpu: expected integer 0\.\.\d/],
    ['extra-field.json', json({ ...GOOD, colour: 'red' }), /\/colour: unexpected property/],
    ['trace-cpu.json', trace((t) => [...t.slice(0, 1), { ...(EXAMPLE_EVENTS.mb as object), cpu: 9 }]), /\/trace\/1\/cpu: expected integer 0\.\.1 .*\[rule known-cpu\]/],
    ['trace-path.json', trace((t) => [...t.slice(0, 1), { k: 'path', cpu: 0, fn: 'exit_mm', phase: 'end', task: 'T1' }]), /\/trace\/1\/phase: expected a path begin before its end.*\[rule path-balance\]/],
    ['trace-task.json', trace((t) => [...t.slice(0, 1), { k: 'switch_to', cpu: 0, fn: 'context_switch', prev: 'T1', task: 'T77' }]), /\/trace\/1\/task: .*got "T77".*\[rule known-task\]/],
    ['not-an-object.json', '42', /not-an-object\.json: expected a fixture object .*\(got 42\)/],
    ['empty.json', '', /empty\.json: /],
  ])('%s', (name, text, message) => {
    const f = file(name, text);
    const before = listing();
    expectOneLine(lazymm('replay', f), message);
    expect(listing()).toEqual(before);
  });

  it('a missing file', () => expectOneLine(lazymm('replay', path.join(dir, 'nope.json')), /nope\.json: cannot read/));
});

// ---------------------------------------------------------------- traces
async function checkTrace(args: string[], stdin?: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = { out: (s: string) => void (out += s), err: (s: string) => void (err += s), ...(stdin === undefined ? {} : { stdin: Readable.from([stdin]) }) };
  const code = await main(['check-trace', ...args], io);
  return { code, out, err };
}

describe('malformed traces (lazymm check-trace)', () => {
  const init = EXAMPLE_EVENTS.init; // cpu 0 runs T1 in user mode, cpu 1 idle1
  const lines = (...evs: unknown[]) => evs.map((e) => JSON.stringify(e)).join('\n') + '\n';
  const exit0 = { k: 'user_exit', cpu: 0, fn: 'entry_SYSCALL_64', task: 'T1', via: 'syscall' };
  const enter0 = { k: 'user_enter', cpu: 0, fn: 'syscall_exit_to_user_mode', task: 'T1', via: 'sysret' };
  it.each([
    ['switch-unknown.jsonl', lines(init, { k: 'switch_to', cpu: 1, fn: 'context_switch', prev: 'idle1', task: 'T9' }), /switch-unknown\.jsonl:2: \/task: .*got "T9".*\[rule known-task\]/],
    ['task-mm-unknown.jsonl', lines(init, { k: 'task_mm', cpu: 0, fn: 'exit_mm', task: 'T9', mm: null, activeMm: 'mm1' }), /task-mm-unknown\.jsonl:2: \/task: .*\[rule known-task\]/],
    ['path-end.jsonl', lines(init, { k: 'path', cpu: 1, fn: 'context_switch', phase: 'end', task: 'idle1' }), /path-end\.jsonl:2: \/phase: expected a path begin.*\[rule path-balance\]/],
    ['user-twice.jsonl', lines(init, exit0, enter0, enter0), /user-twice\.jsonl:4: \/k: expected user_exit: cpu 0 is already in user mode.*\[rule user-mode\]/],
    ['cpu-9.jsonl', lines(init, { ...EXAMPLE_EVENTS.mb, cpu: 9 }), /cpu-9\.jsonl:2: \/cpu: expected integer 0\.\.1/],
    ['typo.jsonl', lines(init, { ...enter0, k: 'user_entry' }), /typo\.jsonl:2: \/k: expected a trace event kind \(got "user_entry"; did you mean "user_enter"\?\)/],
    ['truncated.jsonl', lines(init).slice(0, 40), /truncated\.jsonl:1: truncated event/],
    ['init-later.jsonl', lines(init, init), /init-later\.jsonl:2: \/k: expected an event kind other than init/],
    ['no-init.jsonl', lines(EXAMPLE_EVENTS.mb), /no-init\.jsonl:1: \/k: expected "init"/],
    ['mm-reused.jsonl', lines(init, { ...EXAMPLE_EVENTS.mm_alloc, mm: 'mm1' }), /mm-reused\.jsonl:2: \/mm: expected a new mm id.*\[rule new-id\]/],
    ['bad-init.json', JSON.stringify({ format: 'lazymm-trace/1', events: [{ ...init, cpus: [{ ...init.cpus[0], curr: 'T5' }, init.cpus[1]] }] }), /bad-init\.json: \/events\/0\/cpus\/0\/curr: expected a task listed in tasks/],
  ])('%s', async (name, text, message) => {
    const f = file(name, text);
    const r = await checkTrace([f]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at .*:\d+/);
  });

  it('reads standard input (`-`): a valid trace holds, an empty one is bad input', async () => {
    expect((await checkTrace(['-'], lines(init, exit0, enter0))).code).toBe(0);
    const empty = await checkTrace(['-'], '');
    expect(empty.code).toBe(2);
    expect(empty.err + empty.out).toMatch(/<stdin>: empty input/);
  });
});

// ---------------------------------------------------------------- foreign engines
describe('malformed engine modules (lazymm generate-suite)', () => {
  it.each([
    ['a module that does not exist', () => path.join(dir, 'no-such-engine.js'), /no-such-engine\.js/],
    ['a module without an engine', () => file('not-an-engine.js', 'module.exports = { answer: 42 };\n'), /not-an-engine\.js: exports no engine/],
    ['a module that throws', () => file('throws.js', 'throw new Error("boom");\n'), /throws\.js: .*boom/],
  ])('%s', (_name, make, message) => {
    const out = path.join(dir, 'suite-out');
    const r = lazymm('generate-suite', '--engine', make(), '--out', out);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at .*:\d+/);
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('fixture file names', () => {
  it('a negative seed keeps its sign', () => {
    expect(fixtureFileName('refcount-balance toy/buggy seed -42')).toBe('refcount-balance-toy-buggy-seed--42.json');
    expect(fixtureFileName('refcount-balance toy/buggy seed 42')).toBe('refcount-balance-toy-buggy-seed-42.json');
    expect(fixtureFileName('x86/refcount no-lazy-mmgrab')).toBe('x86-refcount-no-lazy-mmgrab.json');
  });
});
