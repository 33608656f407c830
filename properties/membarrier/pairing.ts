/**
 * Which barrier pairing of kernel/sched/membarrier.c's ordering scenarios an unordered interval
 * lacks. The caller's barriers are (a) MB1 before the scan and (c) MB5 after it; the other CPU's
 * are (e) a full barrier after its rq->curr / ->mm update and before user accesses, and (d) a full
 * barrier after its user accesses and before that update. "Using the scenario from (A), we can show
 * that (a) needs to be paired with (e). Using the scenario from (B), we can show that (c) needs to
 * be paired with (d)." An interval that spans the whole window can only be ordered by the
 * IPI-induced barrier (scenario A).
 */
import type { AccessInterval } from './intervals';

/** The clause and the explanation for one unordered interval. */
export interface Pairing {
  /** The clause id, e.g. "C4 interval starts in the window ((a)-(e) pairing missing)". */
  clause: string;
  /** Why, citing the scenarios. */
  why: string;
}

/** Classifies an interval that overlaps the window (tA, tC) of a call with no barrier on its CPU. */
export function missingPairing(iv: AccessInterval, tA: number, tC: number): Pairing {
  const startsInside = iv.start.i > tA;
  const endsInside = iv.end !== null && iv.end.i < tC;
  const kthread = iv.kind === 'kthread';
  if (startsInside && endsInside) {
    return {
      clause: 'C4 interval inside the window (no barrier)',
      why:
        'The interval began after MB1 and ended before MB5 with no full barrier on that CPU at all: both pairings are missing, ' +
        '(a) with (e) (a barrier after the rq->curr/->mm update, before the accesses) and (c) with (d) (a barrier after the accesses, before the next update).',
    };
  }
  if (startsInside) {
    return {
      clause: 'C4 interval starts in the window ((a)-(e) pairing missing)',
      why: kthread
        ? 'Scenario E: kthread_use_mm() must execute a full barrier after tsk->mm = mm and before the kthread accesses user memory (its trailing mmdrop_lazy_tlb(), barrier (g)); it pairs with MB1 (a).'
        : 'Scenarios A and C: MB1 (a) must be paired with a full barrier after the rq->curr update and before returning to user space (e) -- on x86 the switch_mm() CR3 write or finish_task_switch()\'s mmdrop_lazy_tlb().',
    };
  }
  if (endsInside) {
    return {
      clause: 'C4 interval ends in the window ((c)-(d) pairing missing)',
      why: kthread
        ? 'Scenario E: kthread_unuse_mm() must execute a full barrier (smp_mb__after_spinlock(), barrier (d)) before tsk->mm = NULL; it pairs with MB5 (c).'
        : 'Scenarios B, C and D: MB5 (c) must be paired with a full barrier after the user accesses and before the rq->curr / current->mm update (d) -- __schedule()\'s smp_mb__after_spinlock(), or exit_mm()\'s before current->mm = NULL (scenario D).',
    };
  }
  return {
    clause: 'C4 interval spans the window (no IPI barrier)',
    why:
      'The interval covers the whole window, so only the IPI-induced barrier of scenario A (ipi_mb()/ipi_sync_core()/ipi_rseq()) can order it, and that CPU executed none: the scan skipped it or its IPI was not handled before MB5.',
  };
}
