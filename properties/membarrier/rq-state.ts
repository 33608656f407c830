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
  x.say(`so membarrier_global_expedited() would skip cpu${cpu}.`);
  explainCause(x, mirror, cpu);
  return violation({ property, clause: RQ_STATE_CLAUSE, index: i, mm: m.id, cpus: [cpu] }, x);
}

/** What each writer of rq->membarrier_state does (kernel/sched/membarrier.c, kernel/sched/sched.h). */
const WRITERS: Record<string, string> = {
  membarrier_update_current_mm: 'membarrier_update_current_mm() (exit_mm(), kthread_use_mm() or kthread_unuse_mm() changing current->mm) set it',
  membarrier_exec_mmap: 'membarrier_exec_mmap() cleared it for the new mm of an exec',
  membarrier_switch_mm: "membarrier_switch_mm() copied the next task's mm state at a context switch",
  ipi_sync_rq_state: "ipi_sync_rq_state() copied an mm's state during a registration",
  sync_runqueues_membarrier_state: "sync_runqueues_membarrier_state()'s single-user path copied the registering mm's state",
};

/**
 * Why the rq state is stale, from the trace: who wrote the value it holds, whether a registration
 * came after that write without reaching this CPU, and whether the switches since then skipped the
 * refresh (membarrier_switch_mm(rq, prev->active_mm, next->mm) returns early when the two are equal).
 */
function explainCause(x: Explanation, mirror: Mirror, cpu: CpuId): void {
  const c = mirror.cpu(cpu);
  const t = mirror.task(c.current);
  const m = mirror.mm(t.mm as string);
  const w = c.lastRqMembarrierState;
  const writeAt = w?.i ?? 0;
  x.say(w === null ? `rq->membarrier_state has had its boot value all along.` : `${x.ref(w)}: ${WRITERS[w.ev.fn] ?? `${w.ev.fn} set it`}.`);
  const reg = m.lastMembarrierState;
  const missed = reg !== null && reg.i > writeAt;
  const sw0 = c.lastSwitchTo;
  // The single-user path's write with no switch since: its value was read before the mm_users test.
  const staleEntryRead = w !== null && w.ev.k === 'rq_membarrier_state' && w.ev.fn === 'sync_runqueues_membarrier_state' && !(sw0 !== null && sw0.i > writeAt);
  if (missed && !staleEntryRead) {
    x.say(`Then ${x.ref(reg)} changed ${m.id}'s state without reaching cpu${cpu}'s runqueue: sync_runqueues_membarrier_state() updates only the caller's runqueue when the mm has one user, and otherwise IPIs only the CPUs whose rq->curr->mm is the mm at that moment.`);
  }
  const sw = c.lastSwitchTo;
  const switchedSince = sw !== null && sw.i > Math.max(writeAt, missed ? (reg as { i: number }).i : 0) && sw.ev.k === 'switch_to';
  let lazySameMm = false;
  if (switchedSince && sw.ev.k === 'switch_to') {
    const prev = mirror.task(sw.ev.prev);
    lazySameMm = prev.type !== 'user' || prev.tgid !== t.tgid || prev.mm === null;
    x.say(`${t.id} got onto cpu${cpu} by ${x.ref(sw)} from ${prev.id} (${prev.type === 'user' && prev.mm !== null ? `a thread of ${prev.mm}` : 'with no mm of its own, lazy on the mm'}):`);
    x.say(`membarrier_switch_mm(rq, prev->active_mm, next->mm) returned early because prev->active_mm was ${m.id}, so the switch did not refresh the rq state.`);
  } else {
    x.say(`cpu${cpu} has not switched tasks since, so nothing refreshed it.`);
  }
  if (staleEntryRead) {
    x.say(`sync_runqueues_membarrier_state()'s single-user path writes the mm->membarrier_state it read on entry, before its mm_users test: a GLOBAL_EXPEDITED registration by another thread of ${m.id} in between (that thread then exited, leaving one user) is overwritten. This is lazymm finding sync-runqueues-stale-single-user-write (issue 12): expected on 6.17 without the proposed fix (knob syncRunqueuesFreshState).`);
  } else if (switchedSince && lazySameMm && w !== null && w.ev.fn === 'membarrier_update_current_mm') {
    x.say(`This is kernel-model.md scenario 14 (errata Part 3 A1, trigger (i)): expected on 6.17 without the proposed fix.`);
  } else if (missed) {
    x.say(`This is errata Part 3 A1's trigger (ii)/(iii) (a registration that missed a lazy CPU): expected on 6.17.`);
  }
}
