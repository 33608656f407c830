/**
 * switch_mm(): the IRQ-saving wrapper around switch_mm_irqs_off() that callers with IRQs on use.
 * Models: arch/x86/include/asm/mmu_context.h and arch/powerpc/include/asm/mmu_context.h switch_mm():
 * "local_irq_save(flags); switch_mm_irqs_off(prev, next, tsk); local_irq_restore(flags);". arm64
 * defines switch_mm() itself and gets include/linux/mmu_context.h's "#define switch_mm_irqs_off
 * switch_mm" ("Architectures that care about IRQ state in switch_mm can override this"), so its
 * switch touches no IRQ state.
 */
import type { Kctx } from '../kctx';
import type { CpuId, MmId } from '../../trace/events';

export function switchMm(k: Kctx, cpu: CpuId, fn: string, next: MmId): void {
  if (k.arch.name === 'arm64') {
    k.arch.switch_mm_irqs_off(k, cpu, fn, next);
    return;
  }
  const flags = k.irqSave(cpu);
  k.arch.switch_mm_irqs_off(k, cpu, fn, next);
  k.irqRestore(cpu, flags);
}
