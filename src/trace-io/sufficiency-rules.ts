/**
 * Which event kinds each property's verdict depends on, and the evidence that a complete trace
 * would contain them (docs/engine-contract.md, "When an event is missing", prints this table).
 *
 * A property can only be *silently* wrong about a trace that lacks an event kind it reads when the
 * missing events would have made it fail. So each rule names a kind, the evidence after which a
 * complete trace has at least one event of that kind (derived from the kernel paths and the ordering
 * conventions of docs/trace-format.md), and why the property needs it. Kinds whose absence can only
 * make a property fail (for example `path`, whose absence exposes in-flight windows to the state
 * invariants) are not listed: a failure is never silent.
 */
import type { EventKind, InitEvent } from '../trace/events';
import type { EvidenceKey } from './trace-facts';

/** One requirement: `kind` must occur once any of `evidence` has been seen. */
export interface SufficiencyRule {
  kind: EventKind;
  evidence: readonly EvidenceKey[];
  /** What the property does with the kind (why it cannot judge without it). */
  needs: string;
  /** The rule holds only for traces whose init event passes this (for example one strategy). */
  onlyIf?: (init: InitEvent) => boolean;
}

const refcountOnly = (init: InitEvent): boolean => init.strategy === 'refcount';

/** What each piece of evidence implies, for the report ("... so a complete trace has a `serialize`"). */
export const EVIDENCE_TEXT: Record<EvidenceKey, string> = {
  userEnterIret: 'an x86 IRET to user mode serializes: the trace format puts its `serialize` before the `user_enter`',
  userEnterPti: 'with PTI every x86 return to user mode writes CR3, which serializes (`serialize` how "pti_cr3")',
  userEnterEretRfi: 'on arm64 (ERET) and powerpc (RFI) every return to user mode is context synchronizing (`serialize`)',
  cr3Write: 'an x86 CR3 write is `load_mm` then `mb` then `serialize` (trace-format.md convention 5)',
  doSyncCore: "text_poke's do_sync_core() IPI handler executes sync_core()",
  membarrierScan: "a membarrier scan belongs to a membarrier() call, whose `membarrier` events are missing",
  membarrierIpi: 'ipi_mb / ipi_sync_core / ipi_rseq are only sent by membarrier() calls',
  membarrierBarrier: "membarrier's MB1 and MB5 are an `mb` followed by the `membarrier` event of phase mb_start / mb_end",
  ipiMbHandled: "the ipi_mb handler's smp_mb() is an `mb` on the target CPU",
  switchDone: 'a context switch changes `current` with switch_to()',
  userToKernelSwitch: 'a user -> kernel-thread switch: next->active_mm = prev->active_mm, and enter_lazy_tlb() (plus mmgrab_lazy_tlb() under refcount)',
  kernelToUserSwitch: 'a kernel-thread -> user switch hands the lazy reference to rq->prev_mm (`ref_move` under refcount)',
  mmPathDone: "exec_mmap(), exit_mm() and kthread_[un]use_mm() change a task's ->mm / ->active_mm (`task_mm`)",
  kthreadUseMmDone: 'a kthread inside kthread_use_mm() accesses user memory: `kthread_access` begin/end',
  mmTeardown: "exit_mmap() runs after mmput() dropped mm_users to 0 (a `ref` event)",
  mmdropBegin: '__mmdrop() runs after mmdrop() dropped mm_count to 0 (a `ref` event)',
  mmFreed: 'free_mm() is the end of __mmdrop(), which begins with `mmdrop_begin`',
  mmCountZero: 'mm_count reaching 0 calls __mmdrop() in the same step (`mmdrop_begin`)',
  mmdropDone: '__mmdrop() ends with free_mm() (`mm_free`)',
  foreignMm: 'an mm that the init event does not list was allocated by mm_alloc() / dup_mm() (`mm_alloc`)',
  userEnterForeignMm: "user mode runs on the task's mm, so the CPU loaded it (`load_mm`)",
  loadOutsideCpumask: 'x86 and powerpc switch_mm_irqs_off() set the CPU in mm_cpumask() of the mm it loads (`cpumask`)',
  flushRequested: 'a TLB flush request increments the mm\'s TLB generation (`tlb_gen`)',
  flushPathDone: 'flush_tlb_mm_range() completes with `flush_done`',
  registered: "membarrier registration sets mm->membarrier_state (`mm_membarrier_state`)",
  userExitExcess: 'a CPU can only leave user mode after entering it (`user_enter`)',
  userEnterExcess: 'a CPU can only enter user mode again after leaving it (`user_exit`)',
};

