/**
 * The checks every input event passes before a property sees it, whatever the container: the dense
 * ordering rules (event 0 is `init`, no other event is), the JSON Schema of its kind, and that the
 * CPUs it names exist (the init event lists them).
 */
import type { InitEvent, TraceEvent } from '../trace/events';
import { validateTraceEvent } from '../trace/schema';
import type { SchemaError } from '../trace/validation';

const kindOf = (value: unknown): unknown =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as { k?: unknown }).k : undefined;

const shown = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));

/** Checks events in trace order; remembers the init event for the CPU range. */
export class EventChecks {
  private cpus: number | null = null;

  /** Problems of `value` as event `index` (paths relative to the event); [] when it is a valid event. */
  check(value: unknown, index: number): SchemaError[] {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return [{ path: '', message: `expected a trace event object (got ${Array.isArray(value) ? 'an array' : shown(value)})` }];
    }
    const k = kindOf(value);
    // (An init event later in a trace whose event 0 was not init is the same mistake: said once.)
    if (index === 0 && k !== 'init') {
      return [{ path: '/k', message: `expected "init": event 0 of a trace is always the init event (got ${shown(k)})` }];
    }
    if (index > 0 && k === 'init' && this.cpus !== null) {
      return [{ path: '/k', message: `expected an event kind other than init: init is only event 0, and this is event ${index} (one trace is one history from one initial state)` }];
    }
    const schema = validateTraceEvent(value);
    if (!schema.ok) return schema.errors;
    const ev = value as TraceEvent;
    if (ev.k === 'init') {
      this.cpus = (ev as InitEvent).cpus.length;
      return [];
    }
    return this.cpuRange(ev);
  }

  private cpuRange(ev: Exclude<TraceEvent, InitEvent>): SchemaError[] {
    const n = this.cpus;
    if (n === null) return [];
    const out: SchemaError[] = [];
    const range = (field: string, cpu: number) => {
      if (cpu >= n) out.push({ path: `/${field}`, message: `expected integer 0..${n - 1} (the init event lists ${n} CPU${n === 1 ? '' : 's'}) (got ${cpu})` });
    };
    range('cpu', ev.cpu);
    if ('target' in ev && typeof ev.target === 'number') range('target', ev.target);
    if (ev.k === 'ipi_handle') range('from', ev.from);
    return out;
  }
}
