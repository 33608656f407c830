/**
 * C6.5 (x86): a flush_tlb_mm_range() that runs with IRQs off (or in an interrupt) must not have to
 * IPI: mm_cpumask(mm) holds no other online CPU. arch/x86/mm/tlb.c flush_tlb_mm_range(): "else if
 * (cpumask_any_but(mm_cpumask(mm), cpu) < nr_cpu_ids) { ... flush_tlb_multi(mm_cpumask(mm), info);"
 * -> on_each_cpu_cond_mask() -> kernel/smp.c smp_call_function_many_cond(): "Can deadlock when
 * called with interrupts disabled" (`lockdep_assert_irqs_enabled()`). The one caller that flushes
 * with IRQs off is __text_poke() (arch/x86/kernel/alternative.c): "Flushing the TLB might involve
 * IPIs, which would require enabled IRQs, but not if the mm is not used, as it is in this point" --
 * which holds because every unuse_temporary_mm() clears its CPU from mm_cpumask(text_poke_mm)
 * ("Clear the cpumask, to indicate no TLB flushing is needed anywhere") and text_mutex lets one
 * poke run at a time.
 *
 * Judged on x86 traces whose init says `irqsTracked`, except with INVLPGB (`invlpgb`: an mm with a
 * global ASID is flushed by broadcast, without IPIs, and the trace does not say which mms have one).
 */
import type { InitEvent, TlbGenEvent } from '../../src/trace/events';
import { Explanation, violation } from '../lib/explain';
import type { Mirror } from '../lib/mirror';
import type { Violation } from '../property';
import { TLB_COHERENCE_ID } from './state-checks';

export const IRQS_OFF_FLUSH_CLAUSE = 'C6.5 flush_tlb_mm_range() with IRQs off must IPI';

/** Whether C6.5 is judged on this trace. */
export function judgesIrqsOffFlush(init: InitEvent): boolean {
  return init.arch === 'x86' && init.irqsTracked === true && init.knobs.invlpgb !== true;
}

/** At flush_tlb_mm_range()'s `tlb_gen` event (after the mirror applied it). */
export function checkIrqsOffFlush(mirror: Mirror, ev: TlbGenEvent, i: number): Violation | null {
  if (ev.fn !== 'flush_tlb_mm_range') return null;
  const c = mirror.cpu(ev.cpu);
  if (!c.irqsOff && !c.inIrq) return null;
  const m = mirror.mm(ev.mm);
  const others = mirror.cpus.filter((o) => o.id !== ev.cpu && o.online && m.cpumask[o.id]).map((o) => o.id);
  if (others.length === 0) return null;
  const x = new Explanation();
  x.say(`${x.ev(ev, i)} flushes ${ev.mm} on cpu${ev.cpu} ${c.inIrq ? 'inside an interrupt handler' : 'with IRQs off'}, but mm_cpumask(${ev.mm}) also holds cpu${others.join(', cpu')}:`);
  x.say(`flush_tlb_mm_range() must then IPI them through flush_tlb_multi() -> smp_call_function_many_cond(), which "can deadlock when called with interrupts disabled".`);
  if (mirror.isStatic(ev.mm)) x.say(`__text_poke(): "Flushing the TLB might involve IPIs, which would require enabled IRQs, but not if the mm is not used, as it is in this point" -- every unuse_temporary_mm() clears its CPU's bit.`);
  return violation({ property: TLB_COHERENCE_ID, clause: IRQS_OFF_FLUSH_CLAUSE, index: i, mm: ev.mm, cpus: [ev.cpu, ...others] }, x);
}
