/**
 * Temporary mms (kernel-model.md 1.7-1.9, 3.5): use_temporary_mm()/unuse_temporary_mm() for
 * text_poke (a lone text_poke(), or the poke that ends smp_text_poke_batch_finish() with its sync
 * IPIs) and EFI runtime calls, in the v6.16
 * temporary-mm scheme and the pre-6.16 efi_enter_mm() scheme (knob `efiScheme`).
 */
import type { Kctx } from '../kctx';
import { newFrame, type Frame } from '../frames';
import { switchMm } from './switch-mm';
import { EFI_MM, TEXT_POKE_MM, type CpuId, type MmId } from '../../trace/events';

/**
 * Models: arch/x86/mm/tlb.c use_temporary_mm(): "Make sure not to be in TLB lazy mode, as otherwise
 * we'll end up with a stale address space WITHOUT being in lazy mode after restoring the previous
 * mm": leave_mm() first (abee7c494d8c); current->active_mm is not changed.
 */
function useTemporaryMm(k: Kctx, cpu: CpuId, temp: MmId): void {
  const c = k.cpu(cpu);
  // guard(irqsave)() (v6.16; before: lockdep_assert_irqs_disabled()).
  const flags = k.irqSave(cpu);
  if (c.isLazy && !k.bug.textPokeNoLeaveMm) k.arch.leave_mm(k, cpu, 'leave_mm');
  const saved = c.loadedMm as MmId;
  k.arch.switch_mm_irqs_off(k, cpu, 'use_temporary_mm', temp);
  c.tempMm = { temp, saved };
  k.emit({ k: 'temp_mm', cpu, fn: 'use_temporary_mm', mm: temp, saved });
  k.irqRestore(cpu, flags);
}

/**
 * Models: unuse_temporary_mm(): "Clear the cpumask, to indicate no TLB flushing is needed anywhere",
 * then switch back to the saved mm.
 */
function unuseTemporaryMm(k: Kctx, cpu: CpuId): void {
  const c = k.cpu(cpu);
  const tm = c.tempMm as { temp: MmId; saved: MmId };
  const flags = k.irqSave(cpu);
  k.setCpumask(cpu, 'unuse_temporary_mm', k.mm(c.loadedMm as MmId), cpu, false);
  k.arch.switch_mm_irqs_off(k, cpu, 'unuse_temporary_mm', tm.saved);
  c.tempMm = null;
  k.emit({ k: 'temp_mm', cpu, fn: 'unuse_temporary_mm', mm: null, saved: null });
  k.irqRestore(cpu, flags);
}

/**
 * Models: arch/x86/kernel/alternative.c text_poke() -> __text_poke() with IRQs off (use, write,
 * unuse, flush): no IPI (kernel-model.md 1.8). Only smp_text_poke_batch_finish() (text_poke_bp)
 * syncs the other CPUs, by smp_text_poke_sync_each_cpu() after its pokes (`sync`).
 */
export function startTextPoke(k: Kctx, cpu: CpuId, sync: boolean): Frame {
  // The trace names the path after the function the poke returns to: a lone text_poke(), or the
  // smp_text_poke_batch_finish() whose last poke this is (its end, after the sync, is where
  // sync-core-before-usermode C3.4 judges it).
  k.path(cpu, sync ? 'smp_text_poke_batch_finish' : 'text_poke', 'begin', k.current(cpu).id);
  k.setIrqs(cpu, true);
  useTemporaryMm(k, cpu, TEXT_POKE_MM);
  return newFrame('text_poke', { pc: 1, sync });
}

export function stepTextPoke(k: Kctx, cpu: CpuId, f: Frame): 'done' | 'more' {
  switch (f.pc) {
    case 1: {
      // pte_clear(); unuse_temporary_mm(prev_mm); flush_tlb_mm_range(text_poke_mm, ..., false):
      // the CPU left text_poke_mm's cpumask, so this only bumps tlb_gen (errata Part 2 E4).
      unuseTemporaryMm(k, cpu);
      const { gen } = k.arch.flush_tlb_mm_range(k, cpu, TEXT_POKE_MM, false);
      k.emit({ k: 'flush_done', cpu, fn: 'flush_tlb_mm_range', mm: TEXT_POKE_MM, gen, freedTables: false });
      k.setIrqs(cpu, false);
      // local_irq_restore(): text_poke() returns; a lone poke sends no sync IPI.
      if (!f.sync) {
        endTextPoke(k, cpu, f);
        return 'done';
      }
      f.pc = 2;
      return 'more';
    }
    case 2: {
      // smp_text_poke_batch_finish(): smp_text_poke_sync_each_cpu() = on_each_cpu(do_sync_core,
      // NULL, 1) -- sync_core() here and an IPI to every other online CPU.
      k.mb(cpu, 'sync_core');
      k.serialize(cpu, 'do_sync_core', 'sync_core');
      f.waitIpis = k.onlineCpus().filter((c) => c.id !== cpu).map((c) => k.sendIpi(cpu, 'smp_text_poke_sync_each_cpu', c.id, 'do_sync_core'));
      f.pc = 3;
      return 'more';
    }
    default:
      endTextPoke(k, cpu, f);
      return 'done';
  }
}

