/**
 * The offsets the probes need, derived from the pinned kernel's BTF with pahole (./pahole.ts). The
 * per-CPU symbol offsets (`runqueues`, `cpu_tlbstate`, `cpu_tlbstate_shared`) are read from
 * /proc/kallsyms inside the guest at boot (./init-script.ts), so nothing is written down per kernel.
 */
import { parsePahole, parsePaholeSizes } from './pahole';

/** struct.member (a dotted path follows an embedded struct: `mm_struct.context.tlb_gen`). */
export const NEEDED = {
  taskMm: 'task_struct.mm',
  taskActiveMm: 'task_struct.active_mm',
  taskPid: 'task_struct.pid',
  taskTgid: 'task_struct.tgid',
  mmMembarrierState: 'mm_struct.membarrier_state',
  mmUsers: 'mm_struct.mm_users',
  mmCount: 'mm_struct.mm_count',
  mmContext: 'mm_struct.context',
  ctxTlbGen: 'mm_context_t.tlb_gen',
  rqCurr: 'rq.curr',
  rqMembarrierState: 'rq.membarrier_state',
  tlbLoadedMm: 'tlb_state.loaded_mm',
  tlbIsLazy: 'tlb_state_shared.is_lazy',
  tlbLoadedMmAsid: 'tlb_state.loaded_mm_asid',
  tlbCtxs: 'tlb_state.ctxs',
  tlbCtxTlbGen: 'tlb_context.tlb_gen',
  flushInfoMm: 'flush_tlb_info.mm',
  regsDi: 'pt_regs.di',
  regsSi: 'pt_regs.si',
} as const;

/** Sizes: `struct.member` (the member's size) or `struct` (the struct's size). */
export const SIZES = {
  tlbCtxsBytes: 'tlb_state.ctxs',
  tlbContextSize: 'tlb_context',
} as const;

export type OffsetName = keyof typeof NEEDED | keyof typeof SIZES;
export type Offsets = Record<OffsetName, number>;

/** The structs to list with pahole. */
export const STRUCTS = [...new Set([...Object.values(NEEDED), ...Object.values(SIZES)].map((p) => p.split('.')[0]))];

/** Whether a cached offsets record has every offset this version needs. */
export const hasAllOffsets = (o: Partial<Offsets>): o is Offsets => [...Object.keys(NEEDED), ...Object.keys(SIZES)].every((k) => typeof (o as Record<string, unknown>)[k] === 'number');

/** Offsets from the pahole listing of each struct; throws naming the first member it cannot find. */
export function deriveOffsets(listings: ReadonlyMap<string, string>): Offsets {
  const parsed = new Map([...listings].map(([s, text]) => [s, parsePahole(text)]));
  const out = {} as Offsets;
  for (const [name, spec] of Object.entries(NEEDED) as [OffsetName, string][]) {
    const [struct, member] = spec.split('.');
    const off = parsed.get(struct)?.get(member);
    if (off === undefined) throw new Error(`pahole: no member ${spec} in the kernel's BTF`);
    out[name] = off;
  }
  for (const [name, spec] of Object.entries(SIZES) as [OffsetName, string][]) {
    const [struct, member] = spec.split('.');
    const size = listings.has(struct) ? parsePaholeSizes(listings.get(struct)!).get(member ?? '') : undefined;
    if (size === undefined) throw new Error(`pahole: no size of ${spec} in the kernel's BTF`);
    out[name] = size;
  }
  return out;
}
