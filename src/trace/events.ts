/**
 * The lazymm trace (history) format, version 1.
 *
 * A trace is a sequence of events. Event i is the i-th state change an engine made; the index in the
 * sequence is the event's identity (properties cite events by index). The first event is always `init`,
 * which describes the initial state, so a trace is self-contained (also when streamed as JSON Lines).
 *
 * Every event has `k` (its kind), `cpu` (the CPU whose code made the change, or null for the
 * boot/config event) and `fn` (the kernel function whose code made it, as the kernel spells it).
 * The JSON Schema in ./schema.ts is generated from the same field lists, and docs/trace-format.md
 * explains what every kind means and which properties read it.
 *
 * Identifiers: CPUs are numbers 0..n-1; tasks and mms are strings ("T1", "K1", "idle0"; "mm1",
 * "init_mm", "efi_mm", "text_poke_mm").
 */

export type CpuId = number;
export type TaskId = string;
export type MmId = string;

export const INIT_MM = 'init_mm';
export const EFI_MM = 'efi_mm';
export const TEXT_POKE_MM = 'text_poke_mm';

export type Arch = 'x86' | 'powerpc' | 'arm64';
export type Strategy = 'refcount' | 'shootdown' | 'hazard';
export type TaskType = 'user' | 'kthread' | 'idle';

/** Which counter a reference event changes. */
export type RefCounter = 'mm_users' | 'mm_count';
/**
 * What a reference is for (the token kind). `users` = an mm_users reference; `users1` = the one
 * mm_count reference that all mm_users together hold ("@mm_users count as 1"); `grab` = a plain
 * mmgrab (kthread_use_mm, external holders); `lazy` = a lazy-TLB reference (mmgrab_lazy_tlb).
 */
export type RefToken = 'users' | 'users1' | 'grab' | 'lazy';

/**
 * Who owns a reference. Owners are strings of the form:
 *   `task:<id>`   the task (its ->mm for users, its ->active_mm for lazy, kthread_use_mm for grab)
 *   `rq:<cpu>`    rq->prev_mm of that CPU (pending finish_task_switch drop)
 *   `local:<cpu>:<fn>`  a local variable of a kernel path in flight on that CPU (e.g. exit_mm's mm)
 *   `bprm:<task>` the new mm of an exec in progress
 *   `holder:<task>` an external mmget_not_zero()/mmgrab() holder (for example a kthread)
 *   `mm_users`    the users1 token (mm_count reference owned by mm_users > 0)
 */
export type RefOwner = string;

export type MembarrierCmd =
  | 'GLOBAL_EXPEDITED'
  | 'PRIVATE_EXPEDITED'
  | 'PRIVATE_EXPEDITED_SYNC_CORE'
  | 'PRIVATE_EXPEDITED_RSEQ';

export type IpiFunc =
  | 'ipi_mb'
  | 'ipi_sync_core'
  | 'ipi_rseq'
  | 'ipi_sync_rq_state'
  | 'flush_tlb_func'
  | 'do_shoot_lazy_tlb'
  | 'do_sync_core'
  | 'do_exit_flush_lazy_tlb';

export type UserEntryVia = 'sysret' | 'iret';
export type UserExitVia = 'syscall' | 'irq' | 'ipi';

export interface MmInit {
  mm: MmId;
  static: boolean;
  users: number;
  count: number;
  membarrierState: number;
  tlbGen: number;
  /** CPUs whose bit is set in mm_cpumask(mm). */
  cpumask: CpuId[];
}
export interface TaskInit {
  task: TaskId;
  type: TaskType;
  /** Thread group (process) for user tasks; null for kthreads and idle. */
  tgid: string | null;
  mm: MmId | null;
  activeMm: MmId | null;
  state: TaskStateName;
}
export interface CpuInit {
  cpu: CpuId;
  online: boolean;
  curr: TaskId;
  loadedMm: MmId;
  isLazy: boolean;
  rqMembarrierState: number;
  mode: 'user' | 'kernel';
}
export type TaskStateName = 'running' | 'runnable' | 'dead';

/** Initial state and configuration. Always event 0. */
export interface InitEvent {
  k: 'init';
  cpu: null;
  fn: 'start_kernel';
  arch: Arch;
  strategy: Strategy;
  /** Engine knobs (name -> value) and, for a named variant, `variant`. */
  knobs: Record<string, string | number | boolean>;
  cpus: CpuInit[];
  tasks: TaskInit[];
  mms: MmInit[];
  /** The initial lazy-TLB references held (refcount strategy): one token per holder. */
  refs: { mm: MmId; token: RefToken; owner: RefOwner }[];
  /**
   * True when the producer emits an `irqs` event at every IRQ-state change it models, so a CPU whose
   * last `irqs` event did not disable IRQs (and that is not in an interrupt) has them on. Absent or
   * false: `irqs` events, where present, mark sections only, and nothing is concluded from their
   * absence (no-lazy-use-after-free C2.11 is not judged).
   */
  irqsTracked?: boolean;
}

