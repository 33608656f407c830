/**
 * Reading a trace stored as one JSON document: `{ "format": "lazymm-trace/1", "events": [...] }` or a
 * bare array of events. The whole file is parsed at once (use JSON Lines for traces too large to
 * hold). Problems name the JSON path (`/events/12/mm`) and, for syntax errors, line and column.
 */
import * as fs from 'node:fs';
import { parseJson } from '../fixtures/json-syntax';
import { EventChecks } from './event-checks';
import { TRACE_SHAPES, type TraceInputProblem } from './problems';
import { MAX_PROBLEMS, type ReadItem } from './read-item';

const FORMAT = 'lazymm-trace/1';

/** The events of a JSON trace document, or the problems that make it unusable. */
export function* readJsonTrace(file: string, text = fs.readFileSync(file, 'utf8')): Generator<ReadItem> {
  const problem = (p: Omit<TraceInputProblem, 'file'>): ReadItem => ({ problem: { file, ...p } });
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') {
    yield problem({ message: `empty file: expected ${TRACE_SHAPES}` });
    return;
  }
  const parsed = parseJson(body);
  if (!parsed.ok) {
    yield problem({ line: parsed.line, column: parsed.column, message: `invalid JSON: ${parsed.message}` });
    return;
  }
  const located = locateEvents(parsed.value);
  if ('errors' in located) {
    for (const e of located.errors) yield problem(e);
    return;
  }
  const checks = new EventChecks();
  let problems = 0;
  for (let i = 0; i < located.events.length && problems < MAX_PROBLEMS; i++) {
    const errors = checks.check(located.events[i], i);
    for (const e of errors.slice(0, MAX_PROBLEMS - problems)) yield problem({ path: `${located.prefix}/${i}${e.path}`, message: e.message });
    problems += errors.length;
    if (errors.length === 0 && problems === 0) yield { event: located.events[i] as never, index: i };
  }
}

/** The event array of the document and the JSON path of that array, or what is wrong with the envelope. */
function locateEvents(value: unknown): { events: unknown[]; prefix: string } | { errors: { path: string; message: string }[] } {
  if (Array.isArray(value)) {
    return value.length === 0 ? { errors: [{ path: '', message: 'expected at least 1 event (the init event) (got an empty array)' }] } : { events: value, prefix: '' };
  }
  if (typeof value !== 'object' || value === null) {
    return { errors: [{ path: '', message: `expected ${TRACE_SHAPES} (got ${JSON.stringify(value)})` }] };
  }
  const doc = value as Record<string, unknown>;
  const errors: { path: string; message: string }[] = [];
  if (doc.format !== FORMAT) {
    errors.push({ path: '/format', message: doc.format === undefined ? `missing required property; expected "${FORMAT}"` : `expected "${FORMAT}" (got ${JSON.stringify(doc.format)})` });
  }
  for (const key of Object.keys(doc)) {
    if (key !== 'format' && key !== 'events') errors.push({ path: `/${key}`, message: 'unexpected property (allowed: format, events)' });
  }
  if (!Array.isArray(doc.events)) {
    errors.push({ path: '/events', message: doc.events === undefined ? 'missing required property; expected an array of events, init first' : 'expected an array of events, init first' });
  } else if (doc.events.length === 0) {
    errors.push({ path: '/events', message: 'expected at least 1 event (the init event) (got an empty array)' });
  }
  return errors.length ? { errors } : { events: doc.events as unknown[], prefix: '/events' };
}
