/**
 * Engine knobs: kernel-version and configuration choices, named after what they model, defaulting
 * to current mainline (v6.17). Each lists its accepted values and the version or commit behind them.
 */
import type { Knobs, KnobValue } from './contract';

export interface KnobDef {
  name: string;
  default: KnobValue;
  values: readonly KnobValue[];
  models: string;
}

const COMMON: readonly KnobDef[] = [
  { name: 'irqsOffActivateMm', default: true, values: [true, false], models: 'CONFIG_ARCH_WANT_IRQS_OFF_ACTIVATE_MM: exec_mmap() keeps IRQs off over activate_mm() (x86 opt-in af8967158f9a, v6.16)' },
  { name: 'hotplugFix', default: true, values: [true, false], models: 'sched_force_init_mm() at CPUHP_AP_SCHED_WAIT_EMPTY (21641bd9a7a7, v6.14) instead of the late idle_task_exit()' },
  { name: 'nmiReader', default: 'uaccess-okay', values: ['uaccess-okay', 'active-mm'], models: "NMI readers: 'uaccess-okay' read current->mm only if nmi_uaccess_okay() (81e3cbdef230, v6.16); 'active-mm' dereference current->active_mm at any time (pre-v6.16 over-approximation)" },
  { name: 'serializeIpiMutex', default: true, values: [true, false], models: "SERIALIZE_IPI(), guard(mutex)(&membarrier_ipi_mutex), in membarrier_{global,private}_expedited() from after the entry smp_mb() to the return and in sync_runqueues_membarrier_state()'s multi-user path (944d5fe50f3f 'sched/membarrier: reduce the ability to hammer on sys_membarrier', v6.8, CVE-2024-26602, also in stable backports; errata A4): its mutex_lock()/mutex_unlock() fast paths are a LOCK CMPXCHG on x86, full barriers (acquire/release elsewhere: no event); false: the kernels before. Only the barriers are modelled, not the mutual exclusion (the model lets expedited commands overlap: more interleavings, never fewer)" },
  { name: 'membarrierSwitchMmFix', default: false, values: [false, true], models: 'proposed fix for the stale rq->membarrier_state (kernel-model.md C4.1): membarrier_switch_mm(rq, prev->mm, next->mm) instead of prev->active_mm (not in mainline)' },
  { name: 'syncRunqueuesFreshState', default: false, values: [false, true], models: "proposed fix for the stale single-user write of sync_runqueues_membarrier_state() (lazymm finding, issue 12): preempt_disable() before the mm_users / num_online_cpus() test, then read mm->membarrier_state at the this_cpu_write() and preempt_enable() (so the task can neither be switched out nor migrate to a CPU that came online between the test and the write); mainline reads it on entry, preemptible up to the write (not in mainline)" },
  { name: 'storeBuffer', default: 'rq-membarrier-state+tlbstate', values: ['rq-membarrier-state+tlbstate', 'rq-membarrier-state', 'none'], models: "plain stores: 'rq-membarrier-state+tlbstate' (default) as 'rq-membarrier-state', and on x86 switch_mm_irqs_off()'s this_cpu_write(cpu_tlbstate.loaded_mm, LOADED_MM_SWITCHING) waits in the CPU's store buffer the same way, so should_flush_tlb() on another CPU can read the old loaded_mm after the switching CPU read tlb_gen (83b0177a6c48); 'rq-membarrier-state' a WRITE_ONCE()/this_cpu_write() of rq->membarrier_state that sets MEMBARRIER_STATE_GLOBAL_EXPEDITED waits in the writing CPU's store buffer until its next full barrier, an x86 locked RMW, a later store of the same CPU, or the csd_unlock() ending a remote IPI handler; 'none' every store visible to every CPU at once (sequentially consistent: the model before issue 11, for comparing traces and figures with it) (docs/store-buffer.md)" },
  { name: 'kthreadUseMmWithoutUsers', default: false, values: [false, true], models: "a kthread may kthread_use_mm() a user mm without holding mm_users: v6.17's USB gadget async reads (CONFIG_USB_FUNCTIONFS drivers/usb/gadget/function/f_fs.c ffs_user_copy_worker(), CONFIG_USB_GADGETFS legacy/inode.c ep_user_copy_worker()) use the current->mm saved at submission with no reference (offered while the mm has a live thread); false (default, a configuration without those drivers): every kthread_use_mm() follows mmget_not_zero(), as vhost's get_task_mm() does (the gadget workers' fix: knob gadgetWorkerMmget)" },
  { name: 'gadgetWorkerMmget', default: false, values: [false, true], models: "proposed fix for finding single-user-shortcuts-miss-kthread-use-mm (with kthreadUseMmWithoutUsers): the gadget worker takes mmget_not_zero() before kthread_use_mm() and mmput() after kthread_unuse_mm(), as Gabriel Prostitis' 'USB: gadget: fix mm lifetime use-after-free in async read paths' (v2, 1 June 2026, not in v6.17) does for the mm's lifetime" },
  { name: 'hazardScan', default: 'online', values: ['online', 'mm_cpumask'], models: "hazard strategy: for_each_possible_lazymm_cpu() = for_each_online_cpu() (generic) or mm_cpumask(mm) (Andy's x86 optimization, patch 22/23)" },
];