/** A reference taken (delta +1) or dropped (delta -1). `value` is the counter after the change. */
export interface RefEvent {
  k: 'ref';
  cpu: CpuId;
  fn: string;
  mm: MmId;
  counter: RefCounter;
  delta: 1 | -1;
  value: number;
  token: RefToken;
  owner: RefOwner;
}
/** A reference changes owner without a counter change (the lazy reference travelling with the CPU). */
export interface RefMoveEvent {
  k: 'ref_move';
  cpu: CpuId;
  fn: string;
  mm: MmId;
  token: RefToken;
  from: RefOwner;
  to: RefOwner;
}
/** A new mm exists (mm_alloc / dup_mm): mm_users = 1, mm_count = 1, tokens users(owner) + users1. */
export interface MmAllocEvent {
  k: 'mm_alloc';
  cpu: CpuId;
  fn: string;
  mm: MmId;
  owner: RefOwner;
  membarrierState: number;
}
/** exit_mmap(): the mm's user page tables are being torn down (page-table pages freed). */
export interface MmTeardownEvent {
  k: 'mm_teardown';
  cpu: CpuId;
  fn: 'exit_mmap';
  mm: MmId;
}
/** __mmdrop() entered (mm_count reached 0). Under shootdown, cleanup_lazy_tlbs() runs next. */
export interface MmdropBeginEvent {
  k: 'mmdrop_begin';
  cpu: CpuId;
  fn: '__mmdrop';
  mm: MmId;
}
/** free_mm(): the mm_struct and its pgd are gone. */
export interface MmFreeEvent {
  k: 'mm_free';
  cpu: CpuId;
  fn: '__mmdrop';
  mm: MmId;
}
/** A task's ->mm and/or ->active_mm changed (both values after the change are given). */
export interface TaskMmEvent {
  k: 'task_mm';
  cpu: CpuId;
  fn: string;
  task: TaskId;
  mm: MmId | null;
  activeMm: MmId | null;
}
/** A task was created (fork/clone); or its type changed (kernel_execve makes a kthread a user task). */
export interface TaskNewEvent {
  k: 'task_new';
  cpu: CpuId;
  fn: string;
  task: TaskId;
  type: TaskType;
  tgid: string | null;
  mm: MmId | null;
  activeMm: MmId | null;
  parent: TaskId | null;
}
export interface TaskStateEvent {
  k: 'task_state';
  cpu: CpuId;
  fn: string;
  task: TaskId;
  state: TaskStateName;
}
/** A kernel path that another CPU can interleave with began or ended on this CPU. */
export interface PathEvent {
  k: 'path';
  cpu: CpuId;
  fn: string;
  phase: 'begin' | 'end';
  /** The task the path runs for (prev for context_switch). */
  task: TaskId;
}
/** S2 of __schedule(): RCU_INIT_POINTER(rq->curr, next). What membarrier's scan reads. */
export interface RqCurrEvent {
  k: 'rq_curr';
  cpu: CpuId;
  fn: '__schedule';
  task: TaskId;
}
/** switch_to(): `current` on this CPU becomes `task` (what NMIs see). */
export interface SwitchToEvent {
  k: 'switch_to';
  cpu: CpuId;
  fn: 'context_switch';
  prev: TaskId;
  task: TaskId;
}
/** rq->prev_mm changed. */
export interface PrevMmEvent {
  k: 'prev_mm';
  cpu: CpuId;
  fn: string;
  mm: MmId | null;
}
/**
 * rq->membarrier_state of `cpu` changed in memory (what another CPU's READ_ONCE() reads). With the
 * engine knob storeBuffer='rq-membarrier-state' the store first sits in the CPU's store buffer
 * (`store_buffered`) and this event marks when it became visible: `fn` is still the writer,
 * `drainedBy` what drained it (a full barrier's fn, a serializing instruction, csd_unlock, a locked
 * RMW). Absent: the store was visible at once (the default, sequentially consistent model).
 */
