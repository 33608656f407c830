/**
 * Andy Lutomirski's hazard pointers ("[PATCH 00/23] mm, sched: Rework lazy mm handling", 8 Jan 2022,
 * unmerged; kernel-model.md 5.3 with errata A11): a lazy CPU publishes the mm in rq->lazy_mm instead
 * of taking mm_count; __mmput()'s mm_unlazy_mm_count() converts the hazard pointers it finds into
 * counted rq->drop_mm references that each runqueue drops once it is done with the mm.
 * exit_mm() is modelled as converted (an assumed fix: the posted series left its mmgrab() undropped;
 * variant hazard-exit-mm-as-posted models it as posted, errata Part 3 A11).
 */
import type { Kctx } from '../kctx';
import { mmdrop } from '../kernel/mm-refs';
import type { LazyStrategy } from './strategy';
import type { CpuId, MmId } from '../../trace/events';

export function setHazardSlot(k: Kctx, cpu: CpuId, fn: string, target: CpuId, slot: 'lazy_mm' | 'drop_mm', mm: MmId | null): void {
  const c = k.cpu(target);
  if (slot === 'lazy_mm') c.lazyMmHp = mm;
  else c.dropMmHp = mm;
  k.emit({ k: 'hazard', cpu, fn, target, slot, mm });
}

export const dropOwner = (cpu: CpuId): string => `rq:${cpu}:drop_mm`;

/**
 * Models: mmdrop_lazy(rq): "If there is nothing to drop or if we are still using old_mm, then don't
 * call mmdrop()"; otherwise take rq->drop_mm and mmdrop() it.
 */
function mmdropLazy(k: Kctx, cpu: CpuId): void {
  const c = k.cpu(cpu);
  const old = c.dropMmHp;
  if (old === null || old === c.lazyMmHp) return;
  setHazardSlot(k, cpu, 'mmdrop_lazy', cpu, 'drop_mm', null);
  mmdrop(k, cpu, 'mmdrop_lazy', old, dropOwner(cpu));
}

export const hazardStrategy: LazyStrategy = {
  name: 'hazard',
  countsLazy: false,
  // context_switch() user -> kernel: "WRITE_ONCE(rq->lazy_mm, next->active_mm)" -- no barrier: "we
  // still hold an explicit (mm_users) reference". init_mm needs no hazard pointer ("it's not about to
  // go away"), so becoming lazy on it clears the slot.
  mmgrab_lazy_tlb(k, cpu, fn, mm) {
    const value = k.mm(mm).isStatic ? null : mm;
    if (k.cpu(cpu).lazyMmHp !== value) setHazardSlot(k, cpu, fn, cpu, 'lazy_mm', value);
  },
  // __change_current_mm() from a kernel context / unlazy_mm_irqs_off():
  // "smp_store_release(&this_rq()->lazy_mm, NULL)" then mmdrop_lazy(rq). Not a full barrier.
  mmdrop_lazy_tlb(k, cpu, fn, mm) {
    if (k.cpu(cpu).lazyMmHp === mm) setHazardSlot(k, cpu, fn, cpu, 'lazy_mm', null);
    mmdropLazy(k, cpu);
  },
  move_lazy() {},
  cleanup_lazy_tlbs() {
    return [];
  },
  // context_switch() kernel -> user: "Drop our lazy_mm reference to the old lazy mm":
  // smp_store_release(&rq->lazy_mm, NULL). rq->prev_mm no longer exists.
  kernel_to_user(k, cpu) {
    if (k.cpu(cpu).lazyMmHp !== null) setHazardSlot(k, cpu, 'context_switch', cpu, 'lazy_mm', null);
  },
  // __change_current_mm() from a kernel context: "smp_store_release(&this_rq()->lazy_mm, NULL)".
  change_current_mm(k, cpu, fn, oldActive) {
    if (k.cpu(cpu).lazyMmHp === oldActive) setHazardSlot(k, cpu, fn, cpu, 'lazy_mm', null);
  },
  // finish_task_switch() calls mmdrop_lazy(rq) unconditionally.
  finish_switch(k, cpu) {
    mmdropLazy(k, cpu);
  },
  explicitMembarrierBarriers: true,
  unlazy_path: 'mm_unlazy_mm_count',
};
