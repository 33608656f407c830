/**
 * A TLB flush requested by the current task on its own mm (mprotect, munmap, madvise, THP collapse:
 * flush_tlb_mm_range() with the given freed_tables, errata Part 2 E6), and the asynchronous users of
 * the MMU state: the hardware page walker and cpuidle's leave_mm().
 */
import type { Kctx } from '../kctx';
import { newFrame, type Frame } from '../frames';
import { FLUSH_WAIT_PC } from '../arch/x86-flush-steps';
import { INIT_MM, type CpuId, type MmId } from '../../trace/events';

export function startFlushTlb(k: Kctx, cpu: CpuId, freedTables: boolean, trim = false, considerGlobalAsid = false): Frame {
  const t = k.current(cpu);
  const mm = t.mm as MmId;
  k.path(cpu, 'flush_tlb_mm_range', 'begin', t.id);
  // x86: inc_mm_tlb_gen() now; the per-CPU should_flush_tlb() reads in later steps (issue 12 item 6).
  if (k.arch.flush_tlb_steps) return k.arch.flush_tlb_steps.begin(k, cpu, mm, freedTables, trim, considerGlobalAsid);
  const { ipis, gen } = k.arch.flush_tlb_mm_range(k, cpu, mm, freedTables, trim);
  return newFrame('flush_tlb_mm_range', { mm, gen, freedTables, waitIpis: ipis, pc: FLUSH_WAIT_PC });
}

/**
 * The next step of a stepped flush (x86-flush-steps.ts), or, once its IPIs were handled, the end of
 * native_flush_tlb_multi()'s wait (on_each_cpu_*(..., wait=true)): the flush is complete.
 */
export function stepFlushTlb(k: Kctx, cpu: CpuId, f: Frame): 'done' | 'more' {
  if (f.pc < FLUSH_WAIT_PC && k.arch.flush_tlb_steps) {
    k.arch.flush_tlb_steps.step(k, cpu, f);
    return 'more';
  }
  k.emit({ k: 'flush_done', cpu, fn: 'flush_tlb_mm_range', mm: f.mm as MmId, gen: f.gen as number, freedTables: !!f.freedTables });
  k.arch.flush_tlb_steps?.end(k, cpu, f);
  k.path(cpu, 'flush_tlb_mm_range', 'end', k.current(cpu).id);
  return 'done';
}

/** A speculative page-table walk through cpu_tlbstate.loaded_mm (kernel-model.md 3.9 R2). */
export function hwWalk(k: Kctx, cpu: CpuId): void {
  const loaded = k.cpu(cpu).loadedMm;
  if (loaded === 'SWITCHING') return;
  k.emit({ k: 'deref', cpu, fn: 'page_walk', mm: loaded, who: 'walker' });
}

/**
 * Models: drivers/cpuidle/cpuidle.c cpuidle_enter_state(): "if (target_state->flags &
 * CPUIDLE_FLAG_TLB_FLUSHED) leave_mm();" (errata Part 2 E13): the idle CPU leaves its lazy mm
 * behind the scheduler's back.
 */
export function idleLeaveMm(k: Kctx, cpu: CpuId): void {
  if (k.cpu(cpu).loadedMm === INIT_MM) return;
  // kernel/sched/idle.c do_idle(): local_irq_disable() before cpuidle_idle_call(); the idle state's
  // exit re-enables them.
  k.setIrqs(cpu, true);
  k.arch.leave_mm(k, cpu, 'leave_mm');
  k.setIrqs(cpu, false);
}

/**
 * An NMI (perf) on `cpu` (kernel-model.md 3.9 R1, errata Part 2 E11). Knob `nmiReader`:
 * 'uaccess-okay' (>= v6.16, 81e3cbdef230): reads current->mm only when nmi_uaccess_okay(), i.e.
 * loaded_mm == current->mm; 'active-mm' (the over-approximating pre-6.16 reader): dereferences
 * current->active_mm whatever the CPU is doing.
 */
export function nmi(k: Kctx, cpu: CpuId): void {
  nmiReader(k, cpu);
  // The NMI returns to what it interrupted (user or kernel mode) by IRET on x86 (entry_64.S nmi:
  // "iretq"), which serializes.
  k.arch.exception_return(k, cpu, 'nmi');
}

function nmiReader(k: Kctx, cpu: CpuId): void {
  const cur = k.current(cpu);
  if (k.knob<string>('nmiReader') === 'active-mm') {
    k.emit({ k: 'deref', cpu, fn: 'perf_callchain_user', mm: cur.activeMm, who: 'nmi' });
    return;
  }
  if (cur.mm !== null && k.cpu(cpu).loadedMm === cur.mm) {
    k.emit({ k: 'deref', cpu, fn: 'nmi_uaccess_okay', mm: cur.mm, who: 'nmi' });
  }
}