export interface RqMembarrierStateEvent {
  k: 'rq_membarrier_state';
  cpu: CpuId;
  fn: string;
  value: number;
  drainedBy?: string;
}
/**
 * The locations whose plain stores the model can buffer (engine knob storeBuffer): rq->membarrier_state
 * (its visibility is a `rq_membarrier_state` event), x86 cpu_tlbstate.loaded_mm (its
 * LOADED_MM_SWITCHING store; its visibility is a `load_mm` event with `drainedBy`) and x86
 * cpu_tlbstate_shared.is_lazy (its store of false; its visibility is a `lazy` event with `drainedBy`).
 */
export type BufferedLocation = 'rq_membarrier_state' | 'loaded_mm' | 'is_lazy';
/**
 * A plain store by `cpu` entered its store buffer: visible to `cpu` itself (store forwarding), not
 * yet to other CPUs; its visibility is a later event of the location (`rq_membarrier_state` with
 * `drainedBy`). Only with the engine knob storeBuffer.
 */
export interface StoreBufferedEvent {
  k: 'store_buffered';
  cpu: CpuId;
  fn: string;
  loc: BufferedLocation;
  /** The stored value: rq->membarrier_state's bits, 'SWITCHING' for loaded_mm, false for is_lazy. */
  value: number | 'SWITCHING' | false;
}
export interface MmMembarrierStateEvent {
  k: 'mm_membarrier_state';
  cpu: CpuId;
  fn: string;
  mm: MmId;
  value: number;
}
/**
 * The MMU now translates through `mm` (x86: cpu_tlbstate.loaded_mm; the CR3 write if `cr3Write`).
 * `'SWITCHING'` is x86's LOADED_MM_SWITCHING sentinel. `flushed` is true when the load flushed the
 * TLB (including paging-structure caches) for that mm.
 */
export interface LoadMmEvent {
  k: 'load_mm';
  cpu: CpuId;
  fn: string;
  mm: MmId | 'SWITCHING';
  cr3Write: boolean;
  flushed: boolean;
  /**
   * Engine knob storeBuffer with loaded_mm: this LOADED_MM_SWITCHING store sat in the CPU's store
   * buffer (its `store_buffered` event is earlier) and becomes visible to other CPUs here, drained by
   * `drainedBy`. The CPU itself saw it from the `store_buffered` event on.
   */
  drainedBy?: string;
}
/**
 * cpu_tlbstate_shared.is_lazy changed (the CPU's own view). With `drainedBy` (engine knob
 * storeBuffer='rq-membarrier-state+tlbstate'): the store of false that an earlier `lazy` event made,
 * followed by a `store_buffered` event, becomes visible to other CPUs here.
 */
export interface LazyEvent {
  k: 'lazy';
  cpu: CpuId;
  fn: string;
  lazy: boolean;
  drainedBy?: string;
}
/** The CPU's bit in mm_cpumask(mm) changed (`cpu` is the CPU whose code changed it, `target` the bit). */
export interface CpumaskEvent {
  k: 'cpumask';
  cpu: CpuId;
  fn: string;
  mm: MmId;
  target: CpuId;
  set: boolean;
}
/** A full memory barrier executed on `cpu`. */
export interface MbEvent {
  k: 'mb';
  cpu: CpuId;
  fn: string;
  /**
   * 'lock': the barrier of an x86 LOCK-prefixed read-modify-write (`fn`: the kernel function, e.g.
   * `cpumask_set_cpu`, `atomic_or`), a full barrier but not core-serializing. Absent: `smp_mb()` or
   * an instruction that implies one (a value-returning atomic, a CR3 write, IRET).
   */
  how?: 'lock';
}
/** A core-serializing instruction (or context-synchronizing event) executed on `cpu`. */
export interface SerializeEvent {
  k: 'serialize';
  cpu: CpuId;
  fn: string;
  /** What serialized: 'write_cr3', 'iret', 'sync_core', 'eret', 'rfi', 'pti_cr3'. */
  how: string;
}
/** The CPU starts executing user instructions of `task`. */
export interface UserEnterEvent {
  k: 'user_enter';
  cpu: CpuId;
  fn: string;
  task: TaskId;
  via: UserEntryVia;
}
/** The CPU stops executing user instructions (syscall, interrupt or IPI). */
export interface UserExitEvent {
  k: 'user_exit';
  cpu: CpuId;
  fn: string;
  task: TaskId;
  via: UserExitVia;
}
/**
 * One membarrier() call changes phase. `call` identifies the call within the trace.
 * phase: 'enter' (syscall entered, READY checks passed or not: see `ret`), 'mb_start' (MB1, the
 * entry smp_mb), 'mb_end' (MB5, the exit smp_mb), 'return' (the call returned `ret`;
 * `shortCircuit` when it returned before any barrier).
 */
