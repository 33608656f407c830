/**
 * What a property is: a pure function of a trace (src/trace/events.ts), with an incremental form.
 * Properties import nothing from the engines: any engine that emits the trace format can use them.
 */
import type { CpuId, InitEvent, MmId, TraceEvent } from '../src/trace/events';

export interface Violation {
  /** Property id, e.g. "refcount-balance". */
  property: string;
  /** The clause of the property that failed, e.g. "C1.2 drop without reference". */
  clause: string;
  /** Index of the event at which the violation was detected. */
  index: number;
  mm: MmId | null;
  cpus: CpuId[];
  /** One paragraph that explains the violation and cites events by index ("event 12: ..."). */
  message: string;
  /** Indices of the events the explanation cites (for the timeline's margin). */
  events: number[];
}

/** Observes a trace event by event; returns the first violation it finds (then is not called again). */
export interface PropertyMonitor {
  observe(event: TraceEvent, index: number): Violation | null;
  /** End of trace: checks that need the whole history (for example leaks at quiescence). */
  finish(): Violation | null;
}

export interface Property {
  id: string;
  title: string;
  /** Where the rule comes from (kernel-model.md clause and kernel source). */
  reference: string;
  /** Whether the property applies to a trace with this init event (for example x86 only). */
  appliesTo(init: InitEvent): boolean;
  /** A fresh monitor, given the init event (event 0). */
  monitor(init: InitEvent): PropertyMonitor;
}
