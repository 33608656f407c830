/**
 * The state panel's values: an engine state (src/engine/state.ts) flattened to display strings keyed
 * `cpu<N>.<field>` and `<mm>.<field>`, and which keys changed between two steps. The labels are the
 * kernel's own names (`rq->curr`, `cpu_tlbstate.loaded_mm`, `mm_count`).
 */
import type { KernelState } from '../engine/state';
import type { StateLayout, StateValues } from './types';

export const CPU_FIELDS: StateLayout['cpuFields'] = [
  { key: 'online', label: 'online' },
  { key: 'curr', label: 'rq->curr' },
  { key: 'current', label: 'current' },
  { key: 'mm', label: 'rq->curr->mm' },
  { key: 'active_mm', label: 'rq->curr->active_mm' },
  { key: 'loaded_mm', label: 'loaded_mm' },
  { key: 'is_lazy', label: 'is_lazy' },
  { key: 'membarrier_state', label: 'rq->membarrier_state' },
  { key: 'prev_mm', label: 'rq->prev_mm' },
  { key: 'temp_mm', label: 'temporary mm' },
  { key: 'mode', label: 'mode' },
  { key: 'irqs', label: 'IRQs' },
];

export const MM_FIELDS: StateLayout['mmFields'] = [
  { key: 'mm_users', label: 'mm_users' },
  { key: 'mm_count', label: 'mm_count' },
  { key: 'cpumask', label: 'mm_cpumask' },
  { key: 'tlb_gen', label: 'tlb_gen' },
  { key: 'membarrier_state', label: 'membarrier_state' },
  { key: 'life', label: 'life' },
];

export const nul = (v: string | null | undefined): string => v ?? 'NULL';
export const hex = (v: number): string => `0x${v.toString(16)}`;
export const cpumaskText = (cpus: readonly number[]): string => `{${[...cpus].sort((a, b) => a - b).join(',')}}`;
export const irqsText = (off: boolean | null): string => (off === null ? '?' : off ? 'off' : 'on');

/** What `use_temporary_mm()` has loaded: `text_poke_mm (saved mm1)`, or `-`. */
export const tempMmText = (t: { temp: string; saved: string | null } | null): string => (t ? `${t.temp} (saved ${nul(t.saved)})` : '-');

/** The values of every CPU and mm in an engine state. */
export function valuesOfState(s: KernelState): StateValues {
  const v: StateValues = {};
  for (const c of s.cpus) {
    putCpuValues(v, c.id, c, s.tasks[c.curr]);
  }
  for (const id of s.mmOrder) {
    const m = s.mms[id];
    putMmValues(v, id, m, m.cpumask.flatMap((set, cpu) => (set ? [cpu] : [])));
  }
  return v;
}

/** What the panel shows of one CPU, from the engine's state or the trace mirror (same field names). */
export interface CpuView {
  online: boolean;
  curr: string;
  current: string;
  loadedMm: string;
  isLazy: boolean;
  rqMembarrierState: number;
  prevMm: string | null;
  tempMm: { temp: string; saved: string | null } | null;
  mode: string;
  irqsOff: boolean | null;
}
/** What the panel shows of one mm (its cpumask given as the CPUs set). */
export interface MmView {
  users: number;
  count: number;
  tlbGen: number;
  membarrierState: number;
  isStatic: boolean;
  freed: boolean;
  tornDown: boolean;
}

/** Writes CPU `id`'s values into `v` (`curr` is the task rq->curr names, for its mm and active_mm). */
export function putCpuValues(v: StateValues, id: number, c: CpuView, curr: { mm: string | null; activeMm: string | null } | undefined): void {
  const p = `cpu${id}.`;
  v[`${p}online`] = String(c.online);
  v[`${p}curr`] = c.curr;
  v[`${p}current`] = c.current;
  v[`${p}mm`] = nul(curr?.mm);
  v[`${p}active_mm`] = nul(curr?.activeMm);
  v[`${p}loaded_mm`] = c.loadedMm;
  v[`${p}is_lazy`] = String(c.isLazy);
  v[`${p}membarrier_state`] = hex(c.rqMembarrierState);
  v[`${p}prev_mm`] = nul(c.prevMm);
  v[`${p}temp_mm`] = tempMmText(c.tempMm);
  v[`${p}mode`] = c.mode;
  v[`${p}irqs`] = irqsText(c.irqsOff);
}

/** Writes mm `id`'s values into `v`. */
export function putMmValues(v: StateValues, id: string, m: MmView, cpumask: readonly number[]): void {
  const p = `${id}.`;
  v[`${p}mm_users`] = String(m.users);
  v[`${p}mm_count`] = String(m.count);
  v[`${p}cpumask`] = cpumaskText(cpumask);
  v[`${p}tlb_gen`] = String(m.tlbGen);
  v[`${p}membarrier_state`] = hex(m.membarrierState);
  v[`${p}life`] = mmLife(m.isStatic, m.freed, m.tornDown);
}

export const mmLife = (isStatic: boolean, freed: boolean, tornDown: boolean): string =>
  isStatic ? 'static' : freed ? 'FREED' : tornDown ? 'torn down' : 'live';

/** The keys whose value differs between `before` and `after` (a key that appears counts as changed). */
export function changedKeys(before: StateValues | null, after: StateValues): string[] {
  if (!before) return [];
  return Object.keys(after).filter((k) => before[k] !== after[k]);
}

/**
 * The mm ids that appear in any of `values` (keys `<mm>.mm_count`), in order of first appearance;
 * a static mm other than init_mm (efi_mm, text_poke_mm) only when it matters: some CPU field names
 * it, or one of its values changes.
 */
export function mmsOf(values: readonly StateValues[]): string[] {
  const seen = new Set<string>();
  for (const v of values) for (const k of Object.keys(v)) if (k.endsWith('.mm_count')) seen.add(k.slice(0, -'.mm_count'.length));
  const matters = (mm: string): boolean => {
    if (mm === 'init_mm' || values.length === 0 || values[0][`${mm}.life`] !== 'static') return true;
    const named = values.some((v) => Object.entries(v).some(([k, x]) => k.startsWith('cpu') && x.split(' ')[0] === mm));
    return named || values.some((v) => MM_FIELDS.some((f) => v[`${mm}.${f.key}`] !== values[0][`${mm}.${f.key}`]));
  };
  return [...seen].filter(matters);
}
