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
import type { Op } from '../src/engine/ops';

/** What the view knows about a task. */
export interface TaskFacts {
  type: TaskType;
  mm: MmId | null;
  activeMm: MmId | null;
  /** Left user mode by a syscall and not back yet (it can return by SYSRET). */
  inSyscall?: boolean;
  /** do_task_dead() ran. */
  dead?: boolean;
}

/**
 * An expedited membarrier call between its entry barrier (MB1, `mb_start`) and its exit barrier
 * (MB5, `mb_end`): the window of kernel-model.md C4 and scenarios A-E.
 */
export interface MembarrierWindow {
  call: number;
  cmd: MembarrierCmd;
  /** The caller's mm (null for GLOBAL_EXPEDITED from a task without one). */
  mm: MmId | null;
  /** The calling task (it may migrate while the call is preemptible). */
  task: TaskId;
  /** Index (in the view's event count) of the `mb_start` event. */
  tA: number;
  /** The next CPU the scan reads (CPUs below it have been scanned). */
  nextScan: number;
  /** CPUs the scan selected for an IPI. */
  selected: Set<CpuId>;
  /** CPUs the scan skipped because their rq->curr had no mm. */
  skippedMmless: Set<CpuId>;
}

/** The outgoing task of a context switch, as it was when __schedule() published rq->curr. */
export interface SwitchStart {
  prev: TaskId;
  prevType: TaskType | undefined;
  prevMm: MmId | null;
  prevActiveMm: MmId | null;
}