/** The mirror every property keeps (docs/properties.md, "The mirror"). */
const MIRROR: readonly SufficiencyRule[] = [
  { kind: 'switch_to', evidence: ['switchDone'], needs: "`current` of each CPU (the task whose mm is used)" },
  { kind: 'task_mm', evidence: ['userToKernelSwitch', 'mmPathDone'], needs: "each task's ->mm and ->active_mm" },
];

const USER_MODE: readonly SufficiencyRule[] = [
  { kind: 'user_enter', evidence: ['userExitExcess'], needs: 'when a CPU runs user code' },
  { kind: 'user_exit', evidence: ['userEnterExcess'], needs: 'when a CPU stops running user code' },
];

const MEMBARRIER_CALLS: SufficiencyRule = {
  kind: 'membarrier', evidence: ['membarrierScan', 'membarrierIpi'], needs: 'the membarrier() calls: their entry and exit barriers and return values',
};

/** The rules of each property, by property id. A property not listed has no rules. */
export const SUFFICIENCY_RULES: Readonly<Record<string, readonly SufficiencyRule[]>> = {
  'refcount-balance': [
    ...MIRROR,
    { kind: 'ref', evidence: ['mmTeardown', 'mmdropBegin'], needs: 'every mm_users / mm_count change, to account for it by a reference token' },
    { kind: 'ref', evidence: ['userToKernelSwitch'], needs: 'the lazy references mmgrab_lazy_tlb() takes (refcount)', onlyIf: refcountOnly },
    { kind: 'ref_move', evidence: ['kernelToUserSwitch'], needs: 'references that change owner, to know who holds them (refcount)', onlyIf: refcountOnly },
    { kind: 'mm_alloc', evidence: ['foreignMm'], needs: 'the references a new mm starts with' },
    { kind: 'mmdrop_begin', evidence: ['mmFreed', 'mmCountZero'], needs: '__mmdrop(), which may only run at mm_count 0' },
    { kind: 'mm_free', evidence: ['mmdropDone'], needs: 'free_mm(), which may only happen once and at zero' },
  ],
  'no-lazy-use-after-free': [
    ...MIRROR,
    { kind: 'mm_free', evidence: ['mmdropDone'], needs: 'the moment an mm is freed: every use after it is the violation' },
    { kind: 'load_mm', evidence: ['userEnterForeignMm'], needs: 'the loaded_mm of each CPU (C2.3)' },
  ],
  'sync-core-before-usermode': [
    ...MIRROR,
    ...USER_MODE,
    MEMBARRIER_CALLS,
    { kind: 'serialize', evidence: ['userEnterIret', 'userEnterPti', 'userEnterEretRfi', 'cr3Write', 'doSyncCore'], needs: 'the core-serializing instructions each CPU executed' },
    // Here a missing `path` is silent: C3.4 judges a text_poke batch at its smp_text_poke_batch_finish path's end.
    { kind: 'path', evidence: ['doSyncCore'], needs: 'the smp_text_poke_batch_finish() paths whose end C3.4 judges (do_sync_core() IPIs are sent only by a text_poke batch)' },
  ],
  'membarrier-ordering': [
    ...MIRROR,
    ...USER_MODE,
    MEMBARRIER_CALLS,
    { kind: 'mb', evidence: ['membarrierBarrier', 'cr3Write', 'ipiMbHandled'], needs: 'the full barriers each CPU executed' },
    { kind: 'kthread_access', evidence: ['kthreadUseMmDone'], needs: 'kthread_use_mm() sections, which count as user intervals (scenario E)' },
    { kind: 'mm_membarrier_state', evidence: ['registered'], needs: 'which mms are registered (the mms GLOBAL_EXPEDITED covers, C4.1)' },
  ],
  'tlb-coherence': [
    ...MIRROR,
    { kind: 'user_enter', evidence: ['userExitExcess'], needs: 'user entries (C6.1, C6.4 in user mode)' },
    { kind: 'load_mm', evidence: ['userEnterForeignMm'], needs: 'the loaded_mm of each CPU' },
    { kind: 'lazy', evidence: ['userToKernelSwitch'], needs: 'is_lazy of each CPU (C6.2)', onlyIf: (init) => init.arch === 'x86' },
    // arm64 keeps no mm_cpumask (broadcast TLBI); powerpc radix does (C6.3, flush_type_needed()).
    { kind: 'cpumask', evidence: ['loadOutsideCpumask'], needs: 'mm_cpumask (C6.3, and who a flush must reach)', onlyIf: (init) => init.arch !== 'arm64' },
    { kind: 'tlb_gen', evidence: ['flushRequested'], needs: 'TLB generations (C6.4)' },
    { kind: 'flush_done', evidence: ['flushPathDone'], needs: 'completed flushes (C6.4)' },
  ],
};
