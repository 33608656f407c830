/**
 * Finding (issue 7, question 2; Nick Piggin's case in the seeds): on x86 without PTI, a kthread that
 * is lazy on mm1 calls kthread_use_mm(mm1) -- a same-mm switch with a fresh TLB, so no CR3 write --
 * then switches to a thread of mm1: a user -> user switch, so finish_task_switch() has no prev_mm and
 * skips membarrier_mm_sync_core_before_usermode(). The thread returns by SYSRET without any core
 * serialization since a membarrier(SYNC_CORE) that skipped the CPU (its rq->curr->mm was NULL).
 */
import type { Op } from '../../src/engine/ops';
import { checkTrace } from '../../properties/index';
import { drive, ofKind, steps } from '../engine/drive';

const config = { cpus: 2, procs: 1, threads: 2, kthreads: 1 };
export const KTHREAD_USE_MM_SYNC_CORE_OPS: Op[] = [
  { op: 'syscall', cpu: 0 },
  { op: 'membarrier_register', cpu: 0, cmd: 'PRIVATE_EXPEDITED_SYNC_CORE' },
  { op: 'step', cpu: 0 },
  { op: 'ipi', cpu: 1 },
  ...steps(0, 2),
  // CPU1: T2 enters a syscall and blocks; kthread K1 runs lazily on mm1 and pins mm1.
  { op: 'syscall', cpu: 1 },
  { op: 'schedule', cpu: 1, next: 'K1' },
  ...steps(1, 3),
  { op: 'mmget_not_zero', cpu: 1, mm: 'mm1' },
  // CPU0: membarrier(SYNC_CORE): CPU1's rq->curr is K1 with ->mm == NULL: no IPI.
  { op: 'membarrier', cpu: 0, cmd: 'PRIVATE_EXPEDITED_SYNC_CORE' },
  ...steps(0, 6),
  // CPU1: kthread_use_mm(mm1) on the lazy mm: switch_mm_irqs_off() returns early (fresh TLB).
  { op: 'kthread_use_mm', cpu: 1, mm: 'mm1' },
  ...steps(1, 2),
  // K1 (still inside kthread_use_mm) switches to T2: user -> user, same mm, no prev_mm.
  { op: 'schedule', cpu: 1, next: 'T2' },
  ...steps(1, 3),
  { op: 'return_to_user', cpu: 1, via: 'sysret' },
];

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
