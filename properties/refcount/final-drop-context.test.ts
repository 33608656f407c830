/**
 * refcount-balance C1.5 (issue 12 item 3): the final __mmdrop() runs on an online CPU, and under
 * MMU_LAZY_TLB_SHOOTDOWN (cleanup_lazy_tlbs()'s on_each_cpu_mask(..., wait=1)) with IRQs on and
 * outside interrupt handlers.
 */
import { checkTrace } from '../index';
import { refcountBalance } from '../refcount-balance';
import { TraceBuilder } from '../lib/trace-builder';
import { exitMm, mmput } from '../lib/trace-macros';

/** T0, mm1's only user, exits on cpu0; the users reference's mmput() then runs the final drop. */
function lastExit(strategy: 'hazard' | 'shootdown', before: (b: TraceBuilder) => void): TraceBuilder {
  const b = new TraceBuilder({
    strategy,
    cpus: [{ curr: 'T0' }, { curr: 'idle1' }],
    tasks: [{ task: 'T0', mm: 'mm1', tgid: 'P1' }, { task: 'idle0' }, { task: 'idle1' }],
    mms: [{ mm: 'mm1' }],
  });
  b.userExit(0);
  exitMm(b, 0, { stopBeforeMmput: true });
  before(b);
  mmput(b, 0, 'mm1', 'local:0:exit_mm');
  return b;
}
const clause = (b: TraceBuilder) => checkTrace(b.events, [refcountBalance]).find((v) => v.clause.startsWith('C1.5'));

describe('C1.5 the final drop runs where freeing is legal', () => {
  it('on an offline CPU: reported', () => {
    const b = lastExit('shootdown', (x) => x.push({ k: 'cpu_online', cpu: 0, fn: '__cpu_disable', target: 0, online: false }));
    expect(clause(b)?.message).toContain('offline');
  });

  it('with IRQs on, in task context: fine', () => {
    const b = lastExit('shootdown', () => {});
    expect(b.events.some((e) => e.k === 'mmdrop_begin')).toBe(true);
    expect(checkTrace(b.events, [refcountBalance])).toEqual([]);
  });

  it('under shootdown with IRQs off: cleanup_lazy_tlbs() would IPI and wait with IRQs disabled', () => {
    const b = lastExit('shootdown', (x) => x.push({ k: 'irqs', cpu: 0, fn: 'local_irq_disable', enabled: false }));
    expect(clause(b)).toMatchObject({ clause: 'C1.5 final drop in a context where freeing is illegal', cpus: [0], mm: 'mm1' });
    // Without the shootdown __mmdrop() sends no IPI: IRQs off is allowed (hazard pointers here).
    const h = lastExit('hazard', (x) => x.push({ k: 'irqs', cpu: 0, fn: 'local_irq_disable', enabled: false }));
    expect(h.events.some((e) => e.k === 'mmdrop_begin')).toBe(true);
    expect(clause(h)).toBeUndefined();
  });

  it('under shootdown inside an interrupt handler', () => {
    const b = lastExit('shootdown', (x) => x.push({ k: 'irq', cpu: 0, fn: 'sysvec_call_function', phase: 'enter', from: 'kernel' }));
    expect(clause(b)?.message).toContain('inside an interrupt handler');
  });
});
