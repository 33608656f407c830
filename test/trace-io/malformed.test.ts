/**
 * check-trace rejects unusable input with exit status 2 and a precise message: the file, the line
 * (JSON Lines) or the JSON path, and what was expected.
 */
import { EXAMPLE_EVENTS } from '../../src/trace/examples';
import { checkTrace, tempDir, traceText, type Container } from './helpers';

const { init, path: pathEv, user_exit } = EXAMPLE_EVENTS;
const good = [init, user_exit, pathEv];
const jsonl = (events: unknown[]) => traceText(events, 'jsonl');

let t: ReturnType<typeof tempDir>;
beforeEach(() => (t = tempDir('lazymm-malformed-')));
afterEach(() => t.cleanup());

/** Runs check-trace on one file and returns its single stderr line (after `lazymm: `). */
async function rejected(file: string): Promise<string> {
  const r = await checkTrace(file);
  expect(r.code).toBe(2);
  expect(r.out).toContain('1 unusable');
  const lines = r.err.trim().split('\n');
  expect(lines[0].startsWith('lazymm: ')).toBe(true);
  return lines.map((l) => l.replace(/^lazymm: /, '')).join('\n');
}

describe('check-trace: unusable input exits 2 with a precise message', () => {
  it('accepts the well-formed trace these cases break (control)', async () => {
    for (const c of ['json', 'jsonl', 'array'] as Container[]) {
      const file = t.put(`ok.${c === 'jsonl' ? 'jsonl' : 'json'}`, traceText(good, c));
      expect((await checkTrace(file)).code).not.toBe(2);
    }
  });

  it('invalid JSON: line and column (JSON), line and column (JSON Lines)', async () => {
    const a = t.put('bad.json', '{\n  "format": "lazymm-trace/1"\n  "events": []\n}\n');
    expect(await rejected(a)).toBe(`${a}:3:3: invalid JSON: expected ',' or '}' after property value`);
    const b = t.put('bad.jsonl', `${JSON.stringify(init)}\n{"k": "mb", "cpu": 0, "fn": mb}\n`);
    expect(await rejected(b)).toBe(`${b}:2:29: invalid JSON: unexpected token 'm'`);
  });

  it('an unknown event kind: the path of k and the kinds accepted', async () => {
    const bad = { k: 'context_switch', cpu: 0, fn: 'x' };
    const a = t.put('kind.jsonl', jsonl([init, user_exit, bad]));
    expect(await rejected(a)).toMatch(new RegExp(`^${escape(a)}:3: /k: expected a trace event kind \\(got "context_switch"; the kinds are init, ref, .*, irq\\)$`));
    const b = t.put('kind.json', traceText([init, bad], 'json'));
    expect(await rejected(b)).toMatch(new RegExp(`^${escape(b)}: /events/1/k: expected a trace event kind \\(got "context_switch"; the kinds are init, ref, .*\\)$`));
  });

  it('a missing field: its path in the event, and its expected type', async () => {
    const { fn: _fn, ...noFn } = user_exit;
    const a = t.put('field.jsonl', jsonl([init, noFn]));
    expect(await rejected(a)).toBe(`${a}:2: /fn: missing required property; expected a kernel function name (a C identifier)`);
    const { task: _t, ...noTask } = pathEv;
    const b = t.put('field.array.json', traceText([init, user_exit, noTask], 'array'));
    expect(await rejected(b)).toBe(`${b}: /2/task: missing required property; expected non-empty string`);
  });

  it('events out of order: init not first, a second init', async () => {
    const a = t.put('order.jsonl', jsonl([user_exit, init]));
    expect(await rejected(a)).toBe(`${a}:1: /k: expected "init": event 0 of a trace is always the init event (got "user_exit")`);
    const b = t.put('order.json', traceText([init, user_exit, init], 'json'));
    expect(await rejected(b)).toBe(`${b}: /events/2/k: expected an event kind other than init: init is only event 0, and this is event 2 (one trace is one history from one initial state)`);
  });

  it('an event on a CPU the init event does not list', async () => {
    const a = t.put('cpu.jsonl', jsonl([init, { ...user_exit, cpu: 5 }]));
    expect(await rejected(a)).toBe(`${a}:2: /cpu: expected integer 0..1 (the init event lists 2 CPUs) (got 5) [rule known-cpu]`);
  });

  it('an empty file, or one with only whitespace', async () => {
    const a = t.put('empty.jsonl', '');
    expect(await rejected(a)).toMatch(new RegExp(`^${escape(a)}: empty file: expected a lazymm trace: a JSON object`));
    const b = t.put('blank.json', '\n  \n');
    expect(await rejected(b)).toMatch(new RegExp(`^${escape(b)}: empty file: expected a lazymm trace`));
    const c = t.put('blank.jsonl', '\n\n');
    expect(await rejected(c)).toMatch(/empty file/);
  });

  it('a truncated JSON Lines line (the file ends mid-event)', async () => {
    const text = jsonl(good);
    const a = t.put('cut.jsonl', text.slice(0, text.length - 15));
    expect(await rejected(a)).toMatch(new RegExp(`^${escape(a)}:3: truncated event: the file ends in the middle of this line \\(no closing newline; .*\\); expected one complete JSON event per line$`));
  });

  it('a last line without newline is fine when it is complete', async () => {
    const text = jsonl(good);
    expect((await checkTrace(t.put('nonl.jsonl', text.slice(0, -1)))).code).toBe(0);
  });

  it('a blank line inside JSON Lines (it would shift every event index)', async () => {
    const a = t.put('gap.jsonl', `${JSON.stringify(init)}\n\n${JSON.stringify(user_exit)}\n`);
    expect(await rejected(a)).toBe(`${a}:2: empty line: JSON Lines has exactly one event per line (the line number minus one is the event index)`);
  });

  it('a JSON envelope that is not a trace', async () => {
    const a = t.put('env.json', JSON.stringify({ format: 'lazymm-trace/2', events: good, extra: 1 }));
    expect((await rejected(a)).split('\n')).toEqual([`${a}: /format: expected "lazymm-trace/1" (got "lazymm-trace/2")`, `${a}: /extra: unexpected property (allowed: format, events)`]);
    const b = t.put('num.json', '42');
    expect(await rejected(b)).toMatch(/: \/: expected a lazymm trace: .* \(got 42\)$/);
    const c = t.put('none.json', '[]');
    expect(await rejected(c)).toBe(`${c}: /: expected at least 1 event (the init event) (got an empty array)`);
  });

  it('a file that cannot be read, or a directory', async () => {
    const missing = `${t.dir}/nope.jsonl`;
    expect(await rejected(missing)).toMatch(new RegExp(`^${escape(missing)}: cannot read: ENOENT`));
    expect(await rejected(t.dir)).toBe(`${t.dir}: is a directory: expected a trace file (a lazymm trace: a JSON object {"format": "lazymm-trace/1", "events": [...]}, a JSON array of events, or JSON Lines (one event per line, init first))`);
  });

  it('reports at most 10 problems per file, in order', async () => {
    const { fn: _fn, ...noFn } = user_exit;
    const a = t.put('many.jsonl', jsonl([init, ...Array.from({ length: 30 }, () => noFn)]));
    const r = await checkTrace(a);
    expect(r.code).toBe(2);
    const lines = r.err.trim().split('\n');
    expect(lines).toHaveLength(10);
    expect(lines[9]).toBe(`lazymm: ${a}:11: /fn: missing required property; expected a kernel function name (a C identifier)`);
  });

  it('a usage mistake: no file, an unknown property, an unknown flag', async () => {
    expect(await checkTrace()).toEqual({ code: 2, out: '', err: 'lazymm: check-trace: expected at least one trace file (JSON or JSON Lines), e.g. lazymm check-trace run.jsonl\n' });
    const p = await checkTrace('x.json', '--property', 'tlb');
    expect(p.code).toBe(2);
    expect(p.err).toBe('lazymm: --property: expected one of refcount-balance, no-lazy-use-after-free, sync-core-before-usermode, membarrier-ordering, tlb-coherence, got "tlb"\n');
    expect((await checkTrace('x.json', '--verbose')).err).toMatch(/^lazymm: check-trace: unknown flag --verbose \(accepted: --property, --json, --html\)/);
  });

  it('--json: the problems are in the document, exit 2', async () => {
    const a = t.put('order.jsonl', jsonl([user_exit, init]));
    const r = await checkTrace('--json', a);
    expect(r.code).toBe(2);
    expect(r.err).toBe('');
    const doc = JSON.parse(r.out);
    expect(doc.exitCode).toBe(2);
    expect(doc.files[0].problems).toEqual([`${a}:1: /k: expected "init": event 0 of a trace is always the init event (got "user_exit")`]);
    expect(doc.files[0].verdicts).toEqual([]);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
