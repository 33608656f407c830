/**
 * Architecture hooks (kernel-model.md 1.7, 1.12, 1.13): the MMU switch, lazy-TLB entry, how the
 * return to user serializes, and the IPI handlers whose behaviour is arch-specific.
 */
import type { Kctx } from '../kctx';
import type { Ipi } from '../state';
import type { Arch, CpuId, MmId, UserEntryVia } from '../../trace/events';

/** What the first half of a split switch_mm_irqs_off() decided (the tlb_gen it read). */
export interface SwitchPlan {
  gen: number;
  needFlush: boolean;
  sameMm: boolean;
  /** x86 choose_new_asid() chose the mm's global ASID (INVLPGB, knob asidTransition). */
  globalAsid?: boolean;
}

export interface ArchHooks {
  name: Arch;
  /** CONFIG_ARCH_HAS_SYNC_CORE_BEFORE_USERMODE (x86, riscv). */
  hasSyncCoreBeforeUsermode: boolean;
  /** Models: enter_lazy_tlb(). */
  enter_lazy_tlb(k: Kctx, cpu: CpuId, fn: string, mm: MmId): void;
  /** Models: switch_mm_irqs_off(prev, next, tsk). */
  switch_mm_irqs_off(k: Kctx, cpu: CpuId, fn: string, next: MmId): void;
  /**
   * switch_mm_irqs_off() in two steps for context_switch(), so a remote flush can fall between the
   * tlb_gen read and the CR3 write (x86; errata Part 2 E3). Absent: the switch is one step.
   */
  switch_mm_split?: {
    begin(k: Kctx, cpu: CpuId, fn: string, next: MmId): SwitchPlan | null;
    finish(k: Kctx, cpu: CpuId, fn: string, next: MmId, plan: SwitchPlan): void;
  };
  /** Models: leave_mm() (x86) / the switch to init_mm when a lazy CPU is unlazied. */
  leave_mm(k: Kctx, cpu: CpuId, fn: string): void;
  /**
   * Whether switch_mm_irqs_off() itself syncs the core on a lazy -> same-mm return (x86 with the
   * proposed fix, Andy Lutomirski's RFC), so finish_task_switch() no longer needs to.
   */
  syncsCoreOnLazyReturn(k: Kctx): boolean;
  /** Models: sync_core_before_usermode(). */
  sync_core_before_usermode(k: Kctx, cpu: CpuId, fn: string): void;
  /** The serialization of a return to user mode, emitted before `user_enter`. */
  return_to_user(k: Kctx, cpu: CpuId, via: UserEntryVia): void;
  /**
   * The return from an interrupt, exception or NMI to the code it interrupted without a change of
   * mode (kernel -> kernel, or an NMI's return to user): x86 IRET, arm64 ERET, powerpc rfid.
   */
  exception_return(k: Kctx, cpu: CpuId, fn: string): void;
  /** Models: flush_tlb_func() run on `cpu` (by IPI or locally). */
  flush_tlb_func(k: Kctx, cpu: CpuId, ipi: Ipi): void;
  /**
   * flush_tlb_mm_range() for a task's own flush as separate steps (x86: inc_mm_tlb_gen(), then one
   * should_flush_tlb() read per CPU, the local flush, the wait; issue 12 item 6). Absent: one step
   * (`flush_tlb_mm_range` below, then the wait).
   */
  flush_tlb_steps?: import('./x86-flush-steps').FlushSteps;
  /**
   * Whether a flush can be the one that trims mm_cpumask (x86 >= v6.14 should_flush_tlb()'s
   * trim_cpumask; powerpc radix flush_type_needed()'s tick_and_test_trim_clock()).
   */
  canTrimCpumask?(k: Kctx): boolean;
  /** x86 INVLPGB (knob asidTransition): a flush can pass consider_global_asid()'s jiffies check. */
  canAssignGlobalAsid?(k: Kctx): boolean;
  /**
   * flush_tlb_mm_range() in one step: returns the IPIs to wait for. `trim`: the arch's occasional
   * mm_cpumask trim is due (x86 should_trim_cpumask(), powerpc tick_and_test_trim_clock()).
   */
  flush_tlb_mm_range(k: Kctx, cpu: CpuId, mm: MmId, freedTables: boolean, trim?: boolean): { ipis: number[]; gen: number };
  /** exit_mmap()'s final (fullmm, page tables freed) flush: returns the IPIs to wait for. */
  exit_mmap_flush(k: Kctx, cpu: CpuId, mm: MmId): { ipis: number[]; gen: number };
  /** Barriers of switch_to() itself (arm64: the full barrier membarrier relies on). */
  switch_to(k: Kctx, cpu: CpuId): void;
  /** Models: powerpc __cpu_disable() -> cleanup_cpu_mmu_context(); a no-op elsewhere. */
  cleanup_cpu_mmu_context(k: Kctx, cpu: CpuId): void;
  /** How EFI runtime calls switch mm, or null when the arch has no EFI runtime services modelled. */
  efiScheme(k: Kctx): 'temporary-mm' | 'efi_enter_mm' | 'efi_virtmap' | null;
  /** Whether text_poke() with a temporary mm is modelled (x86). */
  hasTextPoke: boolean;
  /**
   * Whether an atomic RMW that returns no value (atomic_or(), ...) drains the store buffer (engine
   * knob storeBuffer): on x86 it is a LOCK-prefixed instruction, and "Locked instructions have a
   * total order" / "Loads and stores are not reordered with locked instructions" (Intel SDM vol. 3
   * 8.2.2); on arm64 and powerpc it is unordered (Documentation/atomic_t.txt: "The RMW ops ... that
   * do not return a value are unordered").
   */
  lockedRmwDrainsStoreBuffer: boolean;
}
