/**
 * A TLB flush by broadcast invalidation (powerpc radix tlbie, arm64 TLBI ... IS): inc the mm's
 * generation and invalidate every CPU's TLB by hardware; no IPIs, so no CPU is unlazied.
 */
import type { Kctx } from '../kctx';
import type { CpuId, MmId } from '../../trace/events';

export function broadcastTlbFlush(k: Kctx, cpu: CpuId, mm: MmId, freedTables: boolean, fn: string): { ipis: number[]; gen: number } {
  const gen = ++k.mm(mm).tlbGen;
  k.emit({ k: 'tlb_gen', cpu, fn: 'flush_tlb_mm_range', mm, value: gen, freedTables });
  k.mb(cpu, fn);
  return { ipis: [], gen };
}