export interface MembarrierEvent {
  k: 'membarrier';
  cpu: CpuId;
  fn: string;
  call: number;
  cmd: MembarrierCmd;
  task: TaskId;
  mm: MmId | null;
  phase: 'enter' | 'mb_start' | 'mb_end' | 'return';
  ret?: number;
  shortCircuit?: boolean;
}
/** membarrier's scan read CPU `target`'s runqueue and decided whether to IPI it. */
export interface MembarrierScanEvent {
  k: 'membarrier_scan';
  cpu: CpuId;
  fn: string;
  call: number;
  target: CpuId;
  currTask: TaskId;
  currMm: MmId | null;
  rqMembarrierState: number;
  selected: boolean;
}
/** A membarrier registration command changed phase. */
export interface MembarrierRegisterEvent {
  k: 'membarrier_register';
  cpu: CpuId;
  fn: string;
  cmd: MembarrierCmd;
  mm: MmId;
  phase: 'enter' | 'ready' | 'return';
}
export interface IpiSendEvent {
  k: 'ipi_send';
  cpu: CpuId;
  fn: string;
  id: number;
  target: CpuId;
  func: IpiFunc;
  /** mm argument of the handler, when it has one. */
  mm: MmId | null;
}
/** The IPI handler ran on `cpu` (`local` when on_each_cpu_mask() ran it on the sender itself). */
export interface IpiHandleEvent {
  k: 'ipi_handle';
  cpu: CpuId;
  fn: IpiFunc;
  id: number | null;
  from: CpuId;
  mm: MmId | null;
  local: boolean;
}
/** The mm's TLB generation was incremented (inc_mm_tlb_gen) for a flush request. */
export interface TlbGenEvent {
  k: 'tlb_gen';
  cpu: CpuId;
  fn: 'flush_tlb_mm_range';
  mm: MmId;
  value: number;
  freedTables: boolean;
}
/** flush_tlb_mm_range() waited for all its IPIs: the flush of `gen` is complete. */
export interface FlushDoneEvent {
  k: 'flush_done';
  cpu: CpuId;
  fn: 'flush_tlb_mm_range';
  mm: MmId;
  gen: number;
  freedTables: boolean;
}
/** This CPU's TLB is now up to date with `mm` up to generation `gen` (ctxs[asid].tlb_gen). */
export interface LocalTlbGenEvent {
  k: 'local_tlb_gen';
  cpu: CpuId;
  fn: string;
  mm: MmId;
  gen: number;
}
/**
 * Something on `cpu` dereferences `mm` (null when it found a NULL pointer): an NMI reading
 * current->active_mm, the hardware page walker through loaded_mm, or kernel code.
 */
export interface DerefEvent {
  k: 'deref';
  cpu: CpuId;
  fn: string;
  mm: MmId | null;
  who: 'nmi' | 'walker' | 'kernel';
}
/** use_temporary_mm()/unuse_temporary_mm() (and the pre-6.16 efi_enter_mm/efi_leave_mm) state. */
export interface TempMmEvent {
  k: 'temp_mm';
  cpu: CpuId;
  fn: string;
  /** The temporary mm now loaded, or null when it was unloaded. */
  mm: MmId | null;
  /** The saved mm to restore (use_temporary_mm's return value / efi_prev_mm). */
  saved: MmId | null;
}
/**
 * A kernel thread starts or stops operating on a user address space (kernel-model.md scenario E):
 * 'begin' when kthread_use_mm() has returned (after its trailing barrier) or when a kthread that is
 * inside kthread_use_mm() is switched back in (context_switch() returned); 'end' when
 * kthread_unuse_mm() starts or when such a kthread calls __schedule(). For membarrier-ordering these
 * sections count as user intervals of `mm`.
 */
export interface KthreadAccessEvent {
  k: 'kthread_access';
  cpu: CpuId;
  fn: string;
  task: TaskId;
  mm: MmId;
  phase: 'begin' | 'end';
}
/**
 * Hazard-pointer strategy (Andy Lutomirski, Jan 2022): rq->lazy_mm (a hazard pointer that keeps the
 * mm from being freed) or rq->drop_mm (owns one mm_count reference, dropped by that rq later) of
 * runqueue `target` changed.
 */
