/**
 * C4.1 (kernel-model.md; errata Part 3 A1): a CPU running user code of an mm registered for
 * GLOBAL_EXPEDITED (GLOBAL_EXPEDITED_READY in mm->membarrier_state) must have GLOBAL_EXPEDITED in
 * rq->membarrier_state, because membarrier_global_expedited() reads only the per-rq copy ("if
 * (!(READ_ONCE(cpu_rq(cpu)->membarrier_state) & MEMBARRIER_STATE_GLOBAL_EXPEDITED)) continue;").
 *
 * Current mainline (6.17) is believed to violate this: exit_mm()/kthread_unuse_mm() zero the rq
 * state while the CPU stays lazy on M, and context_switch()'s membarrier_switch_mm(rq,
 * prev->active_mm, next->mm) returns early on the lazy -> same-mm switch (scenario 14). A finding
 * here is expected, not a bug of the property.
 */
import { MEMBARRIER_STATE, type CpuId } from '../../src/trace/events';
import type { Violation } from '../property';
import { Explanation, violation, type EventRef } from '../lib/explain';
import type { Mirror } from '../lib/mirror';

/** The clause id of C4.1. */
export const RQ_STATE_CLAUSE = 'C4.1 stale rq->membarrier_state';

const hex = (n: number): string => `0x${n.toString(16)}`;

/** Checks CPU `cpu` after `trigger` (a user_enter, or a change of either membarrier state). */
export function checkRqState(property: string, mirror: Mirror, cpu: CpuId, i: number, trigger: EventRef): Violation | null {
  const c = mirror.cpu(cpu);
  if (c.mode !== 'user') return null;
  const t = mirror.task(c.current);
  if (t.mm === null) return null;
  const m = mirror.mm(t.mm);
  if ((m.membarrierState & MEMBARRIER_STATE.GLOBAL_EXPEDITED_READY) === 0) return null;
  if ((c.rqMembarrierState & MEMBARRIER_STATE.GLOBAL_EXPEDITED) !== 0) return null;
  const x = new Explanation();
  x.say(`At ${x.ref(trigger)}, cpu${cpu} runs ${t.id} of ${m.id} in user mode (since ${x.ref(c.lastUserEnter, 'boot')})`);
  x.say(`and ${m.id} is registered for GLOBAL_EXPEDITED (membarrier_state ${hex(m.membarrierState)}, set by ${x.ref(m.lastMembarrierState, 'the init event')}),`);
  x.say(`but rq->membarrier_state of cpu${cpu} is ${hex(c.rqMembarrierState)} (set by ${x.ref(c.lastRqMembarrierState, 'the init event')}),`);
  x.say(`so membarrier_global_expedited() would skip cpu${cpu}. ${t.id} got there by ${x.ref(c.lastSwitchTo, 'no switch_to')};`);
  x.say(`context_switch() calls membarrier_switch_mm(rq, prev->active_mm, next->mm), which returns early when prev->active_mm is next's mm (a lazy prev or a thread of the same mm), so no switch refreshed the rq state`);
  const rqAt = c.lastRqMembarrierState?.i ?? 0;
  const mmAt = m.lastMembarrierState?.i ?? 0;
  x.say(rqAt > mmAt || mmAt === 0
    ? `after exit_mm()/kthread_unuse_mm() zeroed it (membarrier_update_current_mm(NULL); trigger (i)).`
    : `after the registration missed this CPU: sync_runqueues_membarrier_state() IPIs only CPUs whose curr->mm is the mm (this one was lazy), or, with one user, updates only the caller's runqueue (triggers (ii)/(iii)).`);
  x.say(`kernel-model.md scenario 14, errata Part 3 A1: expected on 6.17.`);
  return violation({ property, clause: RQ_STATE_CLAUSE, index: i, mm: m.id, cpus: [cpu] }, x);
}
