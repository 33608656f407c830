/**
 * The trace mirror: the kernel state that the events so far imply, kept incrementally so that a
 * property can ask "what is true now" in O(1). It is built from the `init` event (event 0) and
 * updated by {@link Mirror.apply} once per event; it never copies. Field names follow the kernel
 * (kernel-model.md section 2 with the errata's additions: `current` separate from rq->curr,
 * errata Part 1 E4; paths in flight, errata Part 2 E5).
 *
 * The mirror trusts the events: it records what the engine says happened (a `ref` event's `value`
 * becomes the counter). Judging whether that was allowed is the properties' job.
 */
import type { CpuId, InitEvent, IpiSendEvent, MmId, TaskId, TraceEvent } from '../../src/trace/events';
import { blankCpu, type CpuView, type MmView, type TaskView } from './mirror-views';
import { PathFrames } from './path-frames';

export type { CpuView, MmView, TaskView } from './mirror-views';

/** The incremental state of one trace (see the file comment). */
export class Mirror {
  readonly init: InitEvent;
  readonly tasks = new Map<TaskId, TaskView>();
  readonly cpus: CpuView[];
  readonly mms = new Map<MmId, MmView>();
  readonly paths: PathFrames;
  /** IPIs sent and not yet handled, by id. */
  readonly pendingIpis = new Map<number, { ev: IpiSendEvent; i: number }>();
  /** Index of the last event applied. */
  lastIndex = 0;
  /**
   * The task and mm views this mirror may write in place: created or copied by it since its last
   * clone(). The others are shared with a clone (copy-on-write, issue 15: clone() shares every task
   * and mm view, and the first write through {@link taskW}/{@link mmW} copies it), so a view that
   * is not owned is never written again by anyone (the explorer caches its hash,
   * src/explore/mirror-hash.ts). Only apply() writes views, and only through taskW()/mmW().
   */
  private ownTasks = new Set<TaskId>();
  private ownMms = new Set<MmId>();

  constructor(init: InitEvent) {
    this.init = init;
    for (const m of init.mms) {
      this.mms.set(m.mm, {
        id: m.mm, isStatic: m.static, users: m.users, count: m.count, freed: false, freedAt: null,
        tornDown: false, membarrierState: m.membarrierState, lastMembarrierState: null,
        cpumask: init.cpus.map((c) => (m.cpumask ?? []).includes(c.cpu)), tlbGen: m.tlbGen,
      });
    }
    for (const t of init.tasks) {
      this.tasks.set(t.task, {
        id: t.task, type: t.type, tgid: t.tgid, mm: t.mm, activeMm: t.activeMm, state: t.state,
        onCpu: null, currOn: null, lastSwitch: null, lastMmChange: { ev: init, i: 0 },
      });
    }
    const n = init.cpus.reduce((max, c) => Math.max(max, c.cpu + 1), 0);
    this.cpus = new Array<CpuView>(n);
    for (let c = 0; c < n; c++) this.cpus[c] = blankCpu(c);
    for (const c of init.cpus) {
      const v = this.cpus[c.cpu];
      v.online = c.online;
      v.curr = c.curr;
      v.current = c.curr;
      v.mode = c.mode;
      v.loadedMm = c.loadedMm;
      v.isLazy = c.isLazy;
      v.rqMembarrierState = c.rqMembarrierState;
      this.task(c.curr).onCpu = c.cpu;
      this.task(c.curr).currOn = c.cpu;
    }
    this.paths = new PathFrames(n);
    for (const id of this.tasks.keys()) this.ownTasks.add(id);
    for (const id of this.mms.keys()) this.ownMms.add(id);
  }

  /**
   * An independent copy (for the explorer, which forks a state's monitors instead of replaying its
   * path). Views are copied field by field; what they hold by reference (event references, the
   * temporary-mm record) is never mutated, only replaced, so it is shared. O(state).
   */
  clone(): Mirror {
    const m = Object.create(Mirror.prototype) as Mirror;
    const w = m as unknown as { -readonly [K in keyof Mirror]: Mirror[K] } & { ownTasks: Set<TaskId>; ownMms: Set<MmId> };
    w.init = this.init;
    // Task and mm views are shared, then copied on their first write by either mirror.
    w.tasks = new Map(this.tasks);
    w.cpus = this.cpus.map((c) => (c === undefined ? c : { ...c }));
    w.mms = new Map(this.mms);
    w.paths = this.paths.clone();
    w.pendingIpis = new Map(this.pendingIpis);
    w.lastIndex = this.lastIndex;
    w.ownTasks = new Set();
    w.ownMms = new Set();
    if (this.ownTasks.size > 0) this.ownTasks = new Set();
    if (this.ownMms.size > 0) this.ownMms = new Set();
    return m;
  }

