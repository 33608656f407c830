/**
 * membarrier() calls in flight, from `membarrier` and `membarrier_scan` events (kernel-model.md
 * 3.6 MB0-MB5): when each call entered, executed its entry barrier MB1 (`mb_start`) and its exit
 * barrier MB5 (`mb_end`), what its scan decided per CPU, and how it returned.
 */
import type { CpuId, MembarrierCmd, MembarrierEvent, MmId, TaskId, TraceEvent } from '../../src/trace/events';
import type { EventRef } from './explain';
import type { NameRenaming, Renamings } from './state-key';

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

  /** An independent copy (records copied with their scan maps; event references shared: never mutated). */
  clone(): MembarrierCalls {
    const c = new MembarrierCalls();
    for (const [id, r] of this.calls) c.calls.set(id, { ...r, scans: new Map(r.scans) });
    return c;
  }

  /** The call of id `call` in flight, if any. */
  get(call: number): CallRecord | undefined {
    return this.calls.get(call);
  }

  /** The calls in flight (do not mutate). */
  inFlight(): IterableIterator<CallRecord> {
    return this.calls.values();
  }

  /**
   * The calls in flight as a canonical string: renamed id, command, mm, caller and the barriers
   * passed (trace indices and scans are left to the property, which knows what it compares them with).
   * With `rename` (symmetry reduction) the mm and caller names are renamed before sorting.
   */
  key(ids: Renamings, rename?: NameRenaming): string {
    const out: string[] = [];
    const r = (name: string | null) => (rename === undefined || name === null ? name : rename(name));
    for (const c of this.calls.values()) {
      out.push(`${ids.call.name(c.call)}=${c.cmd}/${r(c.mm)}/${r(c.task)}/${c.mbStart === null ? 'e' : 'm'}`);
    }
    return `C${out.sort().join(',')}`;
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
