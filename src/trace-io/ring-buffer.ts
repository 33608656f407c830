/**
 * The most recent events of a streamed trace, with their indices: all a violation's timeline needs,
 * in memory bounded by the capacity however long the trace is.
 */
import type { TraceEvent } from '../trace/events';

/** One remembered event. */
export interface Indexed {
  index: number;
  event: TraceEvent;
}

/** A fixed-capacity ring of the last events pushed. */
export class RingBuffer {
  private readonly slots: (Indexed | undefined)[];
  private next = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`RingBuffer: capacity must be a positive integer (got ${capacity})`);
    this.slots = new Array<Indexed | undefined>(capacity);
  }

  push(event: TraceEvent, index: number): void {
    this.slots[this.next] = { index, event };
    this.next = (this.next + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
  }

  /** The remembered events, oldest first. */
  toArray(): Indexed[] {
    const out: Indexed[] = [];
    const start = (this.next - this.size + this.capacity) % this.capacity;
    for (let n = 0; n < this.size; n++) out.push(this.slots[(start + n) % this.capacity]!);
    return out;
  }
}
