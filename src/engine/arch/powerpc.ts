/**
 * powerpc book3s64 radix (kernel-model.md 1.12 with errata E8, E9, A9): selects
 * MMU_LAZY_TLB_SHOOTDOWN in mainline; exception return (rfid) is context synchronizing;
 * membarrier_arch_switch_mm()'s barrier; exit_lazy_flush_tlb() trims mm_cpumask after switching a
 * lazy kthread to init_mm; cleanup_cpu_mmu_context() on hotplug.
 */
import type { Kctx } from '../kctx';
import type { ArchHooks } from './arch';
import { broadcastTlbFlush } from './broadcast-flush';
import { flushTypeNeeded, tlbielPid, tlbiePid } from './radix-flush';
import { switchLazyToInitMm } from '../kernel/unlazy-to-init-mm';
import { INIT_MM, MEMBARRIER_STATE as S, type CpuId, type MmId } from '../../trace/events';

/**
 * Models: arch/powerpc/mm/mmu_context.c switch_mm_irqs_off(): a CPU new to mm_cpumask(next) sets its
 * bit and does smp_mb() ("also needed by membarrier"); same mm: return; otherwise
 * membarrier_arch_switch_mm() (smp_mb() iff next is registered for PRIVATE or GLOBAL expedited) and
 * switch_mmu_context() (radix: mtspr PID; isync -- context synchronizing).
 */
function switchMm(k: Kctx, cpu: CpuId, fn: string, next: MmId): void {
  const c = k.cpu(cpu);
  const nm = k.mm(next);
  let newOnCpu = false;
  if (next !== INIT_MM && !nm.cpumask[cpu]) {
    k.setCpumask(cpu, 'switch_mm_irqs_off', nm, cpu, true);
    k.mb(cpu, 'switch_mm_irqs_off');
    newOnCpu = true;
  }
  if (c.loadedMm === next) return;
  if (!newOnCpu && nm.membarrierState & (S.PRIVATE_EXPEDITED | S.GLOBAL_EXPEDITED)) k.mb(cpu, 'membarrier_arch_switch_mm');
  c.loadedMm = next;
  k.emit({ k: 'load_mm', cpu, fn, mm: next, cr3Write: false, flushed: false });
  k.serialize(cpu, 'radix__switch_mmu_context', 'isync');
}

/**
 * Models: arch/powerpc/mm/book3s64/radix_tlb.c exit_lazy_flush_tlb(mm, always_flush = true), run by
 * the IPI of exit_flush_lazy_tlbs() or locally from flush_type_needed(): "if (current->mm == mm) goto
 * out" (a kthread mid kthread_use_mm(): just flush); a kthread lazily using mm switches to init_mm
 * (with the _lazy_tlb helpers); the CPU leaves mm_cpumask(mm) ("avoid double-decrement on racing
 * IPIs"); out: "_tlbiel_pid(pid, RIC_FLUSH_ALL)" -- the CPU keeps no stale entry of mm.
 */
function exitLazyFlushTlb(k: Kctx, cpu: CpuId, mm: MmId): void {
  const cur = k.current(cpu);
  if (cur.mm !== mm) {
    if (cur.activeMm === mm) switchLazyToInitMm(k, cpu, 'exit_lazy_flush_tlb');
    if (k.mm(mm).cpumask[cpu]) k.setCpumask(cpu, 'exit_lazy_flush_tlb', k.mm(mm), cpu, false);
  }
  tlbielPid(k, cpu, mm, 'exit_lazy_flush_tlb');
}

/**
 * Models: radix__flush_tlb_mm() / __radix__flush_tlb_range() for a task's own mm (not fullmm):
 * "preempt_disable(); smp_mb(); type = flush_type_needed(mm, false);" then LOCAL: _tlbiel_pid() /
 * __tlbiel_va_range() on this CPU only; GLOBAL: _tlbie_pid() / __tlbie_va_range() (radix with GTSE;
 * the hcall and tlbiel-multicast variants are not modelled); NONE: nothing.
 */
