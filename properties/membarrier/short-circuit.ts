/**
 * C4.5: a call that returned 0 without its barriers (the short-cut) must have had nothing to order:
 * no other online CPU was running user code of a covered mm.
 *
 * kernel/sched/membarrier.c returns 0 before MB1 only where no other thread can observe the missing
 * barriers: membarrier_global_expedited() "if (num_online_cpus() == 1) return 0;" (no other CPU runs
 * anything), membarrier_private_expedited() "if (flags != MEMBARRIER_FLAG_SYNC_CORE &&
 * (atomic_read(&mm->mm_users) == 1 || num_online_cpus() == 1)) return 0;" (the caller is the mm's
 * only user, or no other CPU runs). C4 judges the window (MB1, MB5) of a call that reached MB5 and
 * has nothing to judge for a short-circuited call, so a short-cut taken where its condition does not
 * hold went unseen (found by the force-cond mutant of membarrier_global_expedited()'s short-cut,
 * docs/mutants.md). The clause states what the short-cut relies on: at the call's `return` (the
 * short-cut is one step from `enter`), no online CPU other than the caller's is in user mode running
 * a task other than the caller whose mm the call covers (the call's mm for the PRIVATE kinds, every
 * mm with GLOBAL_EXPEDITED_READY for GLOBAL_EXPEDITED). Kthreads that kthread_use_mm() the mm are not
 * judged: they hold no mm_users (kthread_use_mm() takes mmgrab() only), so the kernel's mm_users == 1
 * short-cut does not order them either.
 */
import type { MembarrierEvent, MmId } from '../../src/trace/events';
import type { Violation } from '../property';
import { Explanation, violation } from '../lib/explain';
import type { CallRecord } from '../lib/membarrier-calls';
import type { Mirror } from '../lib/mirror';

export const SHORT_CIRCUIT_CLAUSE = 'C4.5 short-cut taken while another CPU runs user code of a covered mm';

/** At a short-circuited call's `return` (index `i`): another online CPU in user mode on a covered mm. */
export function checkShortCircuit(property: string, mirror: Mirror, c: CallRecord, ev: MembarrierEvent, i: number, covered: ReadonlySet<MmId>): Violation | null {
  if (ev.phase !== 'return' || ev.ret !== 0 || ev.shortCircuit !== true) return null;
  for (const cpu of mirror.cpus) {
    if (cpu.id === ev.cpu || !cpu.online || cpu.mode !== 'user') continue;
    const t = mirror.task(cpu.current);
    if (t.id === c.task || t.mm === null || !covered.has(t.mm)) continue;
    const x = new Explanation();
    x.say(`membarrier(${c.cmd}) call ${c.call} by ${c.task} on cpu${ev.cpu} entered ${x.ref(c.enter)} and returned 0 at event ${i} without its barriers (the short-cut),`);
    x.say(`while cpu${cpu.id} was online and running user code of ${t.mm} (${t.id}), which the call covers: nothing orders that thread's accesses with the caller's.`);
    x.say(c.cmd === 'GLOBAL_EXPEDITED'
      ? 'kernel/sched/membarrier.c membarrier_global_expedited(): "if (num_online_cpus() == 1) return 0;" -- the short-cut is only right when no other CPU runs.'
      : 'kernel/sched/membarrier.c membarrier_private_expedited(): the short-cut needs "atomic_read(&mm->mm_users) == 1 || num_online_cpus() == 1" -- the caller alone in its mm, or alone on the machine.');
    return violation({ property, clause: SHORT_CIRCUIT_CLAUSE, index: i, mm: t.mm, cpus: [ev.cpu, cpu.id] }, x);
  }
  return null;
}
