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
  /** exit_mm() keeps its open-coded mmgrab(mm) (hazard strategy as posted, errata Part 3 A11). */
  exitMmAsPosted?: boolean;
}

export interface VariantDef {
  id: string;
  base: { arch: Arch; strategy: Strategy; knobs?: Knobs };
  /** What the variant changes relative to its base engine. */
  change: string;
  /** The property id it must break (machine-readable) ... */
  property: string;
  /** ... and in words, with the clause. */
  breaks: string;
  /** The kernel commit that fixed it, or the thread that found it. */
  fixedBy: string;
  flags: VariantFlags;
  /** Knob values the variant itself sets (the bug), on top of the base's. */
  knobs?: Knobs;
}

export const VARIANTS: readonly VariantDef[] = [
  {
    id: 'no-sync-core-kthread-to-user',
    base: { arch: 'x86', strategy: 'refcount' },
    change: 'finish_task_switch() does not call membarrier_mm_sync_core_before_usermode() on a kernel->user switch',
    property: 'sync-core-before-usermode',
    breaks: 'sync-core-before-usermode (C3.2: user -> kthread -> user of the same mm returns by SYSRET without a core sync)',
    fixedBy: '70216e18e519 "membarrier: Provide core serializing command, *_SYNC_CORE" (v4.16) added the sync; kernel-model.md scenario 1',
    flags: { noSyncCoreKthreadToUser: true },
  },
  {
    id: 'no-lazy-mmgrab',
    base: { arch: 'x86', strategy: 'refcount' },
    change: 'context_switch() user->kernel does not mmgrab_lazy_tlb(prev->active_mm)',
    property: 'refcount-balance',
    breaks: 'refcount-balance (the lazy reference dropped in finish_task_switch() was never taken) / no-lazy-use-after-free',
    fixedBy: 'kernel-model.md scenario 8 mutant; the grab has been in context_switch() since 2.3.13 (Documentation/mm/active_mm.rst)',
    flags: { noLazyMmgrab: true },
  },
  {
    id: 'text-poke-no-leave-mm',
    base: { arch: 'x86', strategy: 'refcount' },
    change: 'use_temporary_mm() does not leave_mm() first when the CPU is lazy',
    property: 'tlb-coherence',
    breaks: 'tlb-coherence (C6.2\': the lazy mm is reloaded non-lazily by unuse_temporary_mm())',
    fixedBy: 'abee7c494d8c "x86/alternative: Don\'t call text_poke() in lazy TLB mode" (Juergen Gross, Oct 2020)',
    flags: { textPokeNoLeaveMm: true },
  },
  {
    id: 'exit-mm-no-barrier',
    // arm64: on x86 task_lock()'s LOCK CMPXCHG is the barrier (src/engine/kernel/spin-lock.ts).
    base: { arch: 'arm64', strategy: 'refcount' },
    change: 'exit_mm() clears current->mm without smp_mb__after_spinlock() first',
    property: 'membarrier-ordering',
    breaks: 'membarrier-ordering (scenario D of kernel/sched/membarrier.c: (c) needs to be paired with (d))',
    fixedBy: '5bc78502322a "sched: fix exit_mm vs membarrier (v4)" (Mathieu Desnoyers, 2020)',
    flags: { exitMmNoBarrier: true },
  },
  {
    id: 'kthread-unuse-mm-no-barrier',
    // arm64: on x86 task_lock()'s LOCK CMPXCHG is the barrier (src/engine/kernel/spin-lock.ts).
    base: { arch: 'arm64', strategy: 'refcount' },
    change: 'kthread_unuse_mm() clears tsk->mm without smp_mb__after_spinlock() first',
    property: 'membarrier-ordering',
    breaks: 'membarrier-ordering (scenario E: (c) needs to be paired with (d))',
    fixedBy: '618758ed3a4f "sched: membarrier: cover kthread_use_mm (v4)" (Mathieu Desnoyers, 2020)',
    flags: { kthreadUnuseMmNoBarrier: true },
  },
  {
    id: 'sync-core-skips-caller',
    base: { arch: 'x86', strategy: 'refcount' },
    change: 'membarrier(PRIVATE_EXPEDITED_SYNC_CORE) IPIs with smp_call_function_many(), skipping the calling CPU',
    property: 'sync-core-before-usermode',
    breaks: 'sync-core-before-usermode (another thread of the mm replaces the caller on its CPU and SYSRETs)',
    fixedBy: 'e45cdc71d1fa "membarrier: Execute SYNC_CORE on the calling thread" (Andy Lutomirski, Dec 2020)',
    flags: { syncCoreSkipsCaller: true },
  },
  {
    id: 'single-thread-short-circuits-sync-core',
    base: { arch: 'x86', strategy: 'refcount' },
    change: 'the mm_users == 1 short-circuit of membarrier_private_expedited() also applies to SYNC_CORE',
    property: 'sync-core-before-usermode',
    breaks: 'sync-core-before-usermode (no barrier and no sync at all for a single-threaded caller)',
    fixedBy: 'e45cdc71d1fa "membarrier: Execute SYNC_CORE on the calling thread" ("Fix single-thread short circuit")',
    flags: { singleThreadShortCircuitsSyncCore: true },
  },
  {
    id: 'sync-core-ipi-preempt-sysret',
    base: { arch: 'x86', strategy: 'refcount' },
    change: 'ipi_sync_core() does only smp_mb(); the IPI return path may schedule to another thread of the mm that returns by SYSRET',
    property: 'sync-core-before-usermode',
    breaks: 'sync-core-before-usermode (seed: "membarrier: Propagate SYNC_CORE and RSEQ actions more carefully")',
    fixedBy: '758c9373d841 "membarrier: Explicitly sync remote cores when SYNC_CORE is requested" (Andy Lutomirski, Dec 2020)',
    flags: { syncCoreIpiOnlyMb: true },
  },
  {
    id: 'lazy-skips-freed-tables-flush',
    base: { arch: 'x86', strategy: 'refcount' },
    change: 'flush_tlb_mm_range() with freed_tables skips lazy CPUs like an ordinary flush',
    property: 'tlb-coherence',
    breaks: 'tlb-coherence (C6.4: page-table frees must reach lazy CPUs)',
    fixedBy: '2ff6ddf19c0e "x86/mm/tlb: Leave lazy TLB mode at page table free time" (Rik van Riel, seed "make lazy TLB mode lazier")',
    flags: { lazySkipsFreedTablesFlush: true },
  },
  {
    id: 'nmi-reads-active-mm',
    base: { arch: 'x86', strategy: 'shootdown', knobs: { unlazyMmIrqsOff: true } },
    change: "NMI readers (perf) dereference current->active_mm at any time (knob nmiReader='active-mm')",
    property: 'no-lazy-use-after-free',
    breaks: 'no-lazy-use-after-free (C2.4: an NMI reads a NULL, temporary or freed active_mm)',
    fixedBy: '81e3cbdef230 "x86/events, x86/insn-eval: Remove incorrect current->active_mm references" (v6.16); seed: Andy Lutomirski\'s reply in the lazy-mm series (NMIs reading active_mm)',
    flags: {},
    knobs: { nmiReader: 'active-mm' },
  },
  {
    id: 'shootdown-temporary-mm-hides-lazy',
    base: { arch: 'x86', strategy: 'shootdown', knobs: { unlazyMmIrqsOff: true } },
    change: "the pre-6.16 efi_enter_mm() points current->active_mm at efi_mm while the CPU is lazy, hiding the lazy mm from do_shoot_lazy_tlb()",
    property: 'no-lazy-use-after-free',
    breaks: 'no-lazy-use-after-free (C2.1/C2.6: efi_leave_mm() restores a freed active_mm)',
    fixedBy: 'e7021e2fe0b4 "x86/efi: Make efi_enter/leave_mm() use the use_/unuse_temporary_mm() machinery" (v6.16); seed: Andy Lutomirski\'s reply to Nick Piggin and Linus (Jan 2022)',
    flags: {},
    knobs: { efiScheme: 'efi_enter_mm' },
  },
  {
    id: 'hotplug-clears-cpumask-while-lazy',
    base: { arch: 'powerpc', strategy: 'shootdown' },
    change: 'CPU offline clears the CPU from mm_cpumask (cleanup_cpu_mmu_context) while it is still lazy on an mm; the switch to init_mm comes late (idle_task_exit)',
    property: 'no-lazy-use-after-free',
    breaks: 'no-lazy-use-after-free (C2.5: the lazy user is unreachable by the shootdown)',
    fixedBy: '21641bd9a7a7 "lazy tlb: fix hotplug exit race with MMU_LAZY_TLB_SHOOTDOWN" (Nicholas Piggin, v6.14): sched_force_init_mm()',
    flags: {},
    knobs: { hotplugFix: false },
  },
  {
    id: 'exec-mmap-irqs-on',
    base: { arch: 'powerpc', strategy: 'shootdown' },
    change: 'exec_mmap() re-enables IRQs between tsk->active_mm = mm and activate_mm(), so a shootdown IPI for the old lazy mm finds active_mm already changed',
    property: 'no-lazy-use-after-free',
    breaks: 'no-lazy-use-after-free (C2.9: IRQs back on between the active_mm store and activate_mm(); if a shootdown IPI lands there, C2.3: the CPU still translates through the freed old mm)',
    fixedBy: '"mm: fix exec activate_mm vs TLB shootdown and lazy tlb switching race" and "powerpc: select ARCH_WANT_IRQS_OFF_ACTIVATE_MM" (Nicholas Piggin, v5.10)',
    flags: {},
    knobs: { irqsOffActivateMm: false },
  },
  {
    id: 'kthread-use-mm-same-mm-no-sync-core',
    base: { arch: 'x86', strategy: 'refcount', knobs: { membarrierSwitchMmFix: true } },
    change: 'none: current mainline x86 without PTI (a kthread lazy on the mm calls kthread_use_mm(), then switches to a thread of the mm that SYSRETs)',
    property: 'sync-core-before-usermode',
    breaks: 'sync-core-before-usermode (C3.1)',
    fixedBy: 'open upstream (lazymm finding; Nick Piggin\'s case in the seeds, Dec 2020); proposed fix: knob syncCoreOnLazySameMmSwitch',
    flags: {},
  },
  {
    id: 'hazard-exit-mm-as-posted',
    base: { arch: 'x86', strategy: 'hazard' },
    change: "exit_mm() as Andy Lutomirski's Jan 2022 series posted it: not converted to __change_current_mm_to_kernel(), it keeps its counted mmgrab(mm), and with rq->prev_mm and finish_task_switch()'s mmdrop() gone (patch 16/23) nothing drops it",
    property: 'refcount-balance',
    breaks: 'refcount-balance (C1.4: the exited mm is never freed; its last reference is a grab owned by a dead task)',
    fixedBy: "unmerged series (cover.1641659630.git.luto@kernel.org; errata Part 3 A11: the series' diffstat touches kernel/exit.c by one line, patch 5/23's WRITE_ONCE(current->mm, NULL)); lazymm's x86/hazard engine models exit_mm() converted, an assumed fix",
    flags: { exitMmAsPosted: true },
  },
  {
    id: 'flush-skips-switching-cpu',
    base: { arch: 'x86', strategy: 'refcount' },
    property: 'tlb-coherence',
    change: 'should_flush_tlb() without the LOADED_MM_SWITCHING clause, and LOADED_MM_SWITCHING stored after the tlb_gen read (v6.14.0)',
    breaks: 'tlb-coherence (C6.4: a CPU switching to the mm read the old tlb_gen, the flusher skipped it, and it runs user code on a stale TLB)',
    fixedBy: 'fea4e317f9e7 "x86/mm: Eliminate window where TLB flushes may be inadvertently skipped" (Dave Hansen, v6.15; CVE-2025-37964)',
    flags: {},
    knobs: { flushFilter: 'shouldFlushNoSwitching', switchingStore: 'afterTlbGenRead' },
  },
  {
    id: 'switching-store-after-tlb-gen-read',
    base: { arch: 'x86', strategy: 'refcount' },
    property: 'tlb-coherence',
    change: 'should_flush_tlb() with the LOADED_MM_SWITCHING clause, but the store still after the tlb_gen read (the 6.1/6.6/6.12 stable backports)',
    breaks: 'tlb-coherence (C6.4: the flusher sees the old loaded_mm, not SWITCHING, and skips the CPU)',
    fixedBy: 'reported by Stephen Dolan for the 6.1/6.6/6.12 stable trees (9 Oct 2025, Message-Id CAHDw0oGd0B4=uuv8NGqbUQ_ZVmSheU2bN70e4QhFXWvuAZdt2w@mail.gmail.com); mainline has the store first since v6.15',
    flags: {},
    knobs: { switchingStore: 'afterTlbGenRead' },
  },
  {
    id: 'switching-store-no-mb-in-cpumask',
    base: { arch: 'x86', strategy: 'refcount' },
    property: 'tlb-coherence',
    change: "switch_mm_irqs_off() without the 'else smp_mb()' when the CPU is already in mm_cpumask(next) (v6.15-v6.17): only barrier() orders the LOADED_MM_SWITCHING store before the tlb_gen read, so the store can wait in the x86 store buffer past it (needs the default store buffer, storeBuffer='rq-membarrier-state+tlbstate')",
    breaks: 'tlb-coherence (C6.4: the switching CPU read the old tlb_gen, the flusher still read the old loaded_mm from memory and skipped it)',
    fixedBy: '83b0177a6c48 "x86/mm: Fix SMP ordering in switch_mm_irqs_off()" (Peter Zijlstra / Ingo Molnar, reported by Stephen Dolan; Fixes: 209954cbc7d0 "x86/mm/tlb: Update mm_cpumask lazily"; v6.18, CVE-2025-40174); thread: Stephen Dolan, "x86/mm: Finishing off the fix for a should_flush_tlb race", LKML 9 Oct 2025',
    flags: {},
    knobs: { switchingStoreFence: 'barrier' },
  },
];

export function variantById(id: string): VariantDef | undefined {
  return VARIANTS.find((v) => v.id === id);
}