const X86_ONLY: readonly KnobDef[] = [
  { name: 'unlazyMmIrqsOff', default: false, values: [false, true], models: "x86 tells the core when it leaves a lazy mm (flush_tlb_func, leave_mm): Andy Lutomirski's unlazy_mm_irqs_off() (Jan 2022 series, unmerged); mainline switches only the MMU" },
  { name: 'invlpgb', default: false, values: [false, true], models: 'INVLPGB broadcast flushes with global ASIDs (v6.15, AMD): every user mm is modelled with a global ASID (the ASID transition is not modelled); lazy CPUs are never unlazied by TLB traffic' },
  { name: 'asidTransition', default: false, values: [false, true], models: "with invlpgb: mms start on per-CPU ASIDs and get a global ASID from consider_global_asid() when active on more than 3 CPUs (v6.15 as merged), with finish_asid_transition()'s IPIs to the whole mm_cpumask (errata Part 2 E1, E2, E7); without it every user mm has a global ASID from the start" },
  { name: 'globalAsidLazyFirst', default: false, values: [false, true], models: "proposed fix (Rik van Riel, 'x86/mm: fix race between flush_tlb_func and idle task leave_mm', 20 May 2025, unmerged in 6.17): flush_tlb_func() tests is_lazy before the global-ASID reload, so the transition IPI no longer unlazies a lazy CPU (errata Part 2 E2)" },
  { name: 'pti', default: false, values: [false, true], models: 'X86_FEATURE_PTI: every return to user writes CR3 (serializes); sync_core_before_usermode() returns early' },
  { name: 'cpumaskPolicy', default: 'lazy-trim', values: ['lazy-trim', 'eager-clear'], models: "mm_cpumask: 'eager-clear' cleared on every switch away (<= v6.13); 'lazy-trim' trimmed by flush_tlb_func() (209954cbc7d0, v6.14)" },
  { name: 'shouldFlushTlbReads', default: 'split', values: ['one-step', 'split'], models: "should_flush_tlb()'s two reads of a remote CPU in flush_tlb_mm_range(): 'one-step' per_cpu(cpu_tlbstate.loaded_mm), smp_rmb(), per_cpu(cpu_tlbstate_shared.is_lazy) at one instant; 'split' the loaded_mm read and the is_lazy read as two steps, so the target can switch, go lazy or unlazy between them (the kernel's window; errata Part 2 E16: loaded_mm is read before the smp_rmb(), is_lazy after)" },
  { name: 'flushFilter', default: 'shouldFlush', values: ['shouldFlush', 'shouldFlushNoSwitching', 'notLazy'], models: "IPI filter of native_flush_tlb_multi(): 'notLazy' tlb_is_not_lazy() (<= v6.13); 'shouldFlushNoSwitching' should_flush_tlb() without the LOADED_MM_SWITCHING clause (6db2526c1d69, v6.14.0); 'shouldFlush' with it (fea4e317f9e7, v6.15)" },
  { name: 'switchingStoreFence', default: 'smp_mb', values: ['smp_mb', 'barrier'], models: "what orders switch_mm_irqs_off()'s LOADED_MM_SWITCHING store before its tlb_gen read when the CPU is already in mm_cpumask(next) (or next is init_mm): 'smp_mb' the 'else smp_mb()' of 83b0177a6c48 'x86/mm: Fix SMP ordering in switch_mm_irqs_off()' (v6.18, CVE-2025-40174); 'barrier' only barrier(), a compiler barrier (v6.15-v6.17; the cpumask_set_cpu() branch is a LOCK BTS, a full barrier)" },
  { name: 'switchingStore', default: 'beforeTlbGenRead', values: ['beforeTlbGenRead', 'afterTlbGenRead'], models: "where switch_mm_irqs_off() stores LOADED_MM_SWITCHING: 'afterTlbGenRead' (<= v6.14 and the 6.1/6.6/6.12 stable trees) or 'beforeTlbGenRead' (>= v6.15)" },
  { name: 'efiScheme', default: 'temporary-mm', values: ['temporary-mm', 'efi_enter_mm'], models: "EFI runtime calls: 'efi_enter_mm' switches current->active_mm to efi_mm (< v6.16); 'temporary-mm' use_temporary_mm(&efi_mm) (e7021e2fe0b4, v6.16)" },
  { name: 'syncCoreOnLazySameMmSwitch', default: false, values: [false, true], models: "proposed fix for SYNC_CORE after kthread_use_mm() of a lazy mm (Nick Piggin's case in the seeds): switch_mm_irqs_off() syncs the core on a lazy -> same-mm return without CR3 write (Andy Lutomirski's unmerged RFC, Dec 2020)" },
];

export const X86_KNOBS: readonly KnobDef[] = [...X86_ONLY, ...COMMON];
export const POWERPC_KNOBS: readonly KnobDef[] = COMMON;
/** arm64 does not select ARCH_WANT_IRQS_OFF_ACTIVATE_MM. */
export const ARM64_KNOBS: readonly KnobDef[] = COMMON.map((d) => (d.name === 'irqsOffActivateMm' ? { ...d, default: false, values: [false, true] } : d));

/** Fill in defaults and reject unknown knobs or values with a one-line message. */
export function resolveKnobs(defs: readonly KnobDef[], given: Knobs = {}): Knobs {
  const out: Knobs = {};
  for (const d of defs) out[d.name] = d.default;
  for (const [name, value] of Object.entries(given)) {
    const d = defs.find((x) => x.name === name);
    if (!d) throw new Error(`unknown knob '${name}' (known: ${defs.map((x) => x.name).join(', ')})`);
    if (!d.values.includes(value)) {
      throw new Error(`knob '${name}' does not accept ${JSON.stringify(value)} (accepted: ${d.values.map((v) => JSON.stringify(v)).join(', ')})`);
    }
    out[name] = value;
  }
  return out;
}

/** The knob definitions of each arch. */
export const KNOBS_BY_ARCH = { x86: X86_KNOBS, powerpc: POWERPC_KNOBS, arm64: ARM64_KNOBS } as const;