  /** Whether this mirror may still write the view of task `id` (not shared with a clone). */
  ownsTask(id: TaskId): boolean {
    return this.ownTasks.has(id);
  }
  ownsMm(id: MmId): boolean {
    return this.ownMms.has(id);
  }

  /** The task's view, to write: copied first if it is shared with a clone. */
  private taskW(id: TaskId): TaskView {
    const t = this.task(id);
    if (this.ownTasks.has(id)) return t;
    const c = { ...t };
    this.tasks.set(id, c);
    this.ownTasks.add(id);
    return c;
  }

  /** The mm's view, to write: copied first if it is shared with a clone. */
  private mmW(id: MmId): MmView {
    const m = this.mm(id);
    if (this.ownMms.has(id)) return m;
    const c = { ...m, cpumask: [...m.cpumask] };
    this.mms.set(id, c);
    this.ownMms.add(id);
    return c;
  }

  /** The task (created with neutral values if the trace never introduced it). */
  task(id: TaskId): TaskView {
    let t = this.tasks.get(id);
    if (t === undefined) {
      t = {
        id, type: 'kthread', tgid: null, mm: null, activeMm: null, state: 'runnable', onCpu: null, currOn: null,
        lastSwitch: null, lastMmChange: null,
      };
      this.tasks.set(id, t);
      this.ownTasks.add(id);
    }
    return t;
  }

  /** The mm (created empty if the trace never introduced it). */
  mm(id: MmId): MmView {
    let m = this.mms.get(id);
    if (m === undefined) {
      m = {
        id, isStatic: false, users: 0, count: 0, freed: false, freedAt: null, tornDown: false,
        membarrierState: 0, lastMembarrierState: null, cpumask: this.cpus.map(() => false), tlbGen: 0,
      };
      this.mms.set(id, m);
      this.ownMms.add(id);
    }
    return m;
  }

  cpu(id: CpuId): CpuView {
    let c = this.cpus[id];
    if (c === undefined) {
      c = blankCpu(id);
      this.cpus[id] = c;
    }
    return c;
  }

  /** The task that is `current` on `cpu`. */
  currentTask(cpu: CpuId): TaskView {
    return this.task(this.cpu(cpu).current);
  }

  /** Whether `mm` is one of the static mms (init_mm, efi_mm, text_poke_mm). */
  isStatic(mm: MmId): boolean {
    return this.mms.get(mm)?.isStatic ?? false;
  }

  /** No path in flight anywhere and no IPI pending (kernel-model.md C1.4 "quiescent point"). */
  quiescent(): boolean {
    return this.paths.total === 0 && this.pendingIpis.size === 0;
  }

