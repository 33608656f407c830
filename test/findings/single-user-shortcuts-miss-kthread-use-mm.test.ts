/**
 * Finding (2026-12-07): membarrier's two `mm_users == 1` short-cuts assume the caller is the mm's only
 * user, but a kthread inside kthread_use_mm() that holds no mm_users is a user too: v6.17's USB gadget
 * async reads (f_fs.c ffs_user_copy_worker(), legacy/inode.c ep_user_copy_worker()) kthread_use_mm()
 * the submitter's mm with no reference (engine knob kthreadUseMmWithoutUsers). 618758ed3a4f makes
 * membarrier "apply to kthreads accessing user-space memory", and the multi-user paths do select such
 * a kthread (`p->mm == mm`); the single-user paths never look:
 * - membarrier_private_expedited() returns 0 with no barrier at all (C4.5);
 * - sync_runqueues_membarrier_state() writes only the caller's runqueue, so the kthread's CPU keeps
 *   rq->membarrier_state without GLOBAL_EXPEDITED and membarrier_global_expedited() skips it (C4).
 * A kthread that took mm_users first (get_task_mm()/mmget_not_zero(), as vhost does and as Gabriel
 * Prostitis' June 2026 gadget fix makes the gadget workers do: knob gadgetWorkerMmget) closes both.
 */
import { checkTrace } from '../../properties/index';
import { drain, drive, ofKind } from '../engine/drive';
import type { Op } from '../../src/engine/ops';

const knobs = { membarrierSwitchMmFix: true, syncRunqueuesFreshState: true, syncCoreOnLazySameMmSwitch: true, kthreadUseMmWithoutUsers: true };
const x86 = { arch: 'x86' as const, strategy: 'refcount' as const, knobs };
const config = { cpus: 2, procs: 1, threads: 1, kthreads: 1 };

/** K1 runs on cpu1 and borrows mm1 (T1's, T1 alone in it), with mmget_not_zero() first when `users`. */
const kthreadUsesMm1 = (users: boolean): (Op | ReturnType<typeof drain>)[] => [
  { op: 'schedule', cpu: 1, next: 'K1' },
  drain(1),
  ...(users ? [{ op: 'mmget_not_zero', cpu: 1, mm: 'mm1' } as Op] : []),
  { op: 'kthread_use_mm', cpu: 1, mm: 'mm1' },
  drain(1),
];

/** T1 registers PRIVATE_EXPEDITED, K1 borrows mm1, T1 calls PRIVATE_EXPEDITED; K1 handles the IPI if one is sent. */
const privateCallOrdersK1 = (users: boolean): (Op | ReturnType<typeof drain>)[] => [
  { op: 'syscall', cpu: 0 },
  { op: 'membarrier_register', cpu: 0, cmd: 'PRIVATE_EXPEDITED' },
  drain(0),
  ...kthreadUsesMm1(users),
  { op: 'membarrier', cpu: 0, cmd: 'PRIVATE_EXPEDITED' },
  drain(0),
  { op: 'ipi', cpu: 1 },
  drain(0),
];

describe('finding: single-user short-cuts of membarrier miss a kthread that kthread_use_mm()s without mm_users', () => {
  it('PRIVATE_EXPEDITED: mm_users == 1, the call returns 0 without a barrier while K1 accesses mm1 (C4.5)', () => {
    const { events, state } = drive(x86, config, [
      { op: 'syscall', cpu: 0 },
      { op: 'membarrier_register', cpu: 0, cmd: 'PRIVATE_EXPEDITED' },
      drain(0),
      ...kthreadUsesMm1(false),
      { op: 'membarrier', cpu: 0, cmd: 'PRIVATE_EXPEDITED' },
      drain(0),
    ]);
    expect(state.mms.mm1.users).toBe(1);
    expect(ofKind(events, 'membarrier').find((e) => e.phase === 'return')).toMatchObject({ ret: 0, shortCircuit: true });
    const [v] = checkTrace(events);
    expect(v).toMatchObject({ property: 'membarrier-ordering', clause: 'C4.5 short-cut taken while another CPU accesses a covered mm', mm: 'mm1', cpus: [0, 1] });
    expect(v.message).toContain('kthread_use_mm()');
  });

  it('GLOBAL_EXPEDITED: the single-user registration leaves K1\'s runqueue without GLOBAL_EXPEDITED and the call skips it (C4)', () => {
    const { events } = drive(x86, config, [
      { op: 'syscall', cpu: 0 },
      ...kthreadUsesMm1(false),
      { op: 'membarrier_register', cpu: 0, cmd: 'GLOBAL_EXPEDITED' },
      drain(0),
      { op: 'membarrier', cpu: 0, cmd: 'GLOBAL_EXPEDITED' },
      drain(0),
    ]);
    expect(ofKind(events, 'rq_membarrier_state', 1).filter((e) => e.fn === 'sync_runqueues_membarrier_state')).toEqual([]);
    expect(ofKind(events, 'membarrier_scan').find((s) => s.target === 1)).toMatchObject({ currTask: 'K1', selected: false });
    expect(checkTrace(events)).toEqual([expect.objectContaining({ property: 'membarrier-ordering', clause: 'C4 interval spans the window (no IPI barrier)', mm: 'mm1', cpus: [1] })]);
  });

  it('with mm_users held by the kthread (mmget_not_zero() first: the fix), neither short-cut is taken and both calls order K1', () => {
    const priv = drive(x86, config, privateCallOrdersK1(true));
    expect(ofKind(priv.events, 'membarrier').find((e) => e.phase === 'return')).not.toMatchObject({ shortCircuit: true });
    expect(checkTrace(priv.events)).toEqual([]);
    const global = drive(x86, config, [
      { op: 'syscall', cpu: 0 },
      ...kthreadUsesMm1(true),
      { op: 'membarrier_register', cpu: 0, cmd: 'GLOBAL_EXPEDITED' },
      drain(0),
      { op: 'ipi', cpu: 1 },
      drain(0),
    ]);
    expect(ofKind(global.events, 'rq_membarrier_state', 1).some((e) => e.fn === 'ipi_sync_rq_state')).toBe(true);
    expect(checkTrace(global.events)).toEqual([]);
  });

  it('the proposed fix (gadgetWorkerMmget: mmget_not_zero() inside the worker) passes the findings\' own ops', () => {
    const fixed = { ...x86, knobs: { ...knobs, gadgetWorkerMmget: true } };
    const priv = drive(fixed, config, privateCallOrdersK1(false));
    expect(priv.state.mms.mm1.users).toBe(2);
    expect(checkTrace(priv.events)).toEqual([]);
    const after = drive(fixed, config, [...kthreadUsesMm1(false), { op: 'kthread_unuse_mm', cpu: 1 }, drain(1), { op: 'mmput', cpu: 1, mm: 'mm1' }]);
    expect(after.state.mms.mm1.users).toBe(1);
    expect(checkTrace(after.events)).toEqual([]);
  });

  it('without the knob a kthread borrows an mm only after mmget_not_zero()', () => {
    expect(() => drive({ ...x86, knobs: { ...knobs, kthreadUseMmWithoutUsers: false } }, config, kthreadUsesMm1(false))).toThrow(/not enabled/);
  });
});
