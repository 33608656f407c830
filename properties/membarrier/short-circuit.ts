/**
 * C4.5: a call that returned 0 without its barriers (the short-cut) must have had nothing to order:
 * no other online CPU was accessing a covered mm (user code of it, or a kthread inside
 * kthread_use_mm() of it).
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
 * mm with GLOBAL_EXPEDITED_READY for GLOBAL_EXPEDITED), and no kthread runs there between
 * kthread_use_mm() and kthread_unuse_mm() of a covered mm (scenario E: 618758ed3a4f "sched:
 * membarrier: cover kthread_use_mm" makes membarrier "apply to kthreads accessing user-space memory
 * as well", and the scan selects such a kthread, `p->mm == mm`). A kthread that took mm_users first
 * (get_task_mm(), mmget_not_zero()) makes mm_users >= 2, so the short-cut is not taken while it runs;
 * one that holds no mm_users (v6.17's USB gadget async reads, engine knob kthreadUseMmWithoutUsers)
 * is what the short-cut misses.
 */
import type { MembarrierEvent, MmId } from '../../src/trace/events';
import type { Violation } from '../property';
import { Explanation, violation } from '../lib/explain';
import type { CallRecord } from '../lib/membarrier-calls';
import type { Mirror } from '../lib/mirror';
import type { IntervalLog } from './intervals';

export const SHORT_CIRCUIT_CLAUSE = 'C4.5 short-cut taken while another CPU accesses a covered mm';

/** At a short-circuited call's `return` (index `i`): another online CPU in user mode on a covered mm. */
export function checkShortCircuit(property: string, mirror: Mirror, log: IntervalLog, c: CallRecord, ev: MembarrierEvent, i: number, covered: ReadonlySet<MmId>): Violation | null {
  if (ev.phase !== 'return' || ev.ret !== 0 || ev.shortCircuit !== true) return null;
  for (const cpu of mirror.cpus) {
    if (cpu.id === ev.cpu || !cpu.online) continue;
    const t = mirror.task(cpu.current);
    const kthread = log.openKthread(cpu.id);
    let what: string;
    let mm: MmId;
    if (cpu.mode === 'user' && t.id !== c.task && t.mm !== null && covered.has(t.mm)) {
      what = `running user code of ${t.mm} (${t.id})`;
      mm = t.mm;
    } else if (kthread !== null && covered.has(kthread.mm)) {
      what = `running ${kthread.task}, a kthread accessing ${kthread.mm} through kthread_use_mm() since event ${kthread.start.i}`;
      mm = kthread.mm;
    } else {
      continue;
    }
    const x = new Explanation();
    x.say(`membarrier(${c.cmd}) call ${c.call} by ${c.task} on cpu${ev.cpu} entered ${x.ref(c.enter)} and returned 0 at event ${i} without its barriers (the short-cut),`);
    x.say(`while cpu${cpu.id} was online and ${what}, which the call covers: nothing orders that thread's accesses with the caller's.`);
    x.say(c.cmd === 'GLOBAL_EXPEDITED'
      ? 'kernel/sched/membarrier.c membarrier_global_expedited(): "if (num_online_cpus() == 1) return 0;" -- the short-cut is only right when no other CPU runs.'
      : 'kernel/sched/membarrier.c membarrier_private_expedited(): the short-cut needs "atomic_read(&mm->mm_users) == 1 || num_online_cpus() == 1" -- the caller alone in its mm, or alone on the machine.');
    return violation({ property, clause: SHORT_CIRCUIT_CLAUSE, index: i, mm, cpus: [ev.cpu, cpu.id] }, x);
  }
  return null;
}
