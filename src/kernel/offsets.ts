/**
 * The offsets the probes need, derived from the pinned kernel's BTF with pahole (./pahole.ts). The
 * per-CPU symbol offsets (`runqueues`, `cpu_tlbstate`, `cpu_tlbstate_shared`) are read from
 * /proc/kallsyms inside the guest at boot (./init-script.ts), so nothing is written down per kernel.
 */
import { parsePahole } from './pahole';

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
  flushInfoMm: 'flush_tlb_info.mm',
  regsDi: 'pt_regs.di',
  regsSi: 'pt_regs.si',
} as const;

export type OffsetName = keyof typeof NEEDED;
export type Offsets = Record<OffsetName, number>;

/** The structs to list with pahole. */
export const STRUCTS = [...new Set(Object.values(NEEDED).map((p) => p.split('.')[0]))];

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
  return out;
}
