/**
 * The kernel state the engines model (kernel-model.md section 2, with the errata's additions:
 * `current` separate from rq->curr, per-task lazy references, a per-CPU "mm switch in flight").
 * Field names follow the kernel where there is a kernel field.
 */
import type { CpuId, MembarrierCmd, MmId, TaskId, TaskType } from '../trace/events';
import type { Frame } from './frames';

export interface MmState {
  id: MmId;
  /** init_mm, efi_mm, text_poke_mm: never freed, never a task's ->mm. */
  isStatic: boolean;
  /** mm_users */
  users: number;
  /** mm_count */
  count: number;
  /** __mmdrop() completed: struct and pgd are gone. */
  freed: boolean;
  /** exit_mmap() ran (__mmput started). */
  tornDown: boolean;
  /** mm->membarrier_state */
  membarrierState: number;
  /** mm_cpumask(mm), indexed by CPU. */
  cpumask: boolean[];
  /** mm->context.tlb_gen */
  tlbGen: number;
  /** x86 INVLPGB (knob asidTransition): mm->context.global_asid != 0, and mm->context.asid_transition. */
  globalAsid?: boolean;
  asidTransition?: boolean;
}

/** Where a task is when it is not executing user instructions. */
export type TaskWhere =
  | 'user' // executing (or will resume executing) user code; only meaningful while running
  | 'syscall' // inside a system call; returns by SYSRET or IRET
  | 'irq' // entered the kernel by an interrupt from user mode; returns by IRET
  | 'new' // forked, not yet run: ret_from_fork returns by IRET
  | 'kernel'; // a kernel thread or idle task: never returns to user

export interface TaskState {
  id: TaskId;
  type: TaskType;
  /** Thread group (process) id for user tasks. */
  tgid: string | null;
  mm: MmId | null;
  activeMm: MmId | null;
  state: 'running' | 'runnable' | 'dead';
  /** The CPU the task is running on (null when not running). Idle tasks are bound to `boundCpu`. */
  cpu: CpuId | null;
  boundCpu: CpuId | null;
  where: TaskWhere;
  /** do_exit() finished exit_mm(): the next schedule() makes the task dead. */
  exiting: boolean;
  /** kthread_use_mm()'s mmgrab (a real mm_count reference). */
  useMmGrab: MmId | null;
  /** External mm_users references held (mmget_not_zero by a kthread). */
  extUsers: MmId[];
  /** Kernel paths in flight for this task (syscall-level; a stack, innermost last). */
  frames: Frame[];
}

export interface Ipi {
  id: number;
  from: CpuId;
  func: import('../trace/events').IpiFunc;
  mm: MmId | null;
  /** Extra argument: flush_tlb_func's generation and freed_tables; membarrier call id. */
  gen?: number;
  freedTables?: boolean;
}

export interface CpuState {
  id: CpuId;
  online: boolean;
  /** x86 INVLPGB (knob asidTransition): cpu_tlbstate.loaded_mm_asid is the loaded mm's global ASID. */
  loadedAsidGlobal?: boolean;
  /** rq->curr */
  curr: TaskId;
  /** `current`: changes at switch_to(), after the mm block of context_switch(). */
  current: TaskId;
  /** This CPU's idle task. */
  idle: TaskId;
  /** rq->prev_mm */
  prevMm: MmId | null;
  /** rq->membarrier_state in memory (what other CPUs read). */
  rqMembarrierState: number;
  /**
   * Knob storeBuffer: this CPU's store to its rq->membarrier_state that is not yet visible to other
   * CPUs (the last of its buffered stores: a drain makes them all visible), and its writer.
   * Absent: nothing buffered (a drain deletes both, so equal states hash equal).
   */
  rqMembarrierStateBuffered?: number;
  rqMembarrierStateBufferedBy?: string;
  /** Executing user instructions or not. */
  mode: 'user' | 'kernel';
  irqsOff: boolean;
  /** IPIs queued for this CPU, delivered in order when IRQs are on. */
  pendingIpis: Ipi[];
  /** The context switch in flight, if any. */
  cpuFrame: Frame | null;
  /** CPU hotplug (cpu_down) in flight on this CPU, if any. */
  hotplugFrame: Frame | null;
  // x86 cpu_tlbstate
  loadedMm: MmId | 'SWITCHING';
  /**
   * Knob storeBuffer='rq-membarrier-state+tlbstate': cpu_tlbstate.loaded_mm in memory (what other
   * CPUs read) while this CPU's LOADED_MM_SWITCHING store waits in its store buffer; `loadedMm` is
   * the CPU's own view. Absent: nothing buffered (a drain deletes both, so equal states hash equal).
   */
  loadedMmVisible?: MmId | 'SWITCHING';
  loadedMmBufferedBy?: string;
  /** cpu_tlbstate_shared.is_lazy: this CPU's own view (the last store it made). */
  isLazy: boolean;
  /**
   * The same knob: is_lazy in memory while this CPU's store of false waits in its store buffer.
   * Absent: nothing buffered.
   */
  isLazyVisible?: boolean;
  /** ctxs[asid].tlb_gen, keyed by mm (ASID aliasing abstracted away). */
  localTlbGen: Record<MmId, number>;
  /** Hazard strategy: rq->lazy_mm (hazard pointer) and rq->drop_mm (owns one mm_count). */
  lazyMmHp: MmId | null;
  dropMmHp: MmId | null;
  /** use_temporary_mm(): the loaded temporary mm and the mm to restore. */
  tempMm: { temp: MmId; saved: MmId | null } | null;
}

export interface MembarrierCall {
  id: number;
  cmd: MembarrierCmd;
  task: TaskId;
  mm: MmId | null;
  targets: CpuId[];
  outstanding: number[];
}

export interface KernelState {
  cpus: CpuState[];
  tasks: Record<TaskId, TaskState>;
  /** Task ids in creation order (deterministic iteration). */
  taskOrder: TaskId[];
  mms: Record<MmId, MmState>;
  mmOrder: MmId[];
  /** Counters for fresh ids. */
  nextIpiId: number;
  nextCallId: number;
  nextMmSeq: number;
  nextTaskSeq: number;
  /** Limits from the configuration. */
  maxTasks: number;
  maxMms: number;
  /** Pre-6.16 EFI: the global efi_prev_mm, and who is inside an EFI call (efi_runtime_lock). */
  efiBusy: boolean;
}
