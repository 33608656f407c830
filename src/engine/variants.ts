/**
 * Named engine variants: historical kernel bugs (fixed since) and reviewed-but-unmerged designs,
 * each a set of flags the kernel core consults at the one place the bug lived. Every variant names
 * its base engine, the property it must break, and the commit or thread that fixed or found it.
 */
import type { Arch, Strategy } from '../trace/events';
import type { Knobs } from './contract';

export interface VariantFlags {
  /** finish_task_switch() without membarrier_mm_sync_core_before_usermode(). */
  noSyncCoreKthreadToUser?: boolean;
  /** context_switch() user->kernel without mmgrab_lazy_tlb(). */
  noLazyMmgrab?: boolean;
  /** use_temporary_mm() without the initial leave_mm(). */
  textPokeNoLeaveMm?: boolean;
  /** exit_mm() without smp_mb__after_spinlock() before current->mm = NULL. */
  exitMmNoBarrier?: boolean;
  /** kthread_unuse_mm() without its barrier before tsk->mm = NULL. */
  kthreadUnuseMmNoBarrier?: boolean;
  /** membarrier SYNC_CORE does not run the sync on the calling CPU (smp_call_function_many). */
  syncCoreSkipsCaller?: boolean;
  /** The mm_users == 1 short-circuit also applies to SYNC_CORE. */
  singleThreadShortCircuitsSyncCore?: boolean;
  /** ipi_sync_core() does only smp_mb(); the core sync is left to the (possibly SYSRET) return. */
  syncCoreIpiOnlyMb?: boolean;
  /** Page-table-freeing flushes skip lazy CPUs like ordinary flushes do. */
  lazySkipsFreedTablesFlush?: boolean;
}

export interface VariantDef {
  id: string;
  base: { arch: Arch; strategy: Strategy; knobs?: Knobs };
  /** What the variant changes relative to its base engine. */
  change: string;
  /** The property (and clause) it must break. */
  breaks: string;
  /** The kernel commit that fixed it, or the thread that found it. */
  fixedBy: string;
  flags: VariantFlags;
}

export const VARIANTS: readonly VariantDef[] = [
  {
    id: 'no-sync-core-kthread-to-user',
    base: { arch: 'x86', strategy: 'refcount' },
    change: 'finish_task_switch() does not call membarrier_mm_sync_core_before_usermode() on a kernel->user switch',
    breaks: 'sync-core-before-usermode (C3.2: user -> kthread -> user of the same mm returns by SYSRET without a core sync)',
    fixedBy: '70216e18e519 "membarrier: Provide core serializing command, *_SYNC_CORE" (v4.16) added the sync; kernel-model.md scenario 1',
    flags: { noSyncCoreKthreadToUser: true },
  },
  {
    id: 'no-lazy-mmgrab',
    base: { arch: 'x86', strategy: 'refcount' },
    change: 'context_switch() user->kernel does not mmgrab_lazy_tlb(prev->active_mm)',
    breaks: 'refcount-balance (the lazy reference dropped in finish_task_switch() was never taken) / no-lazy-use-after-free',
    fixedBy: 'kernel-model.md scenario 8 mutant; the grab has been in context_switch() since 2.3.13 (Documentation/mm/active_mm.rst)',
    flags: { noLazyMmgrab: true },
  },
  {
    id: 'text-poke-no-leave-mm',
    base: { arch: 'x86', strategy: 'refcount' },
    change: 'use_temporary_mm() does not leave_mm() first when the CPU is lazy',
    breaks: 'tlb-coherence (C6.2\': the lazy mm is reloaded non-lazily by unuse_temporary_mm())',
    fixedBy: 'abee7c494d8c "x86/alternative: Don\'t call text_poke() in lazy TLB mode" (Juergen Gross, Oct 2020)',
    flags: { textPokeNoLeaveMm: true },
  },
  {
    id: 'exit-mm-no-barrier',
    base: { arch: 'x86', strategy: 'refcount' },
    change: 'exit_mm() clears current->mm without smp_mb__after_spinlock() first',
    breaks: 'membarrier-ordering (scenario D of kernel/sched/membarrier.c: (c) needs to be paired with (d))',
    fixedBy: '5bc78502322a "sched: fix exit_mm vs membarrier (v4)" (Mathieu Desnoyers, 2020)',
    flags: { exitMmNoBarrier: true },
  },
  {
    id: 'kthread-unuse-mm-no-barrier',
    base: { arch: 'x86', strategy: 'refcount' },
    change: 'kthread_unuse_mm() clears tsk->mm without smp_mb__after_spinlock() first',
    breaks: 'membarrier-ordering (scenario E: (c) needs to be paired with (d))',
    fixedBy: '618758ed3a4f "sched: membarrier: cover kthread_use_mm (v4)" (Mathieu Desnoyers, 2020)',
    flags: { kthreadUnuseMmNoBarrier: true },
  },
  {
    id: 'sync-core-skips-caller',
    base: { arch: 'x86', strategy: 'refcount' },
    change: 'membarrier(PRIVATE_EXPEDITED_SYNC_CORE) IPIs with smp_call_function_many(), skipping the calling CPU',
    breaks: 'sync-core-before-usermode (another thread of the mm replaces the caller on its CPU and SYSRETs)',
    fixedBy: 'e45cdc71d1fa "membarrier: Execute SYNC_CORE on the calling thread" (Andy Lutomirski, Dec 2020)',
    flags: { syncCoreSkipsCaller: true },
  },
  {
    id: 'single-thread-short-circuits-sync-core',
    base: { arch: 'x86', strategy: 'refcount' },
    change: 'the mm_users == 1 short-circuit of membarrier_private_expedited() also applies to SYNC_CORE',
    breaks: 'sync-core-before-usermode (no barrier and no sync at all for a single-threaded caller)',
    fixedBy: 'e45cdc71d1fa "membarrier: Execute SYNC_CORE on the calling thread" ("Fix single-thread short circuit")',
    flags: { singleThreadShortCircuitsSyncCore: true },
  },
  {
    id: 'sync-core-ipi-preempt-sysret',
    base: { arch: 'x86', strategy: 'refcount' },
    change: 'ipi_sync_core() does only smp_mb(); the IPI return path may schedule to another thread of the mm that returns by SYSRET',
    breaks: 'sync-core-before-usermode (seed: "membarrier: Propagate SYNC_CORE and RSEQ actions more carefully")',
    fixedBy: '758c9373d841 "membarrier: Explicitly sync remote cores when SYNC_CORE is requested" (Andy Lutomirski, Dec 2020)',
    flags: { syncCoreIpiOnlyMb: true },
  },
  {
    id: 'lazy-skips-freed-tables-flush',
    base: { arch: 'x86', strategy: 'refcount' },
    change: 'flush_tlb_mm_range() with freed_tables skips lazy CPUs like an ordinary flush',
    breaks: 'tlb-coherence (C6.4: page-table frees must reach lazy CPUs)',
    fixedBy: '2ff6ddf19c0e "x86/mm/tlb: Leave lazy TLB mode at page table free time" (Rik van Riel, seed "make lazy TLB mode lazier")',
    flags: { lazySkipsFreedTablesFlush: true },
  },
];

export function variantById(id: string): VariantDef | undefined {
  return VARIANTS.find((v) => v.id === id);
}
