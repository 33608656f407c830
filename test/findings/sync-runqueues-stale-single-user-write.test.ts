/**
 * Finding (issue 12 item 6, the split of sync_runqueues_membarrier_state()): the single-user path
 * writes into the runqueue the mm->membarrier_state it read on entry, before its mm_users test
 * ("int membarrier_state = atomic_read(&mm->membarrier_state); if (atomic_read(&mm->mm_users) == 1
 * || num_online_cpus() == 1) { this_cpu_write(runqueues.membarrier_state, membarrier_state); ...").
 * A GLOBAL_EXPEDITED registration by another thread of the mm that completes in between, followed by
 * that thread's exit, is overwritten: the caller runs user code of a GLOBAL_EXPEDITED mm on a
 * runqueue without GLOBAL_EXPEDITED, with or without the two earlier findings' fixes.
 */
import { checkTrace, createMembarrierOrdering } from '../../properties/index';
import { drain, drive, ofKind, steps } from '../engine/drive';
import { SYNC_RUNQUEUES_STALE_CONFIG as config, SYNC_RUNQUEUES_STALE_OPS as ops } from './scenarios';
import { MEMBARRIER_STATE as S } from '../../src/trace/events';

const fixes = { membarrierSwitchMmFix: true, syncCoreOnLazySameMmSwitch: true };
const x86 = { arch: 'x86' as const, strategy: 'refcount' as const, knobs: fixes };

describe('finding: sync_runqueues_membarrier_state() single-user path writes a stale state', () => {
  it('between the entry read and the mm_users test, T2 registers GLOBAL_EXPEDITED and exits', () => {
    // The window: T1's frame holds the value read on entry while rq0 already has GLOBAL_EXPEDITED.
    const { state } = drive(x86, config, ops.slice(0, -2));
    const frame = state.tasks.T1.frames.at(-1);
    expect(frame).toMatchObject({ fn: 'membarrier_register', pc: 1, mbState: S.PRIVATE_EXPEDITED });
    expect(state.mms.mm1).toMatchObject({ users: 1 });
    expect(state.mms.mm1.membarrierState & S.GLOBAL_EXPEDITED_READY).toBeTruthy();
    expect(state.cpus[0].rqMembarrierState & S.GLOBAL_EXPEDITED).toBeTruthy();
  });

  it('with the fixes of the two other findings: T1 runs user code on a runqueue without GLOBAL_EXPEDITED (C4.1)', () => {
    const { events, state } = drive(x86, config, ops);
    expect(state.cpus[0]).toMatchObject({ curr: 'T1', mode: 'user', rqMembarrierState: S.PRIVATE_EXPEDITED });
    const write = ofKind(events, 'rq_membarrier_state', 0).at(-1);
    expect(write).toMatchObject({ fn: 'sync_runqueues_membarrier_state', value: S.PRIVATE_EXPEDITED });
    expect(checkTrace(events)).toEqual([expect.objectContaining({ property: 'membarrier-ordering', clause: 'C4.1 stale rq->membarrier_state', cpus: [0], mm: 'mm1' })]);
  });

  it('a GLOBAL_EXPEDITED call from the other process then skips CPU0: the ordering guarantee breaks', () => {
    const { events } = drive(x86, config, [...ops, { op: 'schedule', cpu: 1, next: 'T3' }, drain(1),
      { op: 'membarrier', cpu: 1, cmd: 'GLOBAL_EXPEDITED' }, drain(1)]);
    expect(ofKind(events, 'membarrier_scan').find((s) => s.target === 0)).toMatchObject({ currTask: 'T1', rqMembarrierState: S.PRIVATE_EXPEDITED, selected: false });
    const v = checkTrace(events, [createMembarrierOrdering({ rqStateClause: false })]);
    expect(v).toEqual([expect.objectContaining({ property: 'membarrier-ordering', clause: 'C4 interval spans the window (no IPI barrier)', cpus: [0], mm: 'mm1' })]);
  });

  it('without the window (T1 reads the state after T2 exited), the write keeps GLOBAL_EXPEDITED', () => {
    const { events, state } = drive(x86, config, [
      { op: 'syscall', cpu: 1 },
      { op: 'membarrier_register', cpu: 1, cmd: 'GLOBAL_EXPEDITED' },
      ...steps(1, 5),
      { op: 'ipi', cpu: 0 }, // T1 in user mode
      ...steps(1, 2),
      { op: 'exit', cpu: 1 },
      drain(1),
      { op: 'syscall', cpu: 0 },
      { op: 'membarrier_register', cpu: 0, cmd: 'PRIVATE_EXPEDITED' },
      drain(0),
      { op: 'return_to_user', cpu: 0, via: 'sysret' },
    ]);
    expect(ofKind(events, 'rq_membarrier_state', 0).at(-1)).toMatchObject({ fn: 'sync_runqueues_membarrier_state' });
    expect(state.cpus[0].rqMembarrierState & S.GLOBAL_EXPEDITED).toBeTruthy();
    expect(checkTrace(events)).toEqual([]);
  });

  it('the proposed fix (read mm->membarrier_state after the mm_users test) keeps it', () => {
    const { events, state } = drive({ ...x86, knobs: { ...fixes, syncRunqueuesFreshState: true } }, config, ops);
    expect(state.cpus[0].rqMembarrierState & S.GLOBAL_EXPEDITED).toBeTruthy();
    expect(checkTrace(events)).toEqual([]);
  });
});
