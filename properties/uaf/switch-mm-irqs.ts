/**
 * C2.11: switch_mm_irqs_off() is entered with IRQs off, on the architectures that define it
 * (x86, powerpc). arch/x86/mm/tlb.c switch_mm_irqs_off(): "We don't want flush_tlb_func() to run
 * concurrently with us" -- "if (IS_ENABLED(CONFIG_PROVE_LOCKING)) WARN_ON_ONCE(!irqs_disabled());";
 * include/linux/mmu_context.h: "Architectures that care about IRQ state in switch_mm can override
 * this" (x86 and powerpc do, and their switch_mm() wraps it in local_irq_save()/restore(); arm64 does
 * not: there switch_mm_irqs_off is switch_mm and IRQs may be on). use_temporary_mm() /
 * unuse_temporary_mm() save IRQs around theirs (guard(irqsave)(), v6.16; lockdep_assert_irqs_disabled()
 * when Nadav Amit introduced them in 2019). The trace shows the call as a `load_mm`; IRQs are off
 * when the CPU's last `irqs` event disabled them or it is inside an interrupt (`irq` enter .. exit).
 * Judged only on traces whose init event says `irqsTracked` (IRQs on is concluded from the absence
 * of a disabling `irqs` event). Not judged: `initialize_tlbstate_and_flush` (CPU bring-up, not
 * switch_mm_irqs_off()).
 */
import type { TraceEvent } from '../../src/trace/events';
import type { Violation } from '../property';
import { Explanation } from '../lib/explain';
import type { Mirror } from '../lib/mirror';
import { uafFail } from './report';

/** A `load_mm` on x86/powerpc while the CPU's IRQs are on. */
export function checkSwitchMmIrqs(mirror: Mirror, ev: TraceEvent, i: number): Violation | null {
  if (ev.k !== 'load_mm' || ev.fn === 'initialize_tlbstate_and_flush' || mirror.init.irqsTracked !== true) return null;
  const arch = mirror.init.arch;
  if (arch !== 'x86' && arch !== 'powerpc') return null;
  const c = mirror.cpu(ev.cpu);
  if (c.irqsOff || c.inIrq) return null;
  const x = new Explanation();
  x.say(`${x.ev(ev, i)} switches cpu${ev.cpu}'s MMU to ${ev.mm} (switch_mm_irqs_off() from ${ev.fn}) with IRQs on:`);
  x.say(`a flush IPI could run flush_tlb_func() in the middle of the switch. ${arch === 'x86' ? 'x86 switch_mm_irqs_off() warns "WARN_ON_ONCE(!irqs_disabled())"' : 'powerpc callers with IRQs on use switch_mm(), which saves and restores IRQs around it'}.`);
  return uafFail('C2.11 switch_mm_irqs_off() with IRQs on', i, ev.mm === 'SWITCHING' ? null : ev.mm, [ev.cpu], x);
}
