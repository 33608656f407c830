/**
 * A small, engine-independent view of the machine, rebuilt from the trace events of a run.
 *
 * Weights and scenario statistics need to know things an op does not say (is the CPU lazy? is it in
 * user mode? which task is `current`?). The engine's state is opaque (`Engine<S>`), but every engine
 * emits the same trace format, so we fold the events into just the facts we need. Updating is O(1)
 * per event.
 */
import type {
  CpuId,
  InitEvent,
  MembarrierCmd,
  MmId,
  TaskId,
  TaskType,
  TraceEvent,
} from '../src/trace/events';

/** What the view knows about a task. */
export interface TaskFacts {
  type: TaskType;
  mm: MmId | null;
  activeMm: MmId | null;
}

/** The outgoing task of a context switch, as it was when __schedule() published rq->curr. */
export interface SwitchStart {
  prev: TaskId;
  prevType: TaskType | undefined;
  prevMm: MmId | null;
  prevActiveMm: MmId | null;
}

/** The folded view; call {@link TraceView.observe} on every event after `init`. */
export class TraceView {
  private readonly tasks = new Map<TaskId, TaskFacts>();
  private readonly staticMms = new Set<MmId>();
  private readonly currentTask: TaskId[];
  private readonly cpuMode: ('user' | 'kernel')[];
  private readonly cpuOnline: boolean[];
  private readonly membarrierCalls = new Map<number, MembarrierCmd>();
  private readonly mmMembarrierStates = new Map<MmId, number>();
  /** PRIVATE membarrier calls between their entry and exit barriers: call -> (mm, caller CPU). */
  private readonly privateWindows = new Map<number, { mm: MmId; cpu: CpuId }>();
  /** Per CPU: a flush_tlb_mm_range() with freed_tables is in progress (between tlb_gen and flush_done). */
  private readonly flushingFreedTables: boolean[];
  private readonly freedTablesIpis = new Set<number>();
  private readonly switchStarts: (SwitchStart | null)[];

  constructor(init: InitEvent) {
    for (const t of init.tasks) this.tasks.set(t.task, { type: t.type, mm: t.mm, activeMm: t.activeMm });
    for (const m of init.mms) {
      if (m.static) this.staticMms.add(m.mm);
      this.mmMembarrierStates.set(m.mm, m.membarrierState);
    }
    this.currentTask = init.cpus.map((c) => c.curr);
    this.cpuMode = init.cpus.map((c) => c.mode);
    this.cpuOnline = init.cpus.map((c) => c.online);
    this.flushingFreedTables = init.cpus.map(() => false);
    this.switchStarts = init.cpus.map(() => null);
  }

  /** Number of CPUs. */
  get cpus(): number {
    return this.currentTask.length;
  }

  task(id: TaskId): TaskFacts | undefined {
    return this.tasks.get(id);
  }

  /** `current` on `cpu` (changes at switch_to()). */
  current(cpu: CpuId): TaskId {
    return this.currentTask[cpu];
  }

  currentFacts(cpu: CpuId): TaskFacts | undefined {
    return this.tasks.get(this.currentTask[cpu]);
  }

  mode(cpu: CpuId): 'user' | 'kernel' {
    return this.cpuMode[cpu];
  }

  online(cpu: CpuId): boolean {
    return this.cpuOnline[cpu];
  }

  isStaticMm(mm: MmId): boolean {
    return this.staticMms.has(mm);
  }

  /** True when `task` has no mm of its own (kthread or idle, outside kthread_use_mm). */
  isMmless(task: TaskId): boolean {
    const t = this.tasks.get(task);
    return t !== undefined && t.mm === null;
  }

  /**
   * The user mm `cpu` is lazily using, or null. Architecture-neutral definition: `current` has no
   * mm of its own and its active_mm is a (non-static) user mm. This is the state every lazy-TLB race
   * starts from.
   */
  lazyMm(cpu: CpuId): MmId | null {
    const t = this.currentFacts(cpu);
    if (!t || t.mm !== null || t.activeMm === null || this.staticMms.has(t.activeMm)) return null;
    return t.activeMm;
  }

  isLazy(cpu: CpuId): boolean {
    return this.lazyMm(cpu) !== null;
  }

  /** mm->membarrier_state (0 for an unknown mm). */
  membarrierState(mm: MmId | null): number {
    return mm === null ? 0 : (this.mmMembarrierStates.get(mm) ?? 0);
  }

  /** Whether a PRIVATE membarrier on `mm` called from a CPU other than `cpu` is between MB1 and MB5. */
  inPrivateMembarrierWindow(mm: MmId | null, cpu: CpuId): boolean {
    if (mm === null) return false;
    for (const w of this.privateWindows.values()) if (w.mm === mm && w.cpu !== cpu) return true;
    return false;
  }

  membarrierCmd(call: number): MembarrierCmd | undefined {
    return this.membarrierCalls.get(call);
  }

  /** Whether IPI `id` was sent by a flush_tlb_mm_range() with freed_tables. */
  isFreedTablesIpi(id: number | null): boolean {
    return id !== null && this.freedTablesIpis.has(id);
  }

  /** The context switch in flight on `cpu` (from rq_curr to switch_to), if any. */
  switchStart(cpu: CpuId): SwitchStart | null {
    return this.switchStarts[cpu];
  }

  /** Fold one event into the view. */
  observe(ev: TraceEvent): void {
    switch (ev.k) {
      case 'mm_alloc':
        this.mmMembarrierStates.set(ev.mm, ev.membarrierState);
        break;
      case 'mm_membarrier_state':
        this.mmMembarrierStates.set(ev.mm, ev.value);
        break;
      case 'task_new':
        this.tasks.set(ev.task, { type: ev.type, mm: ev.mm, activeMm: ev.activeMm });
        break;
      case 'task_mm': {
        const t = this.tasks.get(ev.task);
        if (t) {
          t.mm = ev.mm;
          t.activeMm = ev.activeMm;
        }
        break;
      }
      case 'rq_curr': {
        const prev = this.currentTask[ev.cpu];
        const t = this.tasks.get(prev);
        this.switchStarts[ev.cpu] = {
          prev,
          prevType: t?.type,
          prevMm: t?.mm ?? null,
          prevActiveMm: t?.activeMm ?? null,
        };
        break;
      }
      case 'switch_to':
        this.currentTask[ev.cpu] = ev.task;
        this.switchStarts[ev.cpu] = null;
        break;
      case 'user_enter':
        this.cpuMode[ev.cpu] = 'user';
        break;
      case 'user_exit':
        this.cpuMode[ev.cpu] = 'kernel';
        break;
      case 'cpu_online':
        this.cpuOnline[ev.target] = ev.online;
        break;
      case 'membarrier':
        if (ev.phase === 'enter') this.membarrierCalls.set(ev.call, ev.cmd);
        if (ev.phase === 'mb_start' && ev.cmd !== 'GLOBAL_EXPEDITED' && ev.mm !== null) {
          this.privateWindows.set(ev.call, { mm: ev.mm, cpu: ev.cpu });
        }
        if (ev.phase === 'mb_end' || ev.phase === 'return') this.privateWindows.delete(ev.call);
        break;
      case 'tlb_gen':
        this.flushingFreedTables[ev.cpu] = ev.freedTables;
        break;
      case 'flush_done':
        this.flushingFreedTables[ev.cpu] = false;
        break;
      case 'ipi_send':
        if (ev.func === 'flush_tlb_func' && this.flushingFreedTables[ev.cpu]) this.freedTablesIpis.add(ev.id);
        break;
      default:
        break;
    }
  }
}