/** The end of the path startTextPoke() began, under the name it began with. */
function endTextPoke(k: Kctx, cpu: CpuId, f: Frame): void {
  k.path(cpu, f.sync ? 'smp_text_poke_batch_finish' : 'text_poke', 'end', k.current(cpu).id);
}

/**
 * An EFI runtime call: efi_enter_mm(); the call (IRQs on, preemption off, efi_runtime_lock held);
 * efi_leave_mm(). v6.16+ (e7021e2fe0b4): use_temporary_mm(&efi_mm). Before: efi_prev_mm =
 * current->active_mm; current->active_mm = &efi_mm; switch_mm(efi_prev_mm, &efi_mm, NULL).
 */
export function startEfiCall(k: Kctx, cpu: CpuId): Frame {
  const t = k.current(cpu);
  k.path(cpu, 'efi_call', 'begin', t.id);
  k.s.efiBusy = true;
  const scheme = k.arch.efiScheme(k);
  if (scheme === 'temporary-mm') {
    useTemporaryMm(k, cpu, EFI_MM);
    return newFrame('efi_call', { pc: 1 });
  }
  if (scheme === 'efi_virtmap') {
    // arm64 efi_virtmap_load(): efi_set_pgd(&efi_mm) -> __switch_mm(): TTBR0 only; active_mm stays,
    // and nothing is saved (the unload reloads current->active_mm).
    k.arch.switch_mm_irqs_off(k, cpu, 'efi_virtmap_load', EFI_MM);
    k.cpu(cpu).tempMm = { temp: EFI_MM, saved: null };
    k.emit({ k: 'temp_mm', cpu, fn: 'efi_virtmap_load', mm: EFI_MM, saved: null });
    return newFrame('efi_call', { pc: 1 });
  }
  const prev = t.activeMm as MmId;
  k.setTaskMm(cpu, 'efi_enter_mm', t, t.mm, EFI_MM);
  switchMm(k, cpu, 'efi_enter_mm', EFI_MM);
  k.cpu(cpu).tempMm = { temp: EFI_MM, saved: prev };
  k.emit({ k: 'temp_mm', cpu, fn: 'efi_enter_mm', mm: EFI_MM, saved: prev });
  return newFrame('efi_call', { pc: 1, mm: prev });
}

export function stepEfiCall(k: Kctx, cpu: CpuId, f: Frame): 'done' {
  const t = k.current(cpu);
  const scheme = k.arch.efiScheme(k);
  if (scheme === 'temporary-mm') {
    unuseTemporaryMm(k, cpu);
  } else if (scheme === 'efi_virtmap') {
    // arm64 efi_virtmap_unload(): efi_set_pgd(current->active_mm) -- read at unload time, not the
    // mm saved at load: an interrupt during the call may have moved a lazy task to init_mm (a
    // shootdown IPI in the counterfactual arm64/shootdown design; issue 12, found by tlb-coherence C6.1).
    k.arch.switch_mm_irqs_off(k, cpu, 'efi_virtmap_unload', t.activeMm as MmId);
    k.cpu(cpu).tempMm = null;
    k.emit({ k: 'temp_mm', cpu, fn: 'efi_virtmap_unload', mm: null, saved: null });
  } else {
    // efi_leave_mm(): current->active_mm = efi_prev_mm; switch_mm(&efi_mm, efi_prev_mm, NULL).
    const prev = f.mm as MmId;
    k.setTaskMm(cpu, 'efi_leave_mm', t, t.mm, prev);
    switchMm(k, cpu, 'efi_leave_mm', prev);
    k.cpu(cpu).tempMm = null;
    k.emit({ k: 'temp_mm', cpu, fn: 'efi_leave_mm', mm: null, saved: null });
  }
  k.s.efiBusy = false;
  k.path(cpu, 'efi_call', 'end', t.id);
  return 'done';
}