export interface HazardEvent {
  k: 'hazard';
  cpu: CpuId;
  fn: string;
  target: CpuId;
  slot: 'lazy_mm' | 'drop_mm';
  mm: MmId | null;
}
/** mm_unlazy_mm_count() (hazard strategy, from __mmput) examined runqueue `target`'s lazy_mm. */
export interface UnlazyScanEvent {
  k: 'unlazy_scan';
  cpu: CpuId;
  fn: 'mm_unlazy_mm_count';
  target: CpuId;
  mm: MmId;
  found: boolean;
}
export interface CpuOnlineEvent {
  k: 'cpu_online';
  cpu: CpuId;
  fn: string;
  target: CpuId;
  online: boolean;
}

/**
 * local_irq_disable() / local_irq_enable() (and their save/restore forms) on `cpu`: the CPU's IRQ
 * state changed. Hard-IRQ context (between `irq` enter and exit) has IRQs off without an `irqs` event.
 */
export interface IrqsEvent {
  k: 'irqs';
  cpu: CpuId;
  fn: string;
  enabled: boolean;
}
/**
 * A hard interrupt (IPI or timer) taken on `cpu`: `enter` before its handler, `exit` after it (before
 * the IRET, or before the schedule() of the interrupt-return path). `from` is the mode it interrupted.
 */
export interface IrqEvent {
  k: 'irq';
  cpu: CpuId;
  fn: string;
  phase: 'enter' | 'exit';
  from: 'user' | 'kernel';
}

export type TraceEvent =
  | InitEvent
  | RefEvent
  | RefMoveEvent
  | MmAllocEvent
  | MmTeardownEvent
  | MmdropBeginEvent
  | MmFreeEvent
  | TaskMmEvent
  | TaskNewEvent
  | TaskStateEvent
  | PathEvent
  | RqCurrEvent
  | SwitchToEvent
  | PrevMmEvent
  | RqMembarrierStateEvent
  | StoreBufferedEvent
  | MmMembarrierStateEvent
  | LoadMmEvent
  | LazyEvent
  | CpumaskEvent
  | MbEvent
  | SerializeEvent
  | UserEnterEvent
  | UserExitEvent
  | MembarrierEvent
  | MembarrierScanEvent
  | MembarrierRegisterEvent
  | IpiSendEvent
  | IpiHandleEvent
  | TlbGenEvent
  | FlushDoneEvent
  | LocalTlbGenEvent
  | DerefEvent
  | TempMmEvent
  | KthreadAccessEvent
  | HazardEvent
  | UnlazyScanEvent
  | CpuOnlineEvent
  | IrqsEvent
  | IrqEvent;

export type EventKind = TraceEvent['k'];

/**
 * `path` fns of the CPU's context switch rather than of its task: they stay on the CPU across
 * switch_to() (context_switch's task is prev, and it ends after finish_task_switch() runs as next),
 * while every other path of prev leaves with prev and resumes where it runs next.
 */
export const SWITCH_PATHS: ReadonlySet<string> = new Set(['context_switch', '__schedule', 'schedule', 'finish_task_switch']);

/** membarrier state bits (include/linux/sched/mm.h). */
export const MEMBARRIER_STATE = {
  PRIVATE_EXPEDITED_READY: 1 << 0,
  PRIVATE_EXPEDITED: 1 << 1,
  GLOBAL_EXPEDITED_READY: 1 << 2,
  GLOBAL_EXPEDITED: 1 << 3,
  PRIVATE_EXPEDITED_SYNC_CORE_READY: 1 << 4,
  PRIVATE_EXPEDITED_SYNC_CORE: 1 << 5,
  PRIVATE_EXPEDITED_RSEQ_READY: 1 << 6,
  PRIVATE_EXPEDITED_RSEQ: 1 << 7,
} as const;

/** The READY bit of `mm->membarrier_state` each expedited command requires (include/linux/sched/mm.h). */
export const MEMBARRIER_READY: Readonly<Record<MembarrierCmd, number>> = {
  GLOBAL_EXPEDITED: MEMBARRIER_STATE.GLOBAL_EXPEDITED_READY,
  PRIVATE_EXPEDITED: MEMBARRIER_STATE.PRIVATE_EXPEDITED_READY,
  PRIVATE_EXPEDITED_SYNC_CORE: MEMBARRIER_STATE.PRIVATE_EXPEDITED_SYNC_CORE_READY,
  PRIVATE_EXPEDITED_RSEQ: MEMBARRIER_STATE.PRIVATE_EXPEDITED_RSEQ_READY,
};

/** A whole trace as stored in JSON (the JSON Lines form is one event per line, `init` first). */
export interface Trace {
  format: 'lazymm-trace/1';
  events: TraceEvent[];
}
