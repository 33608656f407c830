/**
 * IPI handlers (kernel/sched/membarrier.c ipi_*, kernel/fork.c do_shoot_lazy_tlb,
 * arch/x86/kernel/alternative.c do_sync_core, arch flush_tlb_func) and their delivery.
 */
import type { Kctx } from '../kctx';
import type { Ipi } from '../state';
import { INIT_MM, MEMBARRIER_STATE, type CpuId } from '../../trace/events';
import { ipiSyncRqStateWrite } from './membarrier-decisions';

/**
 * Run an IPI function on `cpu`; `local` when on_each_cpu_mask() runs it on the sender itself.
 * Models: kernel/smp.c smp_call_function_many_cond() (and generic_exec_single()) run the local call
 * as "local_irq_save(flags); csd_do_func(func, info, NULL); local_irq_restore(flags);": a handler
 * always runs with IRQs off, by interrupt or by that save/restore.
 */
export function runIpiFunc(k: Kctx, cpu: CpuId, ipi: Ipi, local: boolean): void {
  const flags = local ? k.irqSave(cpu) : null;
  try {
    k.emit({ k: 'ipi_handle', cpu, fn: ipi.func, id: local ? null : ipi.id, from: ipi.from, mm: ipi.mm, local });
    switch (ipi.func) {
      case 'ipi_mb':
        // Models: ipi_mb(): smp_mb() "IPIs should be serializing but paranoid".
        k.mb(cpu, 'ipi_mb');
        return;
      case 'ipi_rseq':
        // Models: ipi_rseq(): smp_mb(); rseq_preempt(current).
        k.mb(cpu, 'ipi_rseq');
        return;
      case 'ipi_sync_core':
        // Models: ipi_sync_core(): smp_mb(); sync_core_before_usermode() -- the sync cannot be
        // deferred to the return to user (758c9373d841); variant sync-core-ipi-preempt-sysret drops it.
        k.mb(cpu, 'ipi_sync_core');
        if (!k.bug.syncCoreIpiOnlyMb) k.arch.sync_core_before_usermode(k, cpu, 'ipi_sync_core');
        return;
      case 'ipi_sync_rq_state': {
        // Models: ipi_sync_rq_state(): "if (current->mm != mm) return;" then copy the mm's state to
        // this runqueue and smp_mb() (errata A7: the barrier only in the matching branch).
        const cur = k.current(cpu);
        const state = ipiSyncRqStateWrite(cur.mm, ipi.mm, ipi.mm === null ? 0 : k.mm(ipi.mm).membarrierState);
        if (state === null) return;
        k.setRqMembarrierState(cpu, 'ipi_sync_rq_state', state);
        k.mb(cpu, 'ipi_sync_rq_state');
        return;
      }
      case 'do_sync_core':
        // Models: arch/x86/kernel/alternative.c do_sync_core(): sync_core().
        k.mb(cpu, 'sync_core');
        k.serialize(cpu, 'do_sync_core', 'sync_core');
        return;
      case 'flush_tlb_func':
      case 'do_exit_flush_lazy_tlb':
        k.arch.flush_tlb_func(k, cpu, ipi);
        return;
      case 'do_shoot_lazy_tlb': {
        // Models: kernel/fork.c do_shoot_lazy_tlb(): if (current->active_mm == mm) { active_mm =
        // &init_mm; switch_mm(mm, &init_mm, current); } (no init_mm reference is taken).
        const cur = k.current(cpu);
        if (cur.activeMm !== ipi.mm) return;
        k.setTaskMm(cpu, 'do_shoot_lazy_tlb', cur, cur.mm, INIT_MM);
        k.arch.switch_mm_irqs_off(k, cpu, 'do_shoot_lazy_tlb', INIT_MM);
        return;
      }
    }
  } finally {
    if (flags !== null) k.irqRestore(cpu, flags);
    // Models: kernel/smp.c __flush_smp_call_function_queue(): a waited call (CSD_TYPE_SYNC: every
    // IPI the model sends is waited for) runs "csd_do_func(func, info, csd); csd_unlock(csd);", and
    // csd_unlock() is smp_store_release(&csd->node.u_flags, 0), which the sender's csd_lock_wait()
    // (smp_cond_load_acquire) waits for. A release store becomes visible after every store before it
    // (and in TSO after every buffered store), so the handler CPU's buffered stores are visible once
    // the sender sees the call done (knob storeBuffer). A local call has no csd.
    if (!local) k.drainStoreBuffer(cpu, 'csd_unlock');
  }
}

/** The membarrier state bit that marks an mm as registered for SYNC_CORE. */
export const SYNC_CORE_BIT = MEMBARRIER_STATE.PRIVATE_EXPEDITED_SYNC_CORE;
