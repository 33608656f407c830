/**
 * membarrier-ordering C4.3 (./missed-updates.ts): when the scan skipped a CPU that then updated
 * rq->curr, the (e) barrier must follow that update; __schedule()'s smp_mb__after_spinlock()
 * before it does not count.
 */
import { MEMBARRIER_STATE as S, type CpuId, type TaskId } from '../../src/trace/events';
import { checkTrace } from '../index';
import { createMembarrierOrdering, membarrierOrdering } from '../membarrier-ordering';
import { TraceBuilder } from '../lib/trace-builder';
import { contextSwitch } from '../lib/trace-macros';
import { MISSED_UPDATE_CLAUSE } from './missed-updates';

/** mm1 (PRIVATE_EXPEDITED): T0 on cpu0 in the kernel (the caller); cpu1 went idle, lazy on mm1. */
function world(): TraceBuilder {
  const b = new TraceBuilder({
    cpus: [{ curr: 'T0' }, { curr: 'T1' }],
    tasks: [{ task: 'T0', mm: 'mm1', tgid: 'P1' }, { task: 'T1', mm: 'mm1', tgid: 'P1' }, { task: 'idle0' }, { task: 'idle1' }],
    mms: [{ mm: 'mm1', membarrierState: S.PRIVATE_EXPEDITED | S.PRIVATE_EXPEDITED_READY }],
  });
  b.userExit(1);
  contextSwitch(b, 1, 'idle1');
  b.userExit(0);
  return b;
}

/**
 * idle1 -> `next` on `cpu`: __schedule()'s barrier, the rq->curr store, and a barrier after it only
 * when `afterUpdate` (x86 load_new_mm_cr3(), the lazy-return smp_mb(), or mmdrop_lazy_tlb()).
 */
function switchToUser(b: TraceBuilder, cpu: CpuId, next: TaskId, afterUpdate: boolean): number {
  const prev = b.current(cpu);
  b.path(cpu, 'context_switch', 'begin', prev);
  b.mb(cpu, '__schedule');
  const update = b.rqCurr(cpu, next);
  b.lazy(cpu, false, 'switch_mm_irqs_off');
  if (afterUpdate) b.mb(cpu, 'switch_mm_irqs_off');
  b.prevMm(cpu, 'mm1');
  b.taskMm(cpu, prev, null, null);
  b.refMove(cpu, 'mm1', 'lazy', `task:${prev}`, `rq:${cpu}`);
  b.switchTo(cpu, next);
  b.prevMm(cpu, null, 'finish_task_switch');
  b.refMove(cpu, 'mm1', 'lazy', `rq:${cpu}`, `local:${cpu}:finish_task_switch`);
  b.ref(cpu, 'mm1', 'mm_count', -1, 'lazy', `local:${cpu}:finish_task_switch`);
  b.path(cpu, 'context_switch', 'end', prev);
  return update;
}

/** The call on cpu0 skips cpu1 (idle), then cpu1 switches to T1 and returns to user before MB5. */
function run(afterUpdate: boolean, thenExit = false): { b: TraceBuilder; update: number } {
  const b = world();
  const call = b.mbEnter(0, 'PRIVATE_EXPEDITED');
  b.mb(0, 'membarrier_private_expedited');
  b.mbPhase(0, call, 'mb_start');
  b.mbScan(0, call, 1, false);
  const update = switchToUser(b, 1, 'T1', afterUpdate);
  b.userEnter(1, 'sysret');
  if (thenExit) {
    b.userExit(1);
    b.mb(1, '__schedule');
  }
  b.mb(0, 'membarrier_private_expedited');
  b.mbPhase(0, call, 'mb_end');
  b.mbPhase(0, call, 'return');
  return { b, update };
}

describe('C4.3 the (e) barrier follows the update the scan missed', () => {
  it('only __schedule()\'s barrier, before the rq->curr store the scan missed: reported', () => {
    const { b, update } = run(false);
    const [v] = checkTrace(b.events, [membarrierOrdering]);
    expect(v).toMatchObject({ clause: MISSED_UPDATE_CLAUSE, mm: 'mm1', cpus: [1] });
    expect(v.events).toContain(update);
    // C4 alone accepts it: the barrier is inside the window.
    expect(checkTrace(b.events, [createMembarrierOrdering({ missedUpdateClause: false })])).toEqual([]);
  });

  it('a barrier after the rq->curr store (switch_mm_irqs_off()): fine', () => {
    expect(checkTrace(run(true).b.events, [membarrierOrdering])).toEqual([]);
  });

  it('an interval that ends before MB5 with a barrier after it is ordered by (c)-(d): fine', () => {
    expect(checkTrace(run(false, true).b.events, [membarrierOrdering])).toEqual([]);
  });
});
