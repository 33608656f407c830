/**
 * Building a {@link Violation}: the message cites events by index and the violation lists the cited
 * indices (for the timeline's margin). An {@link Explanation} collects both as the text is written.
 */
import type { CpuId, MmId, TraceEvent } from '../../src/trace/events';
import type { Violation } from '../property';
import { describeEvent } from './describe';

/** An event and its index in the trace (what a property keeps to cite it later). */
export interface EventRef {
  ev: TraceEvent;
  i: number;
}

/** Accumulates the message of a violation and the events it cites. */
export class Explanation {
  private readonly parts: string[] = [];
  private readonly cited: number[] = [];

  /** Appends text. */
  say(text: string): this {
    this.parts.push(text);
    return this;
  }

  /** Returns the description of an event and records its index as cited. */
  ev(ev: TraceEvent, i: number): string {
    if (!this.cited.includes(i)) this.cited.push(i);
    return describeEvent(ev, i);
  }

  /** Like {@link ev} for a stored reference; `none` when there is no such event. */
  ref(r: EventRef | null | undefined, none = 'none'): string {
    return r ? this.ev(r.ev, r.i) : none;
  }

  get message(): string {
    return this.parts.join(' ').replace(/\s+/g, ' ').trim();
  }

  get events(): number[] {
    return [...this.cited].sort((a, b) => a - b);
  }
}

/** The fields of a violation other than its explanation. */
export interface ViolationHead {
  property: string;
  clause: string;
  index: number;
  mm: MmId | null;
  cpus: CpuId[];
}

/** The violation for `head` explained by `x` (the detection index is cited too). */
export function violation(head: ViolationHead, x: Explanation): Violation {
  const events = x.events;
  if (!events.includes(head.index)) {
    events.push(head.index);
    events.sort((a, b) => a - b);
  }
  return { ...head, cpus: [...head.cpus], message: x.message, events };
}
