/**
 * The one validator of trace events, wherever they come from: a trace file (check-trace), a trace
 * fixture, or an engine driven by the arbitraries, the explorer or a generated suite. Events are
 * checked in trace order against
 *   - the ordering rules: event 0 is `init`, no other event is;
 *   - the JSON Schema of their kind (./schema.ts): with ajv, or (`schema: 'fast'`, for engine
 *     output) with ./shape-check.ts's interpreter first, ajv being asked only for the messages of an
 *     event that fails; `schema: 'kind'` checks only that the kind exists (for events a schema
 *     has already checked);
 *   - the semantic rules of ./trace-rules.ts and ./init-rules.ts (known CPUs, tasks and mms,
 *     balanced paths, user/kernel mode alternation).
 * Each problem names its rule ('order', 'schema', 'known-task', 'path-balance', ...), the JSON pointer
 * in the event, and what was expected.
 */
import type { InitEvent, TraceEvent } from './events';
import { initProblems } from './init-rules';
import { EVENT_KINDS, validateTraceEvent } from './schema';
import { eventHasValidShape } from './shape-check';
import { badOwner, cpuOutOfRange, RULES, TraceFacts, unknownMm, unknownTask, type KindRules, type RuleProblem } from './trace-rules';

export type { RuleProblem } from './trace-rules';

const KINDS = new Set<string>(EVENT_KINDS);

const shown = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));

export interface TraceValidatorOptions {
  /** How each event is checked against the JSON Schema of its kind (default 'ajv'). */
  schema?: 'ajv' | 'fast' | 'kind';
}

/** Checks one trace's events in order; create one per trace. */
export class TraceValidator {
  private facts: TraceFacts | null = null;
  private readonly schema: 'ajv' | 'fast' | 'kind';

  constructor(options: TraceValidatorOptions = {}) {
    this.schema = options.schema ?? 'ajv';
  }

  /** An independent copy in the same state (to check two continuations of one trace). */
  clone(): TraceValidator {
    const copy = new TraceValidator({ schema: this.schema });
    copy.facts = this.facts && this.facts.clone();
    return copy;
  }

  /** Problems of `value` as event `index` (paths relative to the event); [] when it is valid. */
  check(value: unknown, index: number): RuleProblem[] {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return [{ rule: 'schema', path: '', message: `expected a trace event object (got ${Array.isArray(value) ? 'an array' : shown(value)})` }];
    }
    const k = (value as { k?: unknown }).k;
    if (index === 0 && k !== 'init') {
      return [{ rule: 'order', path: '/k', message: `expected "init": event 0 of a trace is always the init event (got ${shown(k)})` }];
    }
    // (An init event later in a trace whose event 0 was not init is the same mistake: said once.)
    if (index > 0 && k === 'init' && this.facts !== null) {
      return [{ rule: 'order', path: '/k', message: `expected an event kind other than init: init is only event 0, and this is event ${index} (one trace is one history from one initial state)` }];
    }
    if (this.schema === 'ajv' || (this.schema === 'fast' && !eventHasValidShape(value))) {
      const r = validateTraceEvent(value);
      if (!r.ok) return r.errors.map((e) => ({ rule: 'schema', ...e, ...(e.path === '/k' && typeof k === 'string' && !KINDS.has(k) ? { message: unknownKind(k) } : {}) }));
    } else if (typeof k !== 'string' || !KINDS.has(k)) {
      return [{ rule: 'schema', path: '/k', message: typeof k === 'string' ? unknownKind(k) : `expected a trace event kind (got ${shown(k)})` }];
    }
    const ev = value as TraceEvent;
    if (ev.k === 'init') {
      const problems = initProblems(ev as InitEvent);
      if (problems.length === 0) this.facts = new TraceFacts(ev as InitEvent);
      return problems;
    }
    const f = this.facts;
    if (f === null) return []; // after a rejected init: that problem was reported
    const row = compiledRow(ev.k);
    const p = row.fields(ev, f) ?? row.check?.(ev, f, index);
    if (p !== undefined) return [p];
    row.apply?.(ev, f, index);
    f.see(ev.k);
    return NONE;
  }

}

/** One kind's rules, with the field checks compiled into one function that reads each field by name. */
interface CompiledRow {
  fields: (ev: TraceEvent, f: TraceFacts) => RuleProblem | undefined;
  check?: (ev: TraceEvent, f: TraceFacts, index: number) => RuleProblem | undefined;
  apply?: (ev: TraceEvent, f: TraceFacts, index: number) => void;
}

const compiled = new Map<string, CompiledRow>();
const FIELD_PROBLEMS = { cpu: cpuOutOfRange, task: unknownTask, mm: unknownMm, owner: badOwner };

function compiledRow(kind: string): CompiledRow {
  let row = compiled.get(kind);
  if (row !== undefined) return row;
  const rules = (RULES as Record<string, KindRules<TraceEvent> | undefined>)[kind] ?? {};
  // Generated so that each kind's function sees one object shape (monomorphic property reads): about
  // three times faster than looping over field names.
  const lines: string[] = [];
  const field = (name: string, test: string, problem: string) =>
    lines.push(`x = ev[${JSON.stringify(name)}]; if (${test}) { const p = P.${problem}(f, ${JSON.stringify(problem === 'owner' ? name : `/${name}`)}, x); if (p !== undefined) return p; }`);
  for (const name of ['cpu', ...(rules.cpus ?? [])]) field(name, `typeof x === 'number' && x >= f.cpus`, 'cpu');
  for (const name of rules.tasks ?? []) field(name, `typeof x === 'string' && !f.tasks.has(x)`, 'task');
  for (const name of rules.mms ?? []) field(name, `typeof x === 'string' && !f.mms.has(x)`, 'mm');
  for (const name of rules.owners ?? []) field(name, `typeof x === 'string'`, 'owner');
  const body = `return function fields(ev, f) {\nlet x;\n${lines.join('\n')}\nreturn undefined;\n};`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const fields = new Function('P', body)(FIELD_PROBLEMS) as CompiledRow['fields'];
  row = { fields, ...(rules.check && { check: rules.check }), ...(rules.apply && { apply: rules.apply }) };
  compiled.set(kind, row);
  return row;
}

/** Levenshtein distance, for "did you mean" (kinds are short). */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

/** `expected a trace event kind (got "user_entry"; did you mean "user_enter"?)`. */
function unknownKind(k: string): string {
  const best = EVENT_KINDS.map((kind) => ({ kind, d: distance(k, kind) })).sort((a, b) => a.d - b.d)[0];
  const hint = best.d <= Math.max(2, Math.floor(k.length / 3)) ? `; did you mean ${JSON.stringify(best.kind)}?` : `; the kinds are ${EVENT_KINDS.join(', ')}`;
  return `expected a trace event kind (got ${JSON.stringify(k)}${hint})`;
}

const NONE: RuleProblem[] = [];
Object.freeze(NONE);

/** `event 12 (rule path-balance): /phase: expected ...`, for messages about engine output. */
export const formatRuleProblem = (p: RuleProblem): string => `${p.path || '/'}: ${p.message} [rule ${p.rule}]`;
