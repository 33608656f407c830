/**
 * A kernel path in flight: which function, which atomic step comes next, and its local variables.
 * Frames live on a task (syscall-level paths: exit, exec, membarrier, ...) or on a CPU (the context
 * switch, CPU hotplug), as a stack: a step may call a sub-path (mmput -> __mmput) by pushing a frame.
 * Frames are plain JSON so states can be cloned and hashed.
 */
import type { CpuId, MembarrierCmd, MmId, TaskId } from '../trace/events';

export interface Frame {
  fn: string;
  pc: number;
  /** Whether schedule() may run while this frame is on top (sleeping locks, PREEMPT_RCU reads). */
  preemptible: boolean;
  /** A step may only run once these IPIs were handled (smp_call_function_*(..., wait=1)). */
  waitIpis: number[];
  mm?: MmId | null;
  oldMm?: MmId | null;
  oldActive?: MmId | null;
  prev?: TaskId;
  next?: TaskId;
  cmd?: MembarrierCmd;
  call?: number;
  scanCpu?: CpuId;
  targets?: CpuId[];
  /**
   * membarrier_global_expedited(): the scan's first read of CPU scanCpu is done (READ_ONCE(
   * cpu_rq(cpu)->membarrier_state) had GLOBAL_EXPEDITED); its rcu_dereference(cpu_rq(cpu)->curr) is the
   * next step. `callerCpu` is raw_smp_processor_id() at the first read.
   */
  scanRead?: { rqState: number; callerCpu: CpuId };
  /**
   * x86 flush_tlb_mm_range() with knob shouldFlushTlbReads='split': should_flush_tlb()'s first read,
   * per_cpu(cpu_tlbstate.loaded_mm, cpu) of the target at the head of `targets`; its smp_rmb() and
   * is_lazy read are the next step.
   */
  flushLoadedMm?: MmId | 'SWITCHING' | null;
  /** sync_runqueues_membarrier_state(): the value of atomic_read(&mm->membarrier_state) read on entry. */
  mbState?: number;
  gen?: number;
  freedTables?: boolean;
  temp?: MmId;
  /** text_poke: the poke ends a batch, whose finish syncs every CPU. */
  sync?: boolean;
  owner?: string;
  /** The first half of a split switch_mm_irqs_off() (context_switch() S3a -> S3b). */
  plan?: import('./arch/arch').SwitchPlan;
  /** context_switch entered from an interrupt (the prev task returns to user by IRET). */
  fromIrq?: boolean;
  /** x86 flush_tlb_mm_range(): info->trim_cpumask (should_trim_cpumask() said a second has passed). */
  trim?: boolean;
  /** IPIs queued so far by a stepped flush (waited for once the per-CPU scan is over). */
  sent?: number[];
  /** x86 flush_tlb_mm_range(): consider_global_asid()'s "(current->pid & 0x1f) == (jiffies & 0x1f)" holds. */
  considerGlobalAsid?: boolean;
}

export function newFrame(fn: string, init: Partial<Frame> = {}): Frame {
  return { fn, pc: 0, preemptible: false, waitIpis: [], ...init };
}
