/**
 * The lazy-TLB mm strategy hooks (kernel-model.md section 3 helper table, section 5). One object per
 * strategy, plugged into the same kernel core: the core never tests the strategy's name.
 */
import type { Kctx } from '../kctx';
import type { CpuId, MmId, RefOwner, Strategy, TaskId } from '../../trace/events';

export interface LazyStrategy {
  name: Strategy;
  /** Whether lazy users hold a counted mm_count reference (CONFIG_MMU_LAZY_TLB_REFCOUNT=y). */
  countsLazy: boolean;
  /** Models: include/linux/sched/mm.h mmgrab_lazy_tlb(). */
  mmgrab_lazy_tlb(k: Kctx, cpu: CpuId, fn: string, mm: MmId, owner: RefOwner): void;
  /** Models: mmdrop_lazy_tlb() / mmdrop_lazy_tlb_sched(): a full barrier in every configuration. */
  mmdrop_lazy_tlb(k: Kctx, cpu: CpuId, fn: string, mm: MmId, owner: RefOwner): void;
  /** The lazy reference changes owner (kernel->kernel switch, rq->prev_mm hand-off). */
  move_lazy(k: Kctx, cpu: CpuId, fn: string, mm: MmId, from: RefOwner, to: RefOwner): void;
  /** Models: kernel/fork.c cleanup_lazy_tlbs(); returns the IPIs __mmdrop() must wait for. */
  cleanup_lazy_tlbs(k: Kctx, cpu: CpuId, mm: MmId): number[];
  /**
   * context_switch() kernel -> user (S3): hand the lazy mm over. Mainline: "rq->prev_mm =
   * prev->active_mm" for finish_task_switch() to drop; hazard: release rq->lazy_mm.
   */
  kernel_to_user(k: Kctx, cpu: CpuId, prev: TaskId, mm: MmId): void;
  /**
   * A kernel thread's ->mm becomes a real mm (kthread_use_mm(), kernel_execve()'s exec_mmap()) while
   * it was lazy on `oldActive`. Mainline keeps the lazy reference until the trailing
   * mmdrop_lazy_tlb(); Andy Lutomirski's __change_current_mm() (patches 14-15/23) releases
   * rq->lazy_mm as soon as the MMU has switched, with IRQs off (as context_switch() does after
   * switch_mm_irqs_off()).
   */
  change_current_mm(k: Kctx, cpu: CpuId, fn: string, oldActive: MmId): void;
  /** finish_task_switch() extra work after IRQs are back on (hazard: mmdrop_lazy(rq)). */
  finish_switch(k: Kctx, cpu: CpuId): void;
  /**
   * Andy Lutomirski's series makes membarrier's barriers explicit (membarrier_finish_switch_mm())
   * and moves the SYNC_CORE sync of the lazy -> same-mm return into x86's switch_mm_irqs_off().
   */
  explicitMembarrierBarriers: boolean;
  /** __mmput() before its final mmdrop(): hazard's mm_unlazy_mm_count() path, or null. */
  unlazy_path: string | null;
}
