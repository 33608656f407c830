/**
 * C4.2: the caller's own barriers MB1 and MB5 (kernel/sched/membarrier.c membarrier_private_expedited()
 * and membarrier_global_expedited(): "smp_mb(); /* system call entry is not a mb. *\/" before the scan,
 * "smp_mb(); /* exit from system call is not a mb *\/" after it). The C4 window check measures the
 * window from the `mb_start` / `mb_end` events and so cannot see these barriers themselves; the
 * ordering scenarios at the top of membarrier.c state why both are required:
 * (A) "The memory barrier at the start of membarrier() on CPU0 is necessary in order to enforce the
 * guarantee that any writes occurring on CPU0 before the membarrier() is executed will be visible to
 * any code executing on CPU1 after the IPI-induced memory barrier";
 * (B) "The memory barrier at the end of membarrier() on CPU0 is necessary in order to enforce the
 * guarantee that any writes occurring on CPU1 before the membarrier() is executed will be visible to
 * any code executing on CPU0 after the membarrier()".
 * The trace format says the same (docs/trace-format.md; src/trace-io/sufficiency-rules.ts
 * `membarrierBarrier`: MB1 and MB5 are an `mb` followed by the `membarrier` event of phase
 * mb_start / mb_end).
 *
 * Checked: at `mb_start`, the CPU executed a full barrier after the call's `enter` (no earlier
 * barrier orders the caller's pre-call accesses: the syscall entry is not one); at `mb_end`, the CPU
 * executed a full barrier after the call's last `membarrier_scan` (the scan's rq->curr reads and the
 * IPI completion must be ordered before the caller's accesses after the return). Another full
 * barrier on the same CPU in those ranges (an IPI handler's, or __schedule()'s when the caller was
 * preempted) orders the same accesses and is accepted.
 */
import type { CpuId } from '../../src/trace/events';
import type { Violation } from '../property';
import { Explanation, violation, type EventRef } from '../lib/explain';
import type { CallRecord } from '../lib/membarrier-calls';
import type { Mirror } from '../lib/mirror';

export const MB1_CLAUSE = 'C4.2 caller entry barrier MB1 missing (scenario A)';
export const MB5_CLAUSE = 'C4.2 caller exit barrier MB5 missing (scenario B)';

function lastScan(c: CallRecord): EventRef | null {
  let last: EventRef | null = null;
  for (const r of c.scans.values()) if (last === null || r.i > last.i) last = r;
  return last;
}

/** Checks the caller barrier that the `mb_start` or `mb_end` event at index `i` on `cpu` stands for. */
export function checkCallerBarrier(property: string, mirror: Mirror, c: CallRecord, phase: 'mb_start' | 'mb_end', cpu: CpuId, i: number): Violation | null {
  const after = phase === 'mb_start' ? c.enter : (lastScan(c) ?? c.mbStart ?? c.enter);
  const cs = mirror.cpu(cpu);
  if (cs.lastMb > after.i) return null;
  const x = new Explanation();
  const which = phase === 'mb_start' ? 'MB1' : 'MB5';
  x.say(`membarrier(${c.cmd}) call ${c.call} by ${c.task} reached ${phase} (${which}) at event ${i} on cpu${cpu},`);
  x.say(`but cpu${cpu} executed no full barrier after ${x.ref(after)} (its last barrier is ${cs.lastMbEv === null ? 'none' : x.ev(cs.lastMbEv, cs.lastMb)}).`);
  x.say(phase === 'mb_start'
    ? 'kernel/sched/membarrier.c scenario A: the barrier at the start of membarrier() orders the caller\'s earlier writes before the scan and the IPI-induced barriers ("system call entry is not a mb").'
    : 'kernel/sched/membarrier.c scenario B: the barrier at the end of membarrier() orders the scan (rq->curr reads, IPI completion) before the caller\'s later accesses ("exit from system call is not a mb").');
  return violation({ property, clause: phase === 'mb_start' ? MB1_CLAUSE : MB5_CLAUSE, index: i, mm: c.mm, cpus: [cpu] }, x);
}
