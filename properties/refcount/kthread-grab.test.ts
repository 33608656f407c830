/**
 * refcount-balance "C1.1 kthread_use_mm() reference" (./kthread-grab.ts): a kernel thread outside
 * kthread_use_mm()/kthread_unuse_mm() holds kthread_use_mm()'s mmgrab() exactly while its ->mm is
 * that mm. kernel/kthread.c kthread_unuse_mm() ends with mmdrop(mm).
 */
import { checkTrace } from '../index';
import { refcountBalance } from '../refcount-balance';
import { TraceBuilder } from '../lib/trace-builder';
import type { Strategy } from '../../src/trace/events';

/** K1 runs on cpu1 using mm1 (T0's mm, T0 on cpu0): it holds the grab since boot. */
function k1UsingMm1(strategy: Strategy = 'refcount'): TraceBuilder {
  return new TraceBuilder({
    strategy,
    cpus: [{ curr: 'T0' }, { curr: 'K1' }],
    tasks: [{ task: 'T0', mm: 'mm1', tgid: 'P1' }, { task: 'K1', type: 'kthread', mm: 'mm1' }, { task: 'idle0' }, { task: 'idle1' }],
    mms: [{ mm: 'mm1' }],
  });
}

/** kthread_unuse_mm() on cpu1: ->mm = NULL, the lazy reference, then (if `mmdrop`) the final mmdrop(mm). */
function unuse(b: TraceBuilder, mmdrop: boolean): number {
  b.path(1, 'kthread_unuse_mm', 'begin', 'K1');
  b.mb(1, 'smp_mb__after_spinlock');
  b.taskMm(1, 'K1', null, 'mm1', 'kthread_unuse_mm');
  if (b.init.strategy === 'refcount') b.grab(1, 'mm1', 'lazy', 'task:K1', 'mmgrab_lazy_tlb');
  if (mmdrop) b.drop(1, 'mm1', 'grab', 'task:K1', 'kthread_unuse_mm');
  return b.path(1, 'kthread_unuse_mm', 'end', 'K1');
}
const clauses = (b: TraceBuilder) => checkTrace(b.events, [refcountBalance]).map((v) => v.clause);

describe('C1.1 kthread_use_mm() reference', () => {
  it.each(['refcount', 'shootdown'] as const)('%s: kthread_unuse_mm() with its mmdrop(): fine; without it: reported at the path end', (strategy) => {
    const ok = k1UsingMm1(strategy);
    unuse(ok, true);
    ok.mb(1);
    expect(clauses(ok)).toEqual([]);
    const bad = k1UsingMm1(strategy);
    const end = unuse(bad, false);
    bad.mb(1);
    const v = checkTrace(bad.events, [refcountBalance]);
    expect(v[0]).toMatchObject({ clause: 'C1.1 kthread_use_mm() reference', mm: 'mm1', cpus: [1] });
    expect(v[0].index).toBeGreaterThanOrEqual(end);
    expect(v[0].message).toContain('mmdrop(mm)');
  });

  it('inside kthread_unuse_mm() (the path in flight) the grab may outlive ->mm', () => {
    const b = k1UsingMm1();
    b.path(1, 'kthread_unuse_mm', 'begin', 'K1');
    b.taskMm(1, 'K1', null, 'mm1', 'kthread_unuse_mm');
    b.grab(1, 'mm1', 'lazy', 'task:K1', 'mmgrab_lazy_tlb');
    b.mb(0);
    expect(clauses(b)).toEqual([]);
  });

  it('a kthread that uses an mm without the mmgrab() of kthread_use_mm() is reported', () => {
    const b = k1UsingMm1();
    // A kthread_unuse_mm() that drops the reference but forgets to clear ->mm.
    b.path(1, 'kthread_unuse_mm', 'begin', 'K1');
    b.drop(1, 'mm1', 'grab', 'task:K1', 'kthread_unuse_mm');
    b.path(1, 'kthread_unuse_mm', 'end', 'K1');
    b.mb(0);
    expect(clauses(b)).toEqual(['C1.1 kthread_use_mm() reference']);
  });
});
