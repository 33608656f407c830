/**
 * arm64 (kernel-model.md 1.13): REFCOUNT in mainline; ERET is a context synchronization event (the
 * return to user and the IPI return serialize); the post-rq->curr barrier membarrier needs is
 * switch_to()'s (Documentation/scheduler/membarrier.rst); TLB invalidation is broadcast (TLBI), so
 * mm_cpumask is not maintained; EFI through efi_virtmap_load()/unload() (TTBR0 only).
 */
import type { Kctx } from '../kctx';
import type { ArchHooks } from './arch';
import { broadcastTlbFlush } from './broadcast-flush';
import { INIT_MM, type CpuId, type MmId } from '../../trace/events';

/**
 * Models: arch/arm64/include/asm/mmu_context.h switch_mm(): "if (prev != next) __switch_mm(next)":
 * init_mm -> cpu_set_reserved_ttbr0(); otherwise check_and_switch_context() -> cpu_switch_mm()
 * (TTBR0 write followed by isb()).
 */
function switchMm(k: Kctx, cpu: CpuId, fn: string, next: MmId): void {
  const c = k.cpu(cpu);
  if (c.loadedMm === next) return;
  c.loadedMm = next;
  k.emit({ k: 'load_mm', cpu, fn, mm: next, cr3Write: false, flushed: false });
  k.serialize(cpu, 'cpu_do_switch_mm', 'isb');
}

export const arm64Arch: ArchHooks = {
  name: 'arm64',
  hasSyncCoreBeforeUsermode: false,
  enter_lazy_tlb() {},
  switch_mm_irqs_off: switchMm,
  leave_mm(k, cpu, fn) {
    switchMm(k, cpu, fn, INIT_MM);
  },
  syncsCoreOnLazyReturn: () => false,
  sync_core_before_usermode() {},
  return_to_user(k, cpu) {
    k.serialize(cpu, 'ret_to_user', 'eret');
  },
  // Models: arch/arm64/kernel/entry.S kernel_exit: the return from an exception (IRQ, SDEI/pseudo-NMI)
  // is an ERET, a context synchronization event (Arm ARM, "Context synchronization event").
  exception_return(k, cpu, fn) {
    k.serialize(cpu, fn, 'eret');
  },
  flush_tlb_func() {},
  flush_tlb_mm_range: (k, cpu, mm, freedTables) => broadcastTlbFlush(k, cpu, mm, freedTables, '__flush_tlb_range'),
  exit_mmap_flush(k, cpu, mm) {
    return broadcastTlbFlush(k, cpu, mm, true, '__flush_tlb_range');
  },
  // "arm64 relies on the full barrier implied by switch_to()" (__switch_to(): dsb(ish)).
  switch_to(k, cpu) {
    k.mb(cpu, '__switch_to');
  },
  cleanup_cpu_mmu_context() {},
  efiScheme() {
    return 'efi_virtmap';
  },
  hasTextPoke: false,
  lockedRmwDrainsStoreBuffer: false,
};