/** Kernel paths during which a CPU's lazy mm may be hidden from a shootdown. */
const WINDOW_PATHS: ReadonlySet<string> = new Set(['exec_mmap', 'efi_call', 'cpu_down', 'text_poke', 'smp_text_poke_batch_finish']);

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
  /** Per CPU: `step` ops applied since the context switch in flight published rq->curr. */
  private readonly switchSteps: number[];
  /** Per CPU: rq->curr (differs from `current` between rq_curr and switch_to). */
  private readonly rqCurrTask: TaskId[];
  /** Events observed so far (the init event is number 0). */
  private eventCount = 1;
  private readonly notedOps: Op[] = [];
  /** Kernel paths in flight per task (innermost last), from `path` and membarrier events. */
  private readonly taskPaths = new Map<TaskId, string[]>();
  /** Per CPU: context_switch or cpu_down in flight (the CPU's own frame, stepped first). */
  private readonly cpuPaths: (string | null)[];
  /** mm_users of each mm. */
  private readonly mmUsers = new Map<MmId, number>();
  /** Per CPU: event number of the last full barrier / core serialization (0: none). */
  private readonly lastMbAt: number[];
  private readonly lastSerializeAt: number[];
  private readonly lastUserExitAt: number[];
  private readonly lastMmClearAt: number[];
  /** Expedited calls between mb_start and mb_end. */
  private readonly windows = new Map<number, MembarrierWindow>();
  /** Per mm: event number of the last PRIVATE_EXPEDITED_SYNC_CORE mb_start on it. */
  private readonly syncCoreStartAt = new Map<MmId, number>();
  /** The highest membarrier call id seen (calls are numbered from 1 in trace order). */
  private lastCall = 0;
  /** Event number of each call's `enter`. */
  private readonly callEnteredAt = new Map<number, number>();
  /** Per mm: PRIVATE_EXPEDITED_SYNC_CORE calls in flight (enter to return). */
  private readonly syncCoreCallsInFlight = new Map<MmId, number>();
  /** Per CPU: the mm its MMU translates through (x86 loaded_mm; 'SWITCHING' in the middle of a switch). */
  private readonly loaded: string[];
  /** TLB generation of each mm, and per CPU the generation its TLB holds for each mm. */
  private readonly mmTlbGen = new Map<MmId, number>();
  private readonly localTlbGen: Map<MmId, number>[];
  /** Per CPU: pending IPIs (sent, not yet handled), by IPI id -> the membarrier call that sent it. */
  private readonly pendingIpis: Map<number, number | null>[];
  /** Per CPU: pending IPIs by id -> handler. */
  private readonly pendingFuncs: Map<number, string>[];
  /** Freed mms. */
  private readonly freedMms = new Set<MmId>();
  /** Per CPU: the mm it was lazy on when its current window path (exec_mmap, efi_call, cpu_down) began. */
  private readonly windowLazy: (MmId | null)[];

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
    this.rqCurrTask = init.cpus.map((c) => c.curr);
    this.switchSteps = init.cpus.map(() => 0);
    this.cpuPaths = init.cpus.map(() => null);
    this.lastMbAt = init.cpus.map(() => 0);
    this.lastSerializeAt = init.cpus.map(() => 0);
    this.lastUserExitAt = init.cpus.map(() => 0);
    this.lastMmClearAt = init.cpus.map(() => 0);
    this.pendingIpis = init.cpus.map(() => new Map());
    this.pendingFuncs = init.cpus.map(() => new Map());
    this.windowLazy = init.cpus.map(() => null);
    for (const m of init.mms) {
      this.mmUsers.set(m.mm, m.users);
      this.mmTlbGen.set(m.mm, m.tlbGen);
    }
    this.loaded = init.cpus.map((c) => c.loadedMm);
    this.localTlbGen = init.cpus.map((c) => new Map([[c.loadedMm, this.mmTlbGen.get(c.loadedMm) ?? 0]]));
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

  /** rq->curr of `cpu`: what membarrier's scan reads (the next task from the rq_curr step of a switch on). */
  rqCurr(cpu: CpuId): TaskId {
    return this.rqCurrTask[cpu];
  }

  /** The context switch in flight on `cpu` (from rq_curr to switch_to), if any. */
  switchStart(cpu: CpuId): SwitchStart | null {
    return this.switchStarts[cpu];
  }

  /** Number of events observed, the init event included (the next event's index). */
  get events(): number {
    return this.eventCount;
  }

  /** mm_users of `mm` (0 when unknown). */
  users(mm: MmId | null): number {
    return mm === null ? 0 : (this.mmUsers.get(mm) ?? 0);
  }

  /**
   * The kernel path a `step` on `cpu` would advance, as far as the trace shows it: the CPU's
   * context switch or hotplug, else the innermost path of `current` (exit_mm, membarrier,
   * membarrier_register, kthread_use_mm, ...); null when none is known.
   */
  stepPath(cpu: CpuId): string | null {
    const own = this.cpuPaths[cpu];
    if (own !== null) return own;
    const stack = this.taskPaths.get(this.currentTask[cpu]);
    return stack && stack.length > 0 ? stack[stack.length - 1] : null;
  }

  /** The expedited membarrier calls between their entry and exit barriers. */
  membarrierWindows(): IterableIterator<MembarrierWindow> {
    return this.windows.values();
  }

  /** The id the next membarrier call will most likely get (one more than the last seen). */
  get nextCallId(): number {
    return this.lastCall + 1;
  }

  /** Whether any expedited call is between its barriers. */
  get anyMembarrierWindow(): boolean {
    return this.windows.size > 0;
  }

  /** The CPU `task` is current on, or null. */
  cpuOf(task: TaskId): CpuId | null {
    for (let c = 0; c < this.currentTask.length; c++) if (this.currentTask[c] === task) return c;
    return null;
  }

  /** The mm `cpu`'s MMU translates through (x86 loaded_mm). */
  loadedMm(cpu: CpuId): string {
    return this.loaded[cpu];
  }

  /** Whether `cpu`'s TLB is up to date for `mm` (a switch to it needs no flush, so no CR3 write on x86). */
  tlbFresh(cpu: CpuId, mm: MmId): boolean {
    const gen = this.mmTlbGen.get(mm);
    return gen !== undefined && this.localTlbGen[cpu].get(mm) === gen;
  }

  /** Event number of `cpu`'s last full barrier (0: none since boot). */
  lastMb(cpu: CpuId): number {
    return this.lastMbAt[cpu];
  }

  /** Event number of `cpu`'s last core-serializing instruction (0: none since boot). */
  lastSerialize(cpu: CpuId): number {
    return this.lastSerializeAt[cpu];
  }

  /** Event number of `cpu`'s last exit from user mode (0: none since boot). */
  lastUserExit(cpu: CpuId): number {
    return this.lastUserExitAt[cpu];
  }

  /** Event number of the last time a task on `cpu` dropped its ->mm (exit_mm, kthread_unuse_mm). */
  lastMmClear(cpu: CpuId): number {
    return this.lastMmClearAt[cpu];
  }

  /**
   * Whether `cpu` owes mm `mm` a core serialization: a PRIVATE_EXPEDITED_SYNC_CORE call on `mm`
   * has passed its entry barrier and `cpu` has not serialized since (kernel-model.md C3: user code
   * of `mm` must not run there until it has).
   */
  owesSyncCore(cpu: CpuId, mm: MmId | null): boolean {
    if (mm === null) return false;
    const at = this.syncCoreStartAt.get(mm);
    return at !== undefined && this.lastSerializeAt[cpu] < at;
  }

  /** Whether some SYNC_CORE call has passed its entry barrier (so some CPU may owe a serialization). */
  get anySyncCoreOwed(): boolean {
    return this.syncCoreStartAt.size > 0;
  }

  /** Whether a PRIVATE_EXPEDITED_SYNC_CORE call on `mm` is in flight (entered, not returned). */
  syncCoreCallInFlight(mm: MmId | null): boolean {
    return mm !== null && (this.syncCoreCallsInFlight.get(mm) ?? 0) > 0;
  }

  /** Whether `cpu` has an IPI pending (sent, not yet handled). */
  hasPendingIpi(cpu: CpuId): boolean {
    return this.pendingIpis[cpu].size > 0;
  }

  /** Whether `cpu` has a pending IPI with handler `func`. */
  hasPendingIpiOf(cpu: CpuId, func: string): boolean {
    for (const f of this.pendingFuncs[cpu].values()) if (f === func) return true;
    return false;
  }

  /** Whether `mm` has been freed. */
  isFreed(mm: MmId): boolean {
    return this.freedMms.has(mm);
  }

  /**
   * The mm `cpu` was lazy on when the window path it is in (exec_mmap, efi_call, cpu_down) began,
   * or null: the paths during which the lazy mm is out of sight of the shootdown (the variants).
   */
  hiddenLazyMm(cpu: CpuId): MmId | null {
    return this.windowLazy[cpu];
  }

  /** Whether `cpu` has a pending IPI sent by a membarrier call (of any command). */
  hasPendingMembarrierIpi(cpu: CpuId): boolean {
    for (const call of this.pendingIpis[cpu].values()) if (call !== null) return true;
    return false;
  }

  /**
   * Whether `task` is a user thread of `mm` that could return to user mode by SYSRET: it left user
   * mode by a syscall, is neither dead nor exiting (its mm is still `mm`).
   */
  canSysret(task: TaskId, mm: MmId): boolean {
    const t = this.tasks.get(task);
    if (t === undefined || t.type !== 'user' || t.mm !== mm || t.inSyscall !== true || t.dead === true) return false;
    const paths = this.taskPaths.get(task);
    return paths === undefined || paths.length === 0; // not in the middle of a call or an exit
  }

  /** Whether some user thread of `mm` that is not running anywhere could return by SYSRET. */
  sysretWaiting(mm: MmId): boolean {
    for (const id of this.tasks.keys()) if (this.cpuOf(id) === null && this.canSysret(id, mm)) return true;
    return false;
  }

  /**
   * `step` ops applied on `cpu` since its context switch published rq->curr (S2): 1 after S3 (the
   * tlb_gen read of a split switch_mm_irqs_off()), 2 after S3b; -1 outside a switch.
   */
  stepsSinceRqCurr(cpu: CpuId): number {
    return this.switchStarts[cpu] === null ? -1 : this.switchSteps[cpu];
  }

  /** Note an op about to be applied (startRun calls it; the view otherwise folds only events). */
  noteOp(op: Op): void {
    if (op.op === 'step' && this.switchStarts[op.cpu] !== null) this.switchSteps[op.cpu]++;
    this.notedOps.push(op);
  }

  /** The ops noted so far, in order (./echo.ts reads the argument values a run has used). */
  get opsNoted(): readonly Op[] {
    return this.notedOps;
  }

  /** Fold one event into the view. */
  observe(ev: TraceEvent): void {
    this.eventCount++;
    switch (ev.k) {
      case 'path':
        if (WINDOW_PATHS.has(ev.fn)) this.windowLazy[ev.cpu] = ev.phase === 'begin' ? this.lazyMm(ev.cpu) : null;
        if (ev.fn === 'context_switch' || ev.fn === 'cpu_down') this.cpuPaths[ev.cpu] = ev.phase === 'begin' ? ev.fn : null;
        else if (ev.phase === 'begin') this.pushPath(ev.task, ev.fn);
        else this.popPath(ev.task, ev.fn);
        break;
      case 'ref':
        if (ev.counter === 'mm_users') this.mmUsers.set(ev.mm, ev.value);
        break;
      case 'mb':
        this.lastMbAt[ev.cpu] = this.eventCount;
        break;
      case 'serialize':
        this.lastSerializeAt[ev.cpu] = this.eventCount;
        break;
      case 'task_state':
        if (ev.state === 'dead') {
          const t = this.tasks.get(ev.task);
          if (t) t.dead = true;
        }
        break;
      case 'membarrier_register':
        if (ev.phase === 'enter') this.pushPath(this.currentTask[ev.cpu], 'membarrier_register');
        else if (ev.phase === 'return') this.popPath(this.currentTask[ev.cpu], 'membarrier_register');
        break;
      case 'membarrier_scan': {
        const w = this.windows.get(ev.call);
        if (w) {
          w.nextScan = ev.target + 1;
          if (ev.selected) w.selected.add(ev.target);
          else if (ev.currMm === null) w.skippedMmless.add(ev.target);
        }
        break;
      }
      case 'ipi_handle':
        if (ev.id !== null) {
          this.pendingIpis[ev.cpu].delete(ev.id);
          this.pendingFuncs[ev.cpu].delete(ev.id);
        }
        break;
      case 'mm_free':
        this.freedMms.add(ev.mm);
        break;
      case 'mm_alloc':
        this.mmMembarrierStates.set(ev.mm, ev.membarrierState);
        this.mmTlbGen.set(ev.mm, 0);
        break;
      case 'mm_membarrier_state':
        this.mmMembarrierStates.set(ev.mm, ev.value);
        break;
      case 'task_new':
        this.tasks.set(ev.task, { type: ev.type, mm: ev.mm, activeMm: ev.activeMm });
        break;
      case 'task_mm': {
        const t = this.tasks.get(ev.task);
        if (t && t.mm !== null && ev.mm === null && ev.task === this.currentTask[ev.cpu]) this.lastMmClearAt[ev.cpu] = this.eventCount;
        if (t) {
          t.mm = ev.mm;
          t.activeMm = ev.activeMm;
        }
        break;
      }
      case 'rq_curr': {
        this.rqCurrTask[ev.cpu] = ev.task;
        this.switchSteps[ev.cpu] = 0;
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
      case 'user_enter': {
        this.cpuMode[ev.cpu] = 'user';
        const t = this.tasks.get(ev.task);
        if (t) t.inSyscall = false;
        break;
      }
      case 'user_exit': {
        this.cpuMode[ev.cpu] = 'kernel';
        this.lastUserExitAt[ev.cpu] = this.eventCount;
        const t = this.tasks.get(ev.task);
        if (t) t.inSyscall = ev.via === 'syscall';
        break;
      }
      case 'cpu_online':
        this.cpuOnline[ev.target] = ev.online;
        break;
      case 'membarrier':
        if (ev.phase === 'enter') {
          this.membarrierCalls.set(ev.call, ev.cmd);
          this.callEnteredAt.set(ev.call, this.eventCount);
          if (ev.call > this.lastCall) this.lastCall = ev.call;
          this.pushPath(ev.task, 'membarrier');
          if (ev.cmd === 'PRIVATE_EXPEDITED_SYNC_CORE' && ev.mm !== null) {
            this.syncCoreCallsInFlight.set(ev.mm, (this.syncCoreCallsInFlight.get(ev.mm) ?? 0) + 1);
          }
        }
        if (ev.phase === 'mb_start') {
          if (ev.cmd !== 'GLOBAL_EXPEDITED' && ev.mm !== null) this.privateWindows.set(ev.call, { mm: ev.mm, cpu: ev.cpu });
          this.windows.set(ev.call, { call: ev.call, cmd: ev.cmd, mm: ev.mm, task: ev.task, tA: this.eventCount, nextScan: 0, selected: new Set(), skippedMmless: new Set() });
          if (ev.cmd === 'PRIVATE_EXPEDITED_SYNC_CORE' && ev.mm !== null) this.syncCoreStartAt.set(ev.mm, this.eventCount);
        }
        if (ev.phase === 'mb_end' || ev.phase === 'return') {
          this.privateWindows.delete(ev.call);
          this.windows.delete(ev.call);
        }
        if (ev.phase === 'return') {
          this.popPath(ev.task, 'membarrier');
          if (ev.cmd === 'PRIVATE_EXPEDITED_SYNC_CORE' && ev.mm !== null) {
            this.syncCoreCallsInFlight.set(ev.mm, (this.syncCoreCallsInFlight.get(ev.mm) ?? 1) - 1);
            // A short-circuited call (no barrier) still promised serialization since its entry.
            const entered = this.callEnteredAt.get(ev.call);
            if (ev.shortCircuit && ev.ret === 0 && entered !== undefined) this.syncCoreStartAt.set(ev.mm, entered);
          }
          this.callEnteredAt.delete(ev.call);
        }
        break;
      case 'tlb_gen':
        this.flushingFreedTables[ev.cpu] = ev.freedTables;
        this.mmTlbGen.set(ev.mm, ev.value);
        break;
      case 'local_tlb_gen':
        this.localTlbGen[ev.cpu].set(ev.mm, ev.gen);
        break;
      case 'load_mm':
        this.loaded[ev.cpu] = ev.mm;
        break;
      case 'flush_done':
        this.flushingFreedTables[ev.cpu] = false;
        break;
      case 'ipi_send':
        if (ev.func === 'flush_tlb_func' && this.flushingFreedTables[ev.cpu]) this.freedTablesIpis.add(ev.id);
        this.pendingIpis[ev.target].set(ev.id, this.callOfIpi(ev.cpu, ev.fn));
        this.pendingFuncs[ev.target].set(ev.id, ev.func);
        break;
      default:
        break;
    }
  }

  private pushPath(task: TaskId, fn: string): void {
    let stack = this.taskPaths.get(task);
    if (!stack) this.taskPaths.set(task, (stack = []));
    stack.push(fn);
  }

  private popPath(task: TaskId, fn: string): void {
    const stack = this.taskPaths.get(task);
    if (!stack) return;
    const at = stack.lastIndexOf(fn);
    if (at >= 0) stack.splice(at, 1);
  }

  /** The membarrier call in flight on `cpu` that sends IPIs from `fn`, or null (not a membarrier IPI). */
  private callOfIpi(cpu: CpuId, fn: string): number | null {
    if (fn !== 'membarrier_private_expedited' && fn !== 'membarrier_global_expedited') return null;
    const task = this.currentTask[cpu];
    for (const w of this.windows.values()) if (w.task === task) return w.call;
    return -1;
  }
}