  /** Applies event `i`. */
  apply(ev: TraceEvent, i: number): void {
    this.lastIndex = i;
    switch (ev.k) {
      case 'init':
        return;
      case 'ref': {
        const m = this.mmW(ev.mm);
        if (ev.counter === 'mm_users') m.users = ev.value;
        else m.count = ev.value;
        return;
      }
      case 'mm_alloc': {
        const m = this.mmW(ev.mm);
        m.users = 1;
        m.count = 1;
        m.freed = false;
        m.freedAt = null;
        m.tornDown = false;
        m.membarrierState = ev.membarrierState;
        m.cpumask.fill(false);
        m.tlbGen = 0;
        return;
      }
      case 'mm_teardown':
        this.mmW(ev.mm).tornDown = true;
        return;
      case 'mm_free': {
        const m = this.mmW(ev.mm);
        m.freed = true;
        m.freedAt = { ev, i };
        return;
      }
      case 'task_mm': {
        const t = this.taskW(ev.task);
        t.mm = ev.mm;
        t.activeMm = ev.activeMm;
        t.lastMmChange = { ev, i };
        return;
      }
      case 'task_new': {
        const t = this.taskW(ev.task);
        t.type = ev.type;
        t.tgid = ev.tgid;
        t.mm = ev.mm;
        t.activeMm = ev.activeMm;
        t.lastMmChange = { ev, i };
        return;
      }
      case 'task_state':
        this.taskW(ev.task).state = ev.state;
        return;
      case 'path':
        if (ev.phase === 'begin') this.paths.begin(ev, i);
        else this.paths.end(ev);
        return;
      case 'rq_curr': {
        const c = this.cpu(ev.cpu);
        const old = this.tasks.get(c.curr);
        if (old !== undefined && old.currOn === ev.cpu) this.taskW(c.curr).currOn = null;
        this.taskW(ev.task).currOn = ev.cpu;
        c.curr = ev.task;
        c.lastRqCurr = { ev, i };
        return;
      }
      case 'switch_to': {
        const c = this.cpu(ev.cpu);
        const prev = this.taskW(c.current);
        if (prev.onCpu === ev.cpu) prev.onCpu = null;
        c.current = ev.task;
        const next = this.taskW(ev.task);
        next.onCpu = ev.cpu;
        c.lastSwitchTo = next.lastSwitch = prev.lastSwitch = { ev, i };
        this.paths.switchTo(ev.cpu, prev.id, ev.task);
        return;
      }
      case 'prev_mm':
        this.cpu(ev.cpu).prevMm = ev.mm;
        return;
      case 'rq_membarrier_state': {
        const c = this.cpu(ev.cpu);
        c.rqMembarrierState = ev.value;
        c.lastRqMembarrierState = { ev, i };
        return;
      }
      case 'mm_membarrier_state': {
        const m = this.mmW(ev.mm);
        m.membarrierState = ev.value;
        m.lastMembarrierState = { ev, i };
        return;
      }
      case 'load_mm': {
        const c = this.cpu(ev.cpu);
        c.loadedMm = ev.mm;
        c.lastLoadMm = { ev, i };
        return;
      }
      case 'lazy':
        this.cpu(ev.cpu).isLazy = ev.lazy;
        return;
      case 'cpumask':
        this.mmW(ev.mm).cpumask[ev.target] = ev.set;
        return;
      case 'mb': {
        const c = this.cpu(ev.cpu);
        c.lastMb = i;
        c.lastMbEv = ev;
        return;
      }
      case 'serialize': {
        const c = this.cpu(ev.cpu);
        c.lastSerialize = i;
        c.lastSerializeEv = ev;
        return;
      }
      case 'user_enter': {
        const c = this.cpu(ev.cpu);
        c.mode = 'user';
        c.lastUserEnter = { ev, i };
        return;
      }
      case 'user_exit': {
        const c = this.cpu(ev.cpu);
        c.mode = 'kernel';
        c.lastUserExit = { ev, i };
        return;
      }
      case 'ipi_send':
        this.pendingIpis.set(ev.id, { ev, i });
        return;
      case 'ipi_handle':
        if (ev.id !== null) this.pendingIpis.delete(ev.id);
        return;
      case 'tlb_gen':
        this.mmW(ev.mm).tlbGen = ev.value;
        return;
      case 'temp_mm':
        this.cpu(ev.cpu).tempMm = ev.mm === null ? null : Object.freeze({ temp: ev.mm, saved: ev.saved });
        return;
      case 'cpu_online':
        this.cpu(ev.target).online = ev.online;
        return;
      case 'hazard': {
        const c = this.cpu(ev.target);
        if (ev.slot === 'lazy_mm') c.hazardLazyMm = ev.mm;
        else c.hazardDropMm = ev.mm;
        return;
      }
      case 'ref_move':
      case 'mmdrop_begin':
      case 'membarrier':
      case 'membarrier_scan':
      case 'membarrier_register':
      case 'flush_done':
      case 'local_tlb_gen':
      case 'deref':
      case 'kthread_access':
      case 'unlazy_scan':
        return;
      case 'irqs':
        this.cpu(ev.cpu).irqsOff = !ev.enabled;
        return;
      case 'irq':
        this.cpu(ev.cpu).inIrq = ev.phase === 'enter';
        return;
    }
  }
}
