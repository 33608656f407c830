/**
 * C2.8: no interrupt is taken inside a section the kernel runs with IRQs off (`irqs` events). The
 * kernel disables IRQs exactly so that a TLB-flush or lazy-shootdown IPI cannot observe a half-done
 * mm switch: kernel/kthread.c kthread_use_mm() "Hold off tlb flush IPIs while switching mm's";
 * fs/exec.c exec_mmap() "This prevents preemption while active_mm is being loaded and it and mm are
 * being updated, which could cause problems for lazy tlb mm refcounting when these are updated by
 * context switches"; kernel/exit.c exit_mm() and kthread_unuse_mm() clear ->mm under
 * local_irq_disable(); kernel/sched/core.c runs context_switch() between __schedule()'s
 * local_irq_disable() and finish_lock_switch()'s enable; arch/x86/mm/tlb.c switch_mm_irqs_off()
 * "We don't want flush_tlb_func() to run concurrently with us" (WARN_ON_ONCE(!irqs_disabled()) under
 * CONFIG_PROVE_LOCKING). A handler run locally by on_each_cpu*() (`ipi_handle` with id null) is not
 * an interrupt.
 */
import type { TraceEvent } from '../../src/trace/events';
import type { Violation } from '../property';
import { Explanation } from '../lib/explain';
import type { Mirror } from '../lib/mirror';
import { uafFail } from './report';

/** An `irq` enter, or a remote `ipi_handle`, on a CPU whose IRQs are off. */
export function checkIrqsOff(mirror: Mirror, ev: TraceEvent, i: number): Violation | null {
  const taken = (ev.k === 'irq' && ev.phase === 'enter') || (ev.k === 'ipi_handle' && ev.id !== null);
  if (!taken || ev.cpu === null) return null;
  const c = mirror.cpu(ev.cpu);
  if (!c.irqsOff) return null;
  const x = new Explanation();
  x.say(`${x.ev(ev, i)} takes an interrupt on cpu${ev.cpu} while its IRQs are off (local_irq_disable() without the matching enable):`);
  x.say(`the kernel keeps IRQs off across an mm switch so that no flush or shootdown IPI sees active_mm, ->mm and the loaded mm disagree.`);
  return uafFail('C2.8 interrupt inside an IRQs-off section', i, null, [ev.cpu], x);
}
