/** A tiny event sink for one op: the CPU it runs on, and helpers for the events every path emits. */
import type { CpuId, TraceEvent } from 'lazymm/trace';

export class Emit {
  readonly events: TraceEvent[] = [];

  constructor(readonly cpu: CpuId) {}

  push(ev: TraceEvent): void {
    this.events.push(ev);
  }

  /** A full memory barrier on this CPU. */
  mb(fn: string): void {
    this.events.push({ k: 'mb', cpu: this.cpu, fn });
  }

  /** A core-serializing instruction on this CPU. */
  syncCore(fn: string): void {
    this.events.push({ k: 'serialize', cpu: this.cpu, fn, how: 'sync_core' });
  }
}
