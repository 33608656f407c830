/**
 * What each lazy-mm design costs, counted from a trace (so foreign engines get the same figures):
 * the numbers the seeds argue about. Andy Lutomirski (patch 16/23): "all CPUs can end up hammering
 * the same cacheline with atomic operations" (refcount); Nick Piggin: "314 additional interrupts on
 * a 144 CPU system during a kernel compile" (shootdown); Linus on hazard pointers: "now do this for
 * a machine with 1024 CPU's" (the __mmput scan).
 */
import type { TraceEvent } from '../trace/events';

export interface Costs {
  /** switch_to() events. */
  contextSwitches: number;
  /** mm_count atomics (ref events on mm_count) made inside context_switch()/finish_task_switch(). */
  mmCountAtomicsInSwitch: number;
  /** All mm_count atomics. */
  mmCountAtomics: number;
  /** exit_mmap() teardowns. */
  teardowns: number;
  /** IPIs sent to tear an mm down: shootdown IPIs, exit_flush_lazy_tlbs, exit_mmap's flush IPIs. */
  teardownIpis: number;
  /** All IPIs sent. */
  ipis: number;
  /** Remote runqueues examined by the hazard strategy's mm_unlazy_mm_count(). */
  remoteScans: number;
  /** Core syncs done only for membarrier SYNC_CORE in the switch path (finish_task_switch / arch). */
  extraSerializations: number;
}

export const COST_COLUMNS: readonly { key: keyof Costs; title: string; perSwitch: boolean }[] = [
  { key: 'mmCountAtomicsInSwitch', title: 'mm_count atomics in switch', perSwitch: true },
  { key: 'teardownIpis', title: 'IPIs per teardown', perSwitch: false },
  { key: 'remoteScans', title: 'remote scans in __mmput', perSwitch: true },
  { key: 'extraSerializations', title: 'extra serializations', perSwitch: true },
  { key: 'ipis', title: 'IPIs (all)', perSwitch: true },
];

const TEARDOWN_PATHS = new Set(['__mmput', 'cleanup_lazy_tlbs', '__mmdrop']);
const SWITCH_SERIALIZERS = new Set(['membarrier_mm_sync_core_before_usermode', 'switch_mm_irqs_off']);

export function emptyCosts(): Costs {
  return { contextSwitches: 0, mmCountAtomicsInSwitch: 0, mmCountAtomics: 0, teardowns: 0, teardownIpis: 0, ipis: 0, remoteScans: 0, extraSerializations: 0 };
}

/** Count the costs of one trace (or add them to `into`). */
export function computeCosts(events: readonly TraceEvent[], into: Costs = emptyCosts()): Costs {
  const inSwitch = new Map<number, number>();
  const inTeardown = new Map<number, number>();
  const depth = (m: Map<number, number>, cpu: number) => m.get(cpu) ?? 0;
  for (const e of events) {
    switch (e.k) {
      case 'path': {
        const m = e.fn === 'context_switch' ? inSwitch : TEARDOWN_PATHS.has(e.fn) ? inTeardown : null;
        if (m) m.set(e.cpu, depth(m, e.cpu) + (e.phase === 'begin' ? 1 : -1));
        break;
      }
      case 'switch_to':
        into.contextSwitches++;
        break;
      case 'ref':
        if (e.counter !== 'mm_count') break;
        into.mmCountAtomics++;
        if (depth(inSwitch, e.cpu) > 0) into.mmCountAtomicsInSwitch++;
        break;
      case 'mm_teardown':
        into.teardowns++;
        break;
      case 'ipi_send':
        into.ipis++;
        if (e.func === 'do_shoot_lazy_tlb' || e.func === 'do_exit_flush_lazy_tlb' || (depth(inTeardown, e.cpu) > 0 && e.func === 'flush_tlb_func')) into.teardownIpis++;
        break;
      case 'unlazy_scan':
        if (e.target !== e.cpu) into.remoteScans++;
        break;
      case 'serialize':
        if (e.how === 'sync_core' && SWITCH_SERIALIZERS.has(e.fn)) into.extraSerializations++;
        break;
      default:
        break;
    }
  }
  return into;
}

/** A cost column normalised the way `lazymm compare` prints it. */
export function costValue(c: Costs, key: keyof Costs, perSwitch: boolean): number {
  if (!perSwitch) return c.teardowns === 0 ? 0 : c[key] / c.teardowns;
  return c.contextSwitches === 0 ? 0 : (1000 * c[key]) / c.contextSwitches;
}
