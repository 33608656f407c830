/**
 * Switching a CPU that is lazy on `mm` to init_mm *with* the core's knowledge: current->active_mm
 * becomes &init_mm and the lazy reference moves, in the order the kernel uses
 * (kernel/sched/core.c sched_force_init_mm(), powerpc exit_lazy_flush_tlb(), and Andy Lutomirski's
 * unlazy_mm_irqs_off()): mmgrab_lazy_tlb(&init_mm); active_mm = &init_mm; switch_mm_irqs_off();
 * mmdrop_lazy_tlb(mm).
 */
import type { Kctx } from '../kctx';
import { localOwner, taskOwner } from './mm-refs';
import { INIT_MM, type CpuId, type MmId } from '../../trace/events';

export function switchLazyToInitMm(k: Kctx, cpu: CpuId, fn: string): void {
  const t = k.current(cpu);
  const mm = t.activeMm as MmId;
  if (mm === INIT_MM) return;
  k.strategy.mmgrab_lazy_tlb(k, cpu, 'mmgrab_lazy_tlb', INIT_MM, localOwner(cpu, fn));
  // sched_force_init_mm(): local_irq_disable() .. local_irq_enable(); exit_lazy_flush_tlb():
  // local_irq_save() (in its IPI handler: already off); unlazy_mm_irqs_off(): its caller's IRQs off.
  const flags = k.irqSave(cpu);
  k.setTaskMm(cpu, fn, t, t.mm, INIT_MM);
  k.strategy.move_lazy(k, cpu, fn, mm, taskOwner(t.id), localOwner(cpu, `${fn}:old`));
  k.strategy.move_lazy(k, cpu, fn, INIT_MM, localOwner(cpu, fn), taskOwner(t.id));
  k.arch.switch_mm_irqs_off(k, cpu, 'switch_mm_irqs_off', INIT_MM);
  k.irqRestore(cpu, flags);
  k.strategy.mmdrop_lazy_tlb(k, cpu, 'mmdrop_lazy_tlb', mm, localOwner(cpu, `${fn}:old`));
}
