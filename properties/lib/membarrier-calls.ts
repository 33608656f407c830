/**
 * membarrier() calls in flight, from `membarrier` and `membarrier_scan` events (kernel-model.md
 * 3.6 MB0-MB5): when each call entered, executed its entry barrier MB1 (`mb_start`) and its exit
 * barrier MB5 (`mb_end`), what its scan decided per CPU, and how it returned.
 */
import type { CpuId, MembarrierCmd, MembarrierEvent, MmId, TaskId, TraceEvent } from '../../src/trace/events';
import type { EventRef } from './explain';

/** What is known about one membarrier() call so far. */
export interface CallRecord {
  call: number;
  cmd: MembarrierCmd;
  task: TaskId;
  mm: MmId | null;
  enter: EventRef;
  mbStart: EventRef | null;
  mbEnd: EventRef | null;
  ret: EventRef | null;
  /** The scan's decision per target CPU (the last one, if scanned twice). */
  scans: Map<CpuId, EventRef>;
}

/** The calls in flight, by call id (callers forget a call after its return). */
export class MembarrierCalls {
  private readonly calls = new Map<number, CallRecord>();

  /** Records `ev` if it is a membarrier event; returns the call it belongs to, else null. */
  observe(ev: TraceEvent, i: number): CallRecord | null {
    if (ev.k === 'membarrier_scan') {
      const c = this.calls.get(ev.call);
      c?.scans.set(ev.target, { ev, i });
      return c ?? null;
    }
    if (ev.k !== 'membarrier') return null;
    const ref = { ev, i };
    let c = this.calls.get(ev.call);
    if (c === undefined || ev.phase === 'enter') {
      c = { call: ev.call, cmd: ev.cmd, task: ev.task, mm: ev.mm, enter: ref, mbStart: null, mbEnd: null, ret: null, scans: new Map() };
      this.calls.set(ev.call, c);
    }
    if (ev.phase === 'mb_start') c.mbStart = ref;
    else if (ev.phase === 'mb_end') c.mbEnd = ref;
    else if (ev.phase === 'return') c.ret = ref;
    return c;
  }

  /** Forgets a call (after its return). */
  forget(call: number): void {
    this.calls.delete(call);
  }
}

/** The return value of a returned call (a `return` event without `ret` counts as success, 0). */
export function returnValue(c: CallRecord): number | null {
  if (c.ret === null) return null;
  return (c.ret.ev as MembarrierEvent).ret ?? 0;
}