function radixFlushTlb(k: Kctx, cpu: CpuId, mm: MmId, freedTables: boolean, trim = false): { ipis: number[]; gen: number } {
  const gen = ++k.mm(mm).tlbGen;
  k.emit({ k: 'tlb_gen', cpu, fn: 'flush_tlb_mm_range', mm, value: gen, freedTables });
  k.mb(cpu, 'radix__flush_tlb_mm');
  const { type, ipis } = flushTypeNeeded(k, cpu, mm, trim, exitLazyFlushTlb);
  if (type === 'LOCAL') tlbielPid(k, cpu, mm, 'tlbiel');
  else if (type === 'GLOBAL') tlbiePid(k, mm, 'tlbie');
  return { ipis, gen };
}

export const powerpcArch: ArchHooks = {
  name: 'powerpc',
  hasSyncCoreBeforeUsermode: false,
  enter_lazy_tlb() {},
  switch_mm_irqs_off: switchMm,
  leave_mm(k, cpu, fn) {
    switchMm(k, cpu, fn, INIT_MM);
  },
  // powerpc does not select ARCH_HAS_SYNC_CORE_BEFORE_USERMODE: the stub is empty and the rfid of
  // the return to user is context synchronizing (arch-support.txt "arm/arm64/powerpc/s390").
  syncsCoreOnLazyReturn: () => false,
  sync_core_before_usermode() {},
  return_to_user(k, cpu) {
    k.serialize(cpu, 'interrupt_exit_user_prepare', 'rfid');
  },
  // Models: arch/powerpc/kernel/interrupt_64.S: interrupts return to the kernel with rfid (hrfid
  // for hypervisor interrupts), which is context synchronizing (Power ISA Book III, "Context
  // Synchronization"), as the return to user is.
  exception_return(k, cpu, fn) {
    k.serialize(cpu, fn, 'rfid');
  },
  // do_exit_flush_lazy_tlb(): exit_lazy_flush_tlb(mm, true).
  flush_tlb_func: (k, cpu, ipi) => exitLazyFlushTlb(k, cpu, ipi.mm as MmId),
  flush_tlb_mm_range: radixFlushTlb,
  canTrimCpumask: () => true,
  // Models: radix__tlb_flush() with fullmm under MMU_LAZY_TLB_SHOOTDOWN: "we have to IPI everyone in
  // the mm_cpumask anyway soon when the mm goes away, so might as well do it as part of the final
  // flush now": exit_flush_lazy_tlbs(mm) (smp_call_function_many: self excluded), __flush_all_mm().
  exit_mmap_flush(k, cpu, mm) {
    const r = broadcastTlbFlush(k, cpu, mm, true, 'radix__flush_tlb_mm');
    if (k.strategy.name !== 'shootdown') return r;
    const m = k.mm(mm);
    for (const c of k.s.cpus) {
      if (c.id === cpu || !c.online || !m.cpumask[c.id]) continue;
      r.ipis.push(k.sendIpi(cpu, 'exit_flush_lazy_tlbs', c.id, 'do_exit_flush_lazy_tlb', { mm }));
    }
    return r;
  },
  switch_to() {},
  // Models: pseries_cpu_disable() -> cleanup_cpu_mmu_context() -> clear_tasks_mm_cpumask(cpu):
  // the CPU leaves the cpumask of every mm that still has a task with ->mm set (errata E9).
  cleanup_cpu_mmu_context(k, cpu) {
    const live = new Set<MmId>();
    for (const id of k.s.taskOrder) {
      const t = k.task(id);
      if (t.state !== 'dead' && t.mm !== null) live.add(t.mm);
    }
    for (const id of k.s.mmOrder) {
      if (live.has(id) && k.mm(id).cpumask[cpu]) k.setCpumask(cpu, 'clear_tasks_mm_cpumask', k.mm(id), cpu, false);
    }
  },
  efiScheme() {
    return null;
  },
  hasTextPoke: false,
  lockedRmwDrainsStoreBuffer: false,
};
