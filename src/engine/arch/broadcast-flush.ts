/**
 * A TLB flush by broadcast invalidation (powerpc radix tlbie, arm64 TLBI ... IS): inc the mm's
 * generation and invalidate every online CPU's TLB by hardware; no IPIs, so no CPU is unlazied.
 */
import type { Kctx } from '../kctx';
import type { CpuId, MmId } from '../../trace/events';

export function broadcastTlbFlush(k: Kctx, cpu: CpuId, mm: MmId, freedTables: boolean, fn: string): { ipis: number[]; gen: number } {
  const gen = ++k.mm(mm).tlbGen;
  k.emit({ k: 'tlb_gen', cpu, fn: 'flush_tlb_mm_range', mm, value: gen, freedTables });
  k.mb(cpu, fn);
  // Every online CPU's TLB loses the mm's stale entries (per-CPU generations for tlb-coherence).
  for (const c of k.cpus()) {
    if (!c.online) continue;
    c.localTlbGen[mm] = gen;
    k.emit({ k: 'local_tlb_gen', cpu: c.id, fn, mm, gen });
  }
  return { ipis: [], gen };
}
