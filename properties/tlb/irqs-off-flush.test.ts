/**
 * tlb-coherence C6.5 (./irqs-off-flush.ts): an x86 flush_tlb_mm_range() with IRQs off must find no
 * other online CPU in mm_cpumask(mm) (__text_poke(): "not if the mm is not used").
 */
import { checkTrace } from '../index';
import { tlbCoherence } from '../tlb-coherence';
import { TraceBuilder } from '../lib/trace-builder';
import { IRQS_OFF_FLUSH_CLAUSE } from './irqs-off-flush';

/** cpu0 flushes text_poke_mm with IRQs off (or on); `stale` leaves cpu1's bit in its mm_cpumask. */
function flush(opts: { stale: boolean; irqsOff: boolean; irqsTracked?: boolean }): TraceBuilder {
  const b = new TraceBuilder({
    arch: 'x86',
    irqsTracked: opts.irqsTracked ?? true,
    cpus: [{ curr: 'T0' }, { curr: 'T1' }],
    tasks: [{ task: 'T0', mm: 'mm1', tgid: 'P1' }, { task: 'T1', mm: 'mm1', tgid: 'P1' }, { task: 'idle0' }, { task: 'idle1' }],
    mms: [{ mm: 'mm1' }],
  });
  if (opts.stale) b.cpumask(1, 'text_poke_mm', 1, true, 'switch_mm_irqs_off');
  b.userExit(0);
  if (opts.irqsOff) b.push({ k: 'irqs', cpu: 0, fn: 'local_irq_save', enabled: false });
  b.push({ k: 'tlb_gen', cpu: 0, fn: 'flush_tlb_mm_range', mm: 'text_poke_mm', value: 1, freedTables: false });
  b.push({ k: 'flush_done', cpu: 0, fn: 'flush_tlb_mm_range', mm: 'text_poke_mm', gen: 1, freedTables: false });
  return b;
}
const clauses = (b: TraceBuilder) => checkTrace(b.events, [tlbCoherence]).map((v) => v.clause);

describe('C6.5 no IPI-sending flush with IRQs off', () => {
  it('text_poke_mm still in another CPU\'s mask, IRQs off: reported', () => {
    const [v] = checkTrace(flush({ stale: true, irqsOff: true }).events, [tlbCoherence]);
    expect(v).toMatchObject({ clause: IRQS_OFF_FLUSH_CLAUSE, mm: 'text_poke_mm', cpus: [0, 1] });
    expect(v.message).toContain('not if the mm is not used');
  });

  it('an empty mask with IRQs off, or a stale bit with IRQs on: fine', () => {
    expect(clauses(flush({ stale: false, irqsOff: true }))).toEqual([]);
    expect(clauses(flush({ stale: true, irqsOff: false }))).toEqual([]);
  });

  it('not judged when the trace does not track IRQs', () => {
    expect(clauses(flush({ stale: true, irqsOff: true, irqsTracked: false }))).toEqual([]);
  });
});
