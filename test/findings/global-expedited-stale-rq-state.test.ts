/**
 * Finding (issue 7, question 1; kernel-model-errata.md A1, scenario 14): exit_mm() zeroes
 * rq->membarrier_state (membarrier_update_current_mm(NULL)) while the CPU stays lazy on the mm; the
 * switch from the dying thread to another thread of the same mm skips membarrier_switch_mm()
 * (prev->active_mm == next->mm), so the runqueue keeps state 0 while a GLOBAL_EXPEDITED-registered
 * thread runs user code there, and membarrier(GLOBAL_EXPEDITED) skips that CPU.
 */
import type { Op } from '../../src/engine/ops';
import { checkTrace, createMembarrierOrdering } from '../../properties/index';
import { drain, drive, steps } from '../engine/drive';
import { GLOBAL_EXPEDITED_STALE_CONFIG, GLOBAL_EXPEDITED_STALE_OPS } from './scenarios';

const config = GLOBAL_EXPEDITED_STALE_CONFIG;

const x86 = { arch: 'x86' as const, strategy: 'refcount' as const };

describe('finding: GLOBAL_EXPEDITED skips a CPU after exit_mm() (stale rq->membarrier_state)', () => {
  it('mainline v6.17: T1 runs user code of a GLOBAL_EXPEDITED mm on a runqueue whose state is 0', () => {
    const { events, state } = drive(x86, config, GLOBAL_EXPEDITED_STALE_OPS);
    expect(state.cpus[1]).toMatchObject({ curr: 'T1', mode: 'user', rqMembarrierState: 0 });
    const v = checkTrace(events);
    expect(v[0]).toMatchObject({ property: 'membarrier-ordering', clause: 'C4.1 stale rq->membarrier_state', cpus: [1], mm: 'mm1' });
  });

  it('a GLOBAL_EXPEDITED call from the other process then skips CPU1: the ordering guarantee breaks', () => {
    // T3 (mm2) leaves CPU2's idle behind and calls membarrier(GLOBAL_EXPEDITED).
    const ops: Parameters<typeof drive>[2] = [...GLOBAL_EXPEDITED_STALE_OPS, { op: 'schedule', cpu: 2, next: 'T3' }, drain(2),
      { op: 'membarrier', cpu: 2, cmd: 'GLOBAL_EXPEDITED' }, drain(2)];
    const { events } = drive(x86, config, ops);
    const scan = events.find((s) => s.k === 'membarrier_scan' && s.target === 1);
    expect(scan).toMatchObject({ currTask: 'T1', rqMembarrierState: 0, selected: false });
    // With the C4.1 invariant switched off, the barrier-interval rule itself fails: T1's user
    // interval on CPU1 spans the whole call and no IPI barrier splits it.
    const v = checkTrace(events, [createMembarrierOrdering({ rqStateClause: false })]);
    expect(v).toEqual([expect.objectContaining({ property: 'membarrier-ordering', clause: 'C4 interval spans the window (no IPI barrier)', cpus: [1], mm: 'mm1' })]);
  });

  it('the proposed fix (membarrier_switch_mm(rq, prev->mm, next->mm)) restores the state', () => {
    const { events, state } = drive({ ...x86, knobs: { membarrierSwitchMmFix: true } }, config, GLOBAL_EXPEDITED_STALE_OPS);
    expect(state.cpus[1].rqMembarrierState & (1 << 3)).toBeTruthy();
    expect(checkTrace(events)).toEqual([]);
  });
});
