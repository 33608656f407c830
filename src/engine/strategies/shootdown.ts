/**
 * Nick Piggin's CONFIG_MMU_LAZY_TLB_SHOOTDOWN (merged v6.2, commit 2655421ae69fa; kernel-model.md
 * 5.2): lazy users are not counted; __mmdrop() IPIs the CPUs in mm_cpumask so that they switch to
 * init_mm (do_shoot_lazy_tlb) before the mm is freed.
 */
import { runIpiFunc } from '../kernel/ipi';
import { prevMmHandoff } from './prev-mm-handoff';
import type { LazyStrategy } from './strategy';

export const shootdownStrategy: LazyStrategy = {
  name: 'shootdown',
  countsLazy: false,
  // Models: mmgrab_lazy_tlb(): a no-op (and no barrier) when CONFIG_MMU_LAZY_TLB_REFCOUNT=n.
  mmgrab_lazy_tlb() {},
  // Models: mmdrop_lazy_tlb(): smp_mb() "membarrier comment in finish_task_switch relies on this".
  mmdrop_lazy_tlb(k, cpu, fn) {
    k.mb(cpu, fn);
  },
  move_lazy() {},
  // Models: kernel/fork.c cleanup_lazy_tlbs(): on_each_cpu_mask(mm_cpumask(mm), do_shoot_lazy_tlb,
  // mm, 1). on_each_cpu_mask() runs the function locally when this CPU is in the mask and IPIs the
  // online others (kernel/smp.c smp_call_function_many_cond(): mask & cpu_online_mask, errata E5).
  cleanup_lazy_tlbs(k, cpu, mm) {
    const m = k.mm(mm);
    const wait: number[] = [];
    for (const c of k.s.cpus) {
      if (!m.cpumask[c.id] || !c.online) continue;
      if (c.id === cpu) continue;
      wait.push(k.sendIpi(cpu, 'cleanup_lazy_tlbs', c.id, 'do_shoot_lazy_tlb', { mm }));
    }
    if (m.cpumask[cpu]) runIpiFunc(k, cpu, { id: -1, from: cpu, func: 'do_shoot_lazy_tlb', mm }, true);
    return wait;
  },
  kernel_to_user(k, cpu, prev, mm) {
    prevMmHandoff(this, k, cpu, prev, mm);
  },
  change_current_mm() {},
  finish_switch() {},
  explicitMembarrierBarriers: false,
  unlazy_path: null,
};
