/**
 * The INVLPGB global-ASID transition scenario (issue 12 item 7, errata Part 2 E2): used by
 * global-asid-transition.test.ts and recorded as fixtures/findings/global-asid-transition-unlazies.json.
 */
import { drain, steps, type drive } from './drive';

type Script = Parameters<typeof drive>[2];
export const config = { cpus: 5, procs: 1, threads: 4, kthreads: 1 };
export const spec = (fix: boolean) => ({ arch: 'x86' as const, strategy: 'refcount' as const, knobs: { invlpgb: true, asidTransition: true, globalAsidLazyFirst: fix } });

/** T1..T4 run mm1 on CPUs 0-3; T4 yields to K1 on CPU3 (lazy on mm1) and moves to CPU4. */
export const setup: Script = [
  { op: 'syscall', cpu: 3 }, { op: 'schedule', cpu: 3, next: 'K1' }, drain(3),
  { op: 'schedule', cpu: 4, next: 'T4' }, drain(4),
  { op: 'syscall', cpu: 0 },
];
/** An IPI flush from CPU0 whose consider_global_asid() passes: 4 CPUs run mm1 non-lazily -> global ASID. */
export const assign: Script = [
  { op: 'flush_tlb', cpu: 0, freedTables: false, considerGlobalAsid: true },
  ...steps(0, 10), // the snapshot, should_flush_tlb() of CPUs 1-4 (two reads each; CPU3 is lazy: skipped), the local flush
  { op: 'ipi', cpu: 1 }, { op: 'ipi', cpu: 2 }, { op: 'ipi', cpu: 4 },
  { op: 'step', cpu: 0 }, // the wait is over; consider_global_asid()
];
/** The next flush: INVLPGB, then finish_asid_transition() IPIs CPUs 1-4 (CPU3 lazy included). */
export const transition: Script = [
  { op: 'flush_tlb', cpu: 0, freedTables: false },
  ...steps(0, 2), // broadcast_tlb_flush(); finish_asid_transition()
  { op: 'ipi', cpu: 3 },
  { op: 'ipi', cpu: 1 }, { op: 'ipi', cpu: 2 }, { op: 'ipi', cpu: 4 },
  { op: 'step', cpu: 0 },
];

