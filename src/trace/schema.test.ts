import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXAMPLE_EVENTS } from './examples';
import type { EventKind, TraceEvent } from './events';
import { EVENT_KINDS, TRACE_EVENT_SCHEMA, validateTrace, validateTraceEvent } from './schema';

type Json = Record<string, unknown>;
const defs = TRACE_EVENT_SCHEMA.$defs as Record<string, Json>;

/** The kind each `oneOf` branch accepts, following its `$ref` into `$defs`. */
function branchKinds(union: Json): string[] {
  return (union.oneOf as Json[]).map((branch) => {
    const name = String(branch.$ref).replace('#/$defs/', '');
    const props = defs[name].properties as Record<string, Json>;
    return String(props.k.const);
  });
}

const trace = (...events: unknown[]) => ({ format: 'lazymm-trace/1', events });
const errorsOf = (r: ReturnType<typeof validateTrace>) => (r.ok ? [] : r.errors);

describe('trace event schema: coverage of the TraceEvent union', () => {
  it('has one oneOf branch per kind of EVENT_KINDS, no more, no fewer, no duplicates', () => {
    const kinds = branchKinds(TRACE_EVENT_SCHEMA);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect([...kinds].sort()).toEqual([...EVENT_KINDS].sort());
  });

  it('EVENT_KINDS names every kind that has an example (the example map is exhaustive by type)', () => {
    expect([...EVENT_KINDS].sort()).toEqual(Object.keys(EXAMPLE_EVENTS).sort());
  });

  it('later events are every kind but init', () => {
    expect(branchKinds(defs.later).sort()).toEqual(EVENT_KINDS.filter((k) => k !== 'init').sort());
    expect(branchKinds(defs.first)).toEqual(['init']);
  });

  it.each(EVENT_KINDS.map((k) => [k]))('%s: closed, lists exactly the fields of its example, requires the non-optional ones', (k) => {
    const branch = defs[k];
    expect(branch.additionalProperties).toBe(false);
    const example = EXAMPLE_EVENTS[k as EventKind] as unknown as Json;
    expect(Object.keys(branch.properties as Json).sort()).toEqual(Object.keys(example).sort());
    const optional = k === 'membarrier' ? ['ret', 'shortCircuit'] : k === 'init' ? ['irqsTracked'] : k === 'rq_membarrier_state' || k === 'load_mm' || k === 'lazy' ? ['drainedBy'] : k === 'mb' ? ['how'] : [];
    expect([...(branch.required as string[])].sort()).toEqual(Object.keys(example).filter((f) => !optional.includes(f)).sort());
  });
});

describe('docs/trace-format.md', () => {
  const doc = fs.readFileSync(path.join(__dirname, '../../docs/trace-format.md'), 'utf8');

  it.each(EVENT_KINDS.map((k) => [k]))('documents %s in a table row or a heading of its own', (k) => {
    expect(doc.includes(`| \`${k}\` |`) || doc.includes(`**\`${k}\`**`)).toBe(true);
  });
});

