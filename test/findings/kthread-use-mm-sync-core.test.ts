/**
 * Finding (issue 7, question 2; Nick Piggin's case in the seeds): on x86 without PTI, a kthread that
 * is lazy on mm1 calls kthread_use_mm(mm1) -- a same-mm switch with a fresh TLB, so no CR3 write --
 * then switches to a thread of mm1: a user -> user switch, so finish_task_switch() has no prev_mm and
 * skips membarrier_mm_sync_core_before_usermode(). The thread returns by SYSRET without any core
 * serialization since a membarrier(SYNC_CORE) that skipped the CPU (its rq->curr->mm was NULL).
 */
import { checkTrace } from '../../properties/index';
import { drive, ofKind } from '../engine/drive';
import { KTHREAD_USE_MM_SYNC_CORE_CONFIG, KTHREAD_USE_MM_SYNC_CORE_OPS } from './scenarios';

const config = KTHREAD_USE_MM_SYNC_CORE_CONFIG;

const x86 = { arch: 'x86' as const, strategy: 'refcount' as const };

describe('finding: SYNC_CORE after kthread_use_mm() of a lazy mm (x86, no PTI)', () => {
  it('mainline v6.17: T2 returns to user by SYSRET with no serialization since the call', () => {
    const { events, perOp } = drive(x86, config, KTHREAD_USE_MM_SYNC_CORE_OPS);
    const useMm = perOp.slice(-8, -5).flat();
    expect(ofKind(useMm, 'load_mm', 1)).toEqual([]); // the same-mm early return: no CR3 write
    const v = checkTrace(events);
    expect(v).toEqual([expect.objectContaining({ property: 'sync-core-before-usermode', clause: 'C3.1 user entry without core serialization', cpus: [1] })]);
    expect(v[0].index).toBe(events.length - 1);
  });

  it('PTI closes it: every return to user writes CR3', () => {
    const { events } = drive({ ...x86, knobs: { pti: true } }, config, KTHREAD_USE_MM_SYNC_CORE_OPS);
    expect(checkTrace(events)).toEqual([]);
  });

  it('the proposed fix (sync in switch_mm_irqs_off()\'s lazy same-mm return) closes it', () => {
    const { events } = drive({ ...x86, knobs: { syncCoreOnLazySameMmSwitch: true } }, config, KTHREAD_USE_MM_SYNC_CORE_OPS);
    expect(ofKind(events, 'serialize', 1).map((s) => s.fn)).toContain('switch_mm_irqs_off');
    expect(checkTrace(events)).toEqual([]);
  });
});
