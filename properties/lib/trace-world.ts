/**
 * Test helper: a compact description of a boot state ({@link WorldSpec}) and the `init` event it
 * implies. Defaults follow a real boot: a task with an mm is a user task, a current kernel task is
 * lazy on the loaded mm, reference counts and `refs` list every holder (users, users1, grab, lazy).
 */
import {
  EFI_MM,
  INIT_MM,
  TEXT_POKE_MM,
  type Arch,
  type CpuId,
  type InitEvent,
  type MmId,
  type MmInit,
  type Strategy,
  type TaskId,
  type TaskStateName,
  type TaskType,
} from '../../src/trace/events';

/** A CPU at boot; unset fields follow from its current task. */
export interface CpuSpec {
  curr: TaskId;
  mode?: 'user' | 'kernel';
  loadedMm?: MmId;
  isLazy?: boolean;
  rqMembarrierState?: number;
  online?: boolean;
}
/** A task at boot; `type` defaults to user (with an mm), idle (`idle*`) or kthread. */
export interface TaskSpec {
  task: TaskId;
  type?: TaskType;
  tgid?: string | null;
  mm?: MmId | null;
  activeMm?: MmId | null;
  state?: TaskStateName;
}
/** A non-static mm at boot; counts default to what the tasks imply. */
export interface MmSpec {
  mm: MmId;
  users?: number;
  count?: number;
  membarrierState?: number;
  tlbGen?: number;
}
/** The boot state of a hand-written trace. */
export interface WorldSpec {
  arch?: Arch;
  strategy?: Strategy;
  /** Index = CPU id. */
  cpus: CpuSpec[];
  tasks: TaskSpec[];
  /** Non-static mms (init_mm, efi_mm and text_poke_mm are added). */
  mms?: MmSpec[];
  /** Overrides the computed initial references. */
  refs?: InitEvent['refs'];
  /** The init event's `irqsTracked` (absent by default: IRQ state is not concluded from absence). */
  irqsTracked?: boolean;
}

const STATIC_MMS = [INIT_MM, EFI_MM, TEXT_POKE_MM];

/** The init event a {@link WorldSpec} describes. */
export function buildInit(spec: WorldSpec): InitEvent {
  const strategy = spec.strategy ?? 'refcount';
  const currentOn = new Map<TaskId, CpuId>();
  spec.cpus.forEach((c, i) => currentOn.set(c.curr, i));
  const tasks = spec.tasks.map((t) => {
    const mm = t.mm ?? null;
    const type: TaskType = t.type ?? (mm !== null ? 'user' : t.task.startsWith('idle') ? 'idle' : 'kthread');
    const cpu = currentOn.get(t.task);
    const activeMm =
      t.activeMm !== undefined ? t.activeMm : mm !== null ? mm : cpu !== undefined ? (spec.cpus[cpu].loadedMm ?? INIT_MM) : null;
    const state: TaskStateName = t.state ?? (cpu !== undefined ? 'running' : 'runnable');
    return { task: t.task, type, tgid: t.tgid !== undefined ? t.tgid : type === 'user' ? t.task : null, mm, activeMm, state };
  });
  const byId = new Map(tasks.map((t) => [t.task, t]));
  const mmSpec = new Map((spec.mms ?? []).map((m) => [m.mm, m]));
  const cpus = spec.cpus.map((c, i) => {
    const t = byId.get(c.curr);
    if (t === undefined) throw new Error(`buildInit: cpu${i} runs unknown task ${c.curr}`);
    const loadedMm = c.loadedMm ?? t.activeMm ?? INIT_MM;
    const lazyShape = t.mm === null && t.activeMm === loadedMm && loadedMm !== INIT_MM;
    return {
      cpu: i, online: c.online ?? true, curr: c.curr, loadedMm, isLazy: c.isLazy ?? lazyShape,
      rqMembarrierState: c.rqMembarrierState ?? (t.mm !== null ? (mmSpec.get(t.mm)?.membarrierState ?? 0) : 0),
      mode: c.mode ?? (t.type === 'user' ? ('user' as const) : ('kernel' as const)),
    };
  });
  const refs: InitEvent['refs'] = [];
  const lazyHolders = cpus
    .map((c) => byId.get(c.curr)!)
    .filter((t) => t.mm === null && t.activeMm !== null && !STATIC_MMS.includes(t.activeMm));
  const mms: MmInit[] = (spec.mms ?? []).map((m) => {
    const users = tasks.filter((t) => t.mm === m.mm && t.type !== 'kthread' && t.state !== 'dead');
    const grabs = tasks.filter((t) => t.mm === m.mm && t.type === 'kthread');
    const lazy = strategy === 'refcount' ? lazyHolders.filter((t) => t.activeMm === m.mm) : [];
    for (const t of users) refs.push({ mm: m.mm, token: 'users', owner: `task:${t.task}` });
    if (users.length > 0) refs.push({ mm: m.mm, token: 'users1', owner: 'mm_users' });
    for (const t of grabs) refs.push({ mm: m.mm, token: 'grab', owner: `task:${t.task}` });
    for (const t of lazy) refs.push({ mm: m.mm, token: 'lazy', owner: `task:${t.task}` });
    return {
      mm: m.mm, static: false, users: m.users ?? users.length,
      count: m.count ?? (users.length > 0 ? 1 : 0) + grabs.length + lazy.length,
      membarrierState: m.membarrierState ?? 0, tlbGen: m.tlbGen ?? 0,
      cpumask: cpus.filter((c) => c.loadedMm === m.mm).map((c) => c.cpu),
    };
  });
  for (const id of STATIC_MMS) mms.push({ mm: id, static: true, users: 1, count: 1, membarrierState: 0, tlbGen: 0, cpumask: [] });
  return {
    k: 'init', cpu: null, fn: 'start_kernel', arch: spec.arch ?? 'x86', strategy, knobs: {},
    cpus, tasks, mms, refs: spec.refs ?? refs,
    ...(spec.irqsTracked !== undefined ? { irqsTracked: spec.irqsTracked } : {}),
  };
}