describe('validateTraceEvent', () => {
  it.each(EVENT_KINDS.map((k) => [k]))('accepts the example %s event', (k) => {
    expect(validateTraceEvent(EXAMPLE_EVENTS[k as EventKind])).toEqual({ ok: true });
  });

  it('accepts an optional field left out and a counter below zero (a property reports that, not the schema)', () => {
    const { ret: _r, shortCircuit: _s, ...membarrier } = EXAMPLE_EVENTS.membarrier;
    expect(validateTraceEvent(membarrier)).toEqual({ ok: true });
    expect(validateTraceEvent({ ...EXAMPLE_EVENTS.ref, delta: -1, value: -1 })).toEqual({ ok: true });
    // An mb without `how` (every mb before x86 locked RMWs were barrier events) stays valid.
    const { how: _h, ...mb } = EXAMPLE_EVENTS.mb;
    expect(validateTraceEvent(mb)).toEqual({ ok: true });
    expect(validateTraceEvent({ ...mb, how: 'cr3' })).not.toEqual({ ok: true });
  });

  it.each([
    ['a wrong type', { ...EXAMPLE_EVENTS.ref, mm: 3 }, '/mm', 'expected non-empty string (got 3)'],
    ['a negative cpu', { ...EXAMPLE_EVENTS.mb, cpu: -1 }, '/cpu', 'expected integer >= 0 (got -1)'],
    ['a missing field', { k: 'mb', cpu: 0 }, '/fn', 'missing required property'],
    ['an unknown field', { ...EXAMPLE_EVENTS.mb, extra: 1 }, '/extra', 'unexpected property (allowed: k, cpu, fn, how)'],
    ['an unknown kind', { k: 'mm_explode', cpu: 0 }, '/k', 'expected one of "init", "ref"'],
    ['a bad enum', { ...EXAMPLE_EVENTS.ipi_send, func: 'ipi_nope' }, '/func', 'expected one of "ipi_mb"'],
    ['a bad literal fn', { ...EXAMPLE_EVENTS.mm_teardown, fn: 'exit_mm' }, '/fn', 'expected "exit_mmap"'],
    ['delta 2', { ...EXAMPLE_EVENTS.ref, delta: 2 }, '/delta', 'expected one of 1, -1'],
    ['an unknown owner form', { ...EXAMPLE_EVENTS.ref, owner: 'cpu:1' }, '/owner', 'expected a reference owner'],
    ['a non-identifier fn', { ...EXAMPLE_EVENTS.mb, fn: 'smp mb()' }, '/fn', 'expected a kernel function name'],
    ['a nested field', { ...EXAMPLE_EVENTS.init, tasks: [{ ...EXAMPLE_EVENTS.init.tasks[0], type: 'daemon' }] }, '/tasks/0/type', 'expected one of "user"'],
  ])('rejects %s with the right path', (_what, ev, path, message) => {
    const r = validateTraceEvent(ev);
    expect(r.ok).toBe(false);
    const errors = errorsOf(r);
    expect(errors[0].path).toBe(path);
    expect(errors[0].message).toContain(message);
  });

  it('accepts every documented reference owner form', () => {
    const owners = ['task:T1', 'rq:0', 'rq:1:drop_mm', 'local:1:exit_mm', 'local:0:sched_force_init_mm:old', 'bprm:T2', 'holder:K1', 'mm_users'];
    for (const owner of owners) {
      expect(validateTraceEvent({ ...EXAMPLE_EVENTS.ref, owner })).toEqual({ ok: true });
    }
  });
});

describe('validateTrace', () => {
  const later = EVENT_KINDS.filter((k) => k !== 'init').map((k) => EXAMPLE_EVENTS[k]) as TraceEvent[];

  it('accepts a trace of init followed by one event of every other kind', () => {
    expect(validateTrace(trace(EXAMPLE_EVENTS.init, ...later))).toEqual({ ok: true });
  });

  it('points at /events/<i>/<field>', () => {
    const events: unknown[] = [EXAMPLE_EVENTS.init, ...later.slice(0, 11), { ...EXAMPLE_EVENTS.mm_free, mm: null }];
    expect(errorsOf(validateTrace(trace(...events)))).toEqual([
      { path: '/events/12/mm', message: 'expected non-empty string (got null)' },
    ]);
  });

  it('requires init first, and only first, with one error on k', () => {
    expect(errorsOf(validateTrace(trace(EXAMPLE_EVENTS.mb)))).toEqual([
      { path: '/events/0/k', message: 'expected "init" (event 0 is always init) (got "mb")' },
    ]);
    const errors = errorsOf(validateTrace(trace(EXAMPLE_EVENTS.init, EXAMPLE_EVENTS.mb, EXAMPLE_EVENTS.init)));
    expect(errors.map((e) => e.path)).toEqual(['/events/2/k']);
  });

  it('checks the envelope', () => {
    expect(errorsOf(validateTrace({ format: 'lazymm-trace/2', events: [] })).map((e) => e.path)).toEqual(['/format', '/events']);
    expect(errorsOf(validateTrace({ events: [EXAMPLE_EVENTS.init] }))).toEqual([
      { path: '/format', message: 'missing required property; expected "lazymm-trace/1"' },
    ]);
    expect(validateTrace('not a trace').ok).toBe(false);
  });
});
