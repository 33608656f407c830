/**
 * Known findings: problems lazymm found (or refuted) in the modelled kernels, each reproduced by a
 * fixture. `lazymm list` prints them; `lazymm campaign` runs every one on its own engine (expected
 * to fail) and runs the mainline and proposed engines with their proposed-fix knobs on.
 */
import type { EngineSpec } from './run/types';
import type { ModelConfig } from './engine/contract';

export interface Finding {
  id: string;
  title: string;
  /** The engine it was found on (mainline, without the fix). */
  engine: EngineSpec;
  property: string;
  clause: string;
  /** The fixture that reproduces it (relative to the repository root). */
  fixture: string;
  status: 'open-upstream' | 'refuted';
  summary: string;
  /** Knobs that turn the proposed fix on (applied by the campaign to every arch that has the knob). */
  fixKnobs?: Record<string, boolean>;
  /**
   * The machine the campaign's random search runs on, when the campaign's generated configurations
   * (at most 3 CPUs) cannot reach the finding; the fixture's own configuration, typically.
   */
  config?: ModelConfig;
}

export const FINDINGS: Finding[] = [
  {
    id: 'global-expedited-stale-rq-state',
    title: 'membarrier(GLOBAL_EXPEDITED) skips a CPU whose rq->membarrier_state exit_mm() zeroed',
    engine: { arch: 'x86', strategy: 'refcount' },
    property: 'membarrier-ordering',
    clause: 'C4.1 stale rq->membarrier_state',
    fixture: 'fixtures/findings/global-expedited-stale-rq-state.json',
    status: 'open-upstream',
    summary:
      'exit_mm() and kthread_unuse_mm() call membarrier_update_current_mm(NULL) while the CPU stays lazy on the mm; ' +
      'the switch from that lazy task to another thread of the same mm skips membarrier_switch_mm() (prev->active_mm == next->mm), ' +
      "so the runqueue's state stays 0 and membarrier_global_expedited() skips the CPU while a registered thread runs user code there. " +
      'Every arch (the code is generic). Write-up: docs/findings/global-expedited-stale-rq-state.md.',
    fixKnobs: { membarrierSwitchMmFix: true },
  },
  {
    id: 'sync-core-after-kthread-use-mm',
    title: 'x86 without PTI: no core sync after kthread_use_mm() of a lazy mm and a switch to a thread of it',
    engine: { arch: 'x86', strategy: 'refcount' },
    property: 'sync-core-before-usermode',
    clause: 'C3.1 user entry without core serialization',
    fixture: 'fixtures/findings/sync-core-after-kthread-use-mm.json',
    status: 'open-upstream',
    summary:
      "A kthread lazy on mm M calls kthread_use_mm(M): switch_mm_irqs_off() returns early (same mm, fresh TLB: no CR3 write); " +
      'it then switches to a thread of M: a user->user switch, so finish_task_switch() has no prev_mm and skips ' +
      'membarrier_mm_sync_core_before_usermode(); the thread returns by SYSRET with no core serialization since a ' +
      'membarrier(SYNC_CORE) that skipped the CPU (rq->curr->mm was NULL). Nick Piggin\'s case (seeds, Dec 2020). ' +
      'Write-up: docs/findings/sync-core-after-kthread-use-mm.md.',
    fixKnobs: { syncCoreOnLazySameMmSwitch: true },
  },
  {
    id: 'sync-runqueues-stale-single-user-write',
    title: "registration's single-user path writes a stale mm->membarrier_state into the runqueue, dropping another thread's GLOBAL_EXPEDITED",
    engine: { arch: 'x86', strategy: 'refcount', knobs: { membarrierSwitchMmFix: true, syncCoreOnLazySameMmSwitch: true } },
    property: 'membarrier-ordering',
    clause: 'C4.1 stale rq->membarrier_state',
    fixture: 'fixtures/findings/sync-runqueues-stale-single-user-write.json',
    status: 'open-upstream',
    summary:
      'sync_runqueues_membarrier_state() reads mm->membarrier_state on entry and only then tests mm_users == 1; ' +
      'if another thread of the mm registers GLOBAL_EXPEDITED (its IPI sets the caller\'s runqueue, READY is set) and exits in between, ' +
      'the caller sees one user and this_cpu_write()s the value read on entry, without GLOBAL_EXPEDITED, into its runqueue; ' +
      'membarrier_global_expedited() then skips that CPU while the registered thread runs user code. Generic code (every arch); ' +
      'found after splitting the registration into the kernel\'s separate reads (issue 12 item 6). Its CPU-hotplug form needs no ' +
      'exit: with num_online_cpus() == 1 the caller is preempted between the test and the write, a CPU comes online and the caller ' +
      'resumes there (fixtures/findings/sync-runqueues-stale-single-user-write-hotplug.json, found 2026-12-07); the fix must ' +
      'disable preemption before the test.',
    fixKnobs: { syncRunqueuesFreshState: true },
  },
  {
    id: 'global-asid-transition-unlazies',
    title: "x86 INVLPGB: finish_asid_transition()'s flush IPI reloads a lazy CPU onto the global ASID and clears is_lazy",
    engine: { arch: 'x86', strategy: 'refcount', knobs: { invlpgb: true, asidTransition: true } },
    property: 'tlb-coherence',
    clause: "C6.2' lazy task on a non-lazy CPU",
    fixture: 'fixtures/findings/global-asid-transition-unlazies.json',
    status: 'open-upstream',
    summary:
      'Known upstream, reported with a fix by Rik van Riel ("[PATCH] x86/mm: fix race between flush_tlb_func and idle task leave_mm", ' +
      '20 May 2025; not in v6.17-rc3, a later merge not verified). Once consider_global_asid() gives an mm a global ASID, ' +
      "finish_asid_transition() IPIs the whole mm_cpumask; on a CPU that is lazy on the mm, flush_tlb_func()'s mm_needs_global_asid() " +
      'branch reloads the mm through switch_mm_irqs_off() before it tests is_lazy, which clears is_lazy: the CPU stays on the mm ' +
      'non-lazily under a lazy kthread (errata Part 2 E2). Needs more than 3 CPUs running the mm (mm_active_cpus_exceeds(mm, 3)), ' +
      "hence its own configuration. The fix (test is_lazy first) is knob globalAsidLazyFirst.",
    fixKnobs: { globalAsidLazyFirst: true },
    config: { cpus: 5, procs: 1, threads: 4, kthreads: 1 },
  },
  {
    id: 'single-user-shortcuts-miss-kthread-use-mm',
    title: "membarrier's mm_users == 1 short-cuts skip a kthread that kthread_use_mm()s the mm without mm_users (USB gadget async reads)",
    engine: { arch: 'x86', strategy: 'refcount', knobs: { kthreadUseMmWithoutUsers: true, membarrierSwitchMmFix: true, syncCoreOnLazySameMmSwitch: true, syncRunqueuesFreshState: true } },
    property: 'membarrier-ordering',
    clause: 'C4.5 short-cut taken while another CPU accesses a covered mm',
    fixture: 'fixtures/findings/single-user-shortcuts-miss-kthread-use-mm.json',
    status: 'open-upstream',
    summary:
      "v6.17's USB gadget async reads (f_fs.c ffs_user_copy_worker(), legacy/inode.c ep_user_copy_worker()) kthread_use_mm() the submitter's mm " +
      'holding no mm_users, so a single-threaded submitter still sees mm_users == 1: membarrier_private_expedited() returns 0 with no barrier and ' +
      "no IPI while the kthread accesses the mm's user memory, and sync_runqueues_membarrier_state() updates only the caller's runqueue, so " +
      "membarrier_global_expedited() skips the kthread's CPU (fixtures/findings/single-user-shortcuts-miss-kthread-use-mm-global.json), although " +
      '618758ed3a4f makes membarrier cover kthreads in kthread_use_mm() and the multi-user scans select them (p->mm == mm). Every arch (generic code). ' +
      "Closed if the kthread holds mm_users during the use (mmget_not_zero(), as Gabriel Prostitis' June 2026 gadget lifetime fix does): fix knob gadgetWorkerMmget. " +
      'Write-up: docs/findings/single-user-shortcuts-miss-kthread-use-mm.md.',
    fixKnobs: { gadgetWorkerMmget: true },
  },
];
