/**
 * The state panel's values mirrored from a trace alone (docs/trace-format.md), for reports of traces
 * lazymm cannot replay (trace fixtures, `check-trace`): the init event's state, then every event that
 * changes a displayed field. Same keys and wording as ./snapshot.ts's engine values, so that a trace
 * report and an ops report of the same run read alike (src/report/trace-mirror.test.ts checks that).
 *
 * IRQ state: the trace format has no IRQ events yet (issue 12 adds `local_irq_disable/enable`). When
 * a trace has events that say so (see {@link irqChange}) they are used; otherwise the state is derived:
 * IRQs are off inside a `context_switch` path (__schedule() takes the rq lock with IRQs disabled and
 * finish_task_switch() re-enables them) and on elsewhere.
 */
import type { InitEvent, TraceEvent } from '../trace/events';
import { putCpuValues, putMmValues, type CpuView, type MmView } from './snapshot';
import type { StateValues } from './types';

interface CpuMirror extends CpuView {
  mode: 'user' | 'kernel';
  irqsOff: boolean;
  /** Nesting of context_switch paths (derived IRQ state). */
  switching: number;
}
interface MmMirror extends MmView {
  cpumask: Set<number>;
}

const OFF_FNS = new Set(['local_irq_disable', 'local_irq_save', 'raw_local_irq_disable', 'raw_local_irq_save']);
const ON_FNS = new Set(['local_irq_enable', 'local_irq_restore', 'raw_local_irq_enable', 'raw_local_irq_restore']);

/**
 * Whether `e` states the CPU's IRQ state: true (now off), false (now on), undefined (it does not).
 * Accepted: an event whose `fn` is local_irq_disable/enable (or the save/restore and raw_ forms) and
 * whose kind names IRQs, or any event with a boolean `irqsOff` field.
 */
export function irqChange(e: TraceEvent): boolean | undefined {
  const r = e as unknown as Record<string, unknown>;
  if (typeof r.irqsOff === 'boolean') return r.irqsOff;
  if (!/irq/i.test(String(r.k))) return undefined;
  if (typeof r.off === 'boolean') return r.off;
  if (typeof r.disabled === 'boolean') return r.disabled;
  if (typeof r.enabled === 'boolean') return !r.enabled;
  if (OFF_FNS.has(e.fn)) return true;
  if (ON_FNS.has(e.fn)) return false;
  return undefined;
}

/** Whether any event of the trace states the IRQ state (then the derived rule is not used). */
export const hasIrqEvents = (events: readonly TraceEvent[]): boolean => events.some((e) => e.k !== 'init' && irqChange(e) !== undefined);

export class TraceMirror {
  private readonly cpus: CpuMirror[];
  private readonly tasks = new Map<string, { mm: string | null; activeMm: string | null }>();
  private readonly mms = new Map<string, MmMirror>();

  constructor(
    init: InitEvent,
    /** Use the trace's IRQ events (true) or derive IRQ state from context_switch paths (false). */
    private readonly irqEvents: boolean,
  ) {
    this.cpus = init.cpus.map((c) => ({
      online: c.online, curr: c.curr, current: c.curr, loadedMm: c.loadedMm, isLazy: c.isLazy,
      rqMembarrierState: c.rqMembarrierState, prevMm: null, tempMm: null, mode: c.mode, irqsOff: false, switching: 0,
    }));
    for (const t of init.tasks) this.tasks.set(t.task, { mm: t.mm, activeMm: t.activeMm });
    for (const m of init.mms) {
      this.mms.set(m.mm, {
        isStatic: m.static, users: m.users, count: m.count, cpumask: new Set(m.cpumask), tlbGen: m.tlbGen,
        membarrierState: m.membarrierState, freed: false, tornDown: false,
      });
    }
  }

  observe(e: TraceEvent): void {
    if (e.k === 'init') return;
    const c = this.cpus[e.cpu];
    const irq = this.irqEvents ? irqChange(e) : undefined;
    if (irq !== undefined && c) c.irqsOff = irq;
    switch (e.k) {
      case 'task_mm': case 'task_new':
        this.tasks.set(e.task, { mm: e.mm, activeMm: e.activeMm });
        return;
      case 'rq_curr': c.curr = e.task; return;
      case 'switch_to': c.current = e.task; return;
      case 'prev_mm': c.prevMm = e.mm; return;
      case 'load_mm': c.loadedMm = e.mm; return;
      case 'lazy': c.isLazy = e.lazy; return;
      case 'rq_membarrier_state': c.rqMembarrierState = e.value; return;
      case 'temp_mm': c.tempMm = e.mm ? { temp: e.mm, saved: e.saved } : null; return;
      case 'user_enter': c.mode = 'user'; return;
      case 'user_exit': c.mode = 'kernel'; return;
      case 'cpu_online': if (this.cpus[e.target]) this.cpus[e.target].online = e.online; return;
      case 'path':
        if (e.fn === 'context_switch') {
          c.switching = Math.max(0, c.switching + (e.phase === 'begin' ? 1 : -1));
          if (!this.irqEvents) c.irqsOff = c.switching > 0;
        }
        return;
      case 'mm_alloc':
        this.mms.set(e.mm, { isStatic: false, users: 1, count: 1, cpumask: new Set(), tlbGen: 0, membarrierState: e.membarrierState, freed: false, tornDown: false });
        return;
    }
    const m = 'mm' in e && typeof e.mm === 'string' ? this.mms.get(e.mm) : undefined;
    if (!m) return;
    switch (e.k) {
      case 'ref': if (e.counter === 'mm_users') m.users = e.value; else m.count = e.value; return;
      case 'mm_membarrier_state': m.membarrierState = e.value; return;
      case 'cpumask': if (e.set) m.cpumask.add(e.target); else m.cpumask.delete(e.target); return;
      case 'tlb_gen': m.tlbGen = e.value; return;
      case 'mm_teardown': m.tornDown = true; return;
      case 'mm_free': m.freed = true; return;
    }
  }

  values(): StateValues {
    const v: StateValues = {};
    this.cpus.forEach((c, id) => putCpuValues(v, id, c, this.tasks.get(c.curr)));
    for (const [id, m] of this.mms) putMmValues(v, id, m, [...m.cpumask]);
    return v;
  }
}
