/**
 * The lazy-TLB mm strategy hooks (kernel-model.md section 3 helper table, section 5). One object per
 * strategy, plugged into the same kernel core: the core never tests the strategy's name.
 */
import type { Kctx } from '../kctx';
import type { CpuId, MmId, RefOwner, Strategy } from '../../trace/events';

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
}
