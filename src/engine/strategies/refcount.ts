/**
 * Mainline CONFIG_MMU_LAZY_TLB_REFCOUNT=y (kernel-model.md 5.1): a lazy user holds a real mm_count.
 */
import { mmdrop, mmgrab, moveRef } from '../kernel/mm-refs';
import { prevMmHandoff } from './prev-mm-handoff';
import type { LazyStrategy } from './strategy';

export const refcountStrategy: LazyStrategy = {
  name: 'refcount',
  countsLazy: true,
  // Models: include/linux/sched/mm.h mmgrab_lazy_tlb(): IS_ENABLED(CONFIG_MMU_LAZY_TLB_REFCOUNT) -> mmgrab().
  mmgrab_lazy_tlb(k, cpu, fn, mm, owner) {
    mmgrab(k, cpu, fn, mm, owner, 'lazy');
  },
  // Models: mmdrop_lazy_tlb(): mmdrop(), whose atomic_dec_and_test is the full barrier.
  mmdrop_lazy_tlb(k, cpu, fn, mm, owner) {
    mmdrop(k, cpu, fn, mm, owner, 'lazy');
  },
  move_lazy(k, cpu, fn, mm, from, to) {
    moveRef(k, cpu, fn, mm, 'lazy', from, to);
  },
  // Models: kernel/fork.c cleanup_lazy_tlbs(): "lazy tlb mms are refounted and would not reach
  // __mmdrop until all CPUs have switched away and mmdrop()ed" -> nothing to do.
  cleanup_lazy_tlbs() {
    return [];
  },
  kernel_to_user(k, cpu, prev, mm) {
    prevMmHandoff(this, k, cpu, prev, mm);
  },
  change_current_mm() {},
  finish_switch() {},
  explicitMembarrierBarriers: false,
  unlazy_path: null,
};
