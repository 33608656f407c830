/**
 * powerpc book3s64 radix TLB flushes of a task's own mm (arch/powerpc/mm/book3s64/radix_tlb.c, v6.17):
 * radix__flush_tlb_mm() / __radix__flush_tlb_range() choose, by flush_type_needed(mm, fullmm = false),
 * between no flush, a local tlbiel on this CPU only, and a broadcast tlbie; mm_cpumask is what makes
 * the local choice safe, and exit_lazy_flush_tlb() is how a CPU leaves it (issue 12 item 7).
 *
 * The model's per-CPU generations stand for the TLB entries of the mm's PID on that CPU: a tlbiel
 * brings this CPU's up to the mm's generation, a tlbie every online CPU's.
 */
import type { Kctx } from '../kctx';
import type { CpuId, MmId } from '../../trace/events';

export type FlushType = 'NONE' | 'LOCAL' | 'GLOBAL';

/** _tlbiel_pid(pid, ...) on `cpu`: its TLB holds nothing of `mm` older than the mm's generation. */
export function tlbielPid(k: Kctx, cpu: CpuId, mm: MmId, fn: string): void {
  const gen = k.mm(mm).tlbGen;
  k.cpu(cpu).localTlbGen[mm] = gen;
  k.emit({ k: 'local_tlb_gen', cpu, fn, mm, gen });
}

/** _tlbie_pid(pid, ...): the broadcast invalidation reaches every CPU's TLB (no IPI). */
export function tlbiePid(k: Kctx, mm: MmId, fn: string): void {
  for (const c of k.s.cpus) if (c.online) tlbielPid(k, c.id, mm, fn);
}

/**
 * Models: radix_tlb.c exit_flush_lazy_tlbs(): "smp_call_function_many(mm_cpumask(mm),
 * do_exit_flush_lazy_tlb, (void *)mm, 1)" (this CPU excluded, online CPUs only); the caller waits.
 */
export function exitFlushLazyTlbs(k: Kctx, cpu: CpuId, mm: MmId): number[] {
  const m = k.mm(mm);
  const ids: number[] = [];
  for (const c of k.s.cpus) {
    if (c.id === cpu || !c.online || !m.cpumask[c.id]) continue;
    ids.push(k.sendIpi(cpu, 'exit_flush_lazy_tlbs', c.id, 'do_exit_flush_lazy_tlb', { mm }));
  }
  return ids;
}

/**
 * Models: flush_type_needed(mm, false) (the trim clock fires when `trim`), with its calls of
 * exit_flush_lazy_tlbs() (whose IPIs are returned to wait for) and exit_lazy_flush_tlb(mm, true):
 *   active_cpus == 0 -> NONE;
 *   active_cpus == 1 && this CPU in mm_cpumask -> (current->mm != mm && trim clock: exit_lazy_flush_tlb(), NONE) LOCAL;
 *   mm_users <= 1 && current->mm == mm -> exit_flush_lazy_tlbs(); LOCAL ("this CPU will only require a local flush");
 *   trim clock -> exit_flush_lazy_tlbs(); current->mm == mm ? LOCAL : (exit_lazy_flush_tlb() if in the mask) NONE;
 *   otherwise GLOBAL.
 * (Coprocessors (copros) and the fullmm case are not modelled here: no nest MMU; exit_mmap() has its own flush.)
 */
export function flushTypeNeeded(
  k: Kctx, cpu: CpuId, mm: MmId, trim: boolean, exitLazyFlushTlb: (k: Kctx, cpu: CpuId, mm: MmId) => void,
): { type: FlushType; ipis: number[] } {
  const m = k.mm(mm);
  const active = k.s.cpus.filter((c) => m.cpumask[c.id]).length; // atomic_read(&mm->context.active_cpus)
  const currentMm = k.current(cpu).mm;
  if (active === 0) return { type: 'NONE', ipis: [] };
  if (active === 1 && m.cpumask[cpu]) {
    if (currentMm !== mm && trim) {
      exitLazyFlushTlb(k, cpu, mm);
      return { type: 'NONE', ipis: [] };
    }
    return { type: 'LOCAL', ipis: [] };
  }
  if (m.users <= 1 && currentMm === mm) return { type: 'LOCAL', ipis: exitFlushLazyTlbs(k, cpu, mm) };
  if (trim) {
    const ipis = exitFlushLazyTlbs(k, cpu, mm);
    if (currentMm === mm) return { type: 'LOCAL', ipis };
    if (m.cpumask[cpu]) exitLazyFlushTlb(k, cpu, mm);
    return { type: 'NONE', ipis };
  }
  return { type: 'GLOBAL', ipis: [] };
}
