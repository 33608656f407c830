/**
 * The toy context switch, in three steps other CPUs can interleave with:
 *   1. __schedule(): smp_mb__after_spinlock(), then rq->curr = next (what membarrier's scan reads);
 *   2. context_switch(): the mm switch (a kernel thread borrows prev's mm lazily; a user task gets its
 *      own mm loaded, and toy_switch_mm() syncs the core when that mm is registered for SYNC_CORE),
 *      then switch_to();
 *   3. finish_task_switch(): the runqueue unlock, a full barrier on the toy (the barrier membarrier
 *      needs after rq->curr and before user space), and, with `lazyReturnSyncs`, the core sync of a
 *      kernel-thread -> user switch, which does not switch mm (membarrier_mm_sync_core_before_usermode()).
 * The toy arch's mm switch writes no serializing register and its return to user never serializes.
 */
import { MEMBARRIER_STATE, type TaskId } from 'lazymm/trace';
import type { Emit } from './emit';
import type { SwitchPath, ToyKnobs, ToyState } from './state';

const PATH = 'context_switch';

export function startSwitch(s: ToyState, e: Emit, next: TaskId): void {
  const c = s.cpus[e.cpu];
  e.push({ k: 'path', cpu: e.cpu, fn: PATH, phase: 'begin', task: c.curr });
  e.mb('__schedule');
  c.rqCurr = next;
  s.tasks[next].cpu = e.cpu;
  e.push({ k: 'rq_curr', cpu: e.cpu, fn: '__schedule', task: next });
  c.path = { kind: 'switch', prev: c.curr, next, stage: 1 };
}

const syncCoreRegistered = (s: ToyState, mm: string): boolean =>
  (s.mms[mm].membarrierState & MEMBARRIER_STATE.PRIVATE_EXPEDITED_SYNC_CORE) !== 0;

function switchMm(s: ToyState, e: Emit, p: SwitchPath): void {
  const c = s.cpus[e.cpu];
  const prev = s.tasks[p.prev];
  const next = s.tasks[p.next];
  if (next.mm === null) {
    // A kernel thread runs on whatever mm is loaded (lazy TLB): enter_lazy_tlb(), active_mm borrowed.
    if (prev.mm !== null && !c.lazy) {
      c.lazy = true;
      e.push({ k: 'lazy', cpu: e.cpu, fn: 'enter_lazy_tlb', lazy: true });
    }
    next.activeMm = prev.activeMm;
    e.push({ k: 'task_mm', cpu: e.cpu, fn: PATH, task: next.id, mm: null, activeMm: next.activeMm });
  } else {
    if (c.loadedMm !== next.mm) {
      c.loadedMm = next.mm;
      e.push({ k: 'load_mm', cpu: e.cpu, fn: 'toy_switch_mm', mm: next.mm, cr3Write: false, flushed: false });
      const mask = s.mms[next.mm].cpumask;
      if (!mask.includes(e.cpu)) {
        mask.push(e.cpu);
        e.push({ k: 'cpumask', cpu: e.cpu, fn: 'toy_switch_mm', mm: next.mm, target: e.cpu, set: true });
      }
      if (syncCoreRegistered(s, next.mm)) e.syncCore('toy_switch_mm');
    }
    if (c.lazy) {
      c.lazy = false;
      e.push({ k: 'lazy', cpu: e.cpu, fn: 'toy_switch_mm', lazy: false });
    }
  }
  if (prev.mm === null) {
    prev.activeMm = null;
    e.push({ k: 'task_mm', cpu: e.cpu, fn: PATH, task: prev.id, mm: null, activeMm: null });
  }
}

export function stepSwitch(s: ToyState, e: Emit, p: SwitchPath, knobs: ToyKnobs): void {
  const c = s.cpus[e.cpu];
  if (p.stage === 1) {
    switchMm(s, e, p);
    s.tasks[p.prev].cpu = null;
    c.curr = p.next;
    e.push({ k: 'switch_to', cpu: e.cpu, fn: 'context_switch', prev: p.prev, task: p.next });
    p.stage = 2;
    return;
  }
  e.mb('finish_task_switch');
  const prev = s.tasks[p.prev];
  const next = s.tasks[p.next];
  if (knobs.lazyReturnSyncs && prev.mm === null && next.mm !== null && syncCoreRegistered(s, next.mm)) e.syncCore('finish_task_switch');
  e.push({ k: 'path', cpu: e.cpu, fn: PATH, phase: 'end', task: p.prev });
  c.path = null;
}
