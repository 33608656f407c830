/**
 * The toy machine at boot and its `init` event: `procs` processes of `threads` threads each (one mm
 * per process), `kthreads` kernel threads, and one idle task per CPU. CPU i runs the i-th user
 * thread if there is one (in user mode), else its idle task (in kernel mode, on init_mm).
 */
import type { ModelConfig } from 'lazymm/engines';
import { INIT_MM, type InitEvent, type TaskStateName } from 'lazymm/trace';
import type { ToyKnobs, ToyState, ToyTask } from './state';

/** The arch and strategy the toy declares in its traces (see the README: why x86 and shootdown). */
export const TOY_ARCH = 'x86' as const;
export const TOY_STRATEGY = 'shootdown' as const;

export function initialState(config: ModelConfig): ToyState {
  const tasks: ToyTask[] = [];
  let n = 0;
  for (let p = 1; p <= config.procs; p++) {
    for (let t = 0; t < config.threads; t++) tasks.push({ id: `T${++n}`, type: 'user', tgid: `P${p}`, mm: `mm${p}`, activeMm: `mm${p}`, cpu: null });
  }
  for (let k = 1; k <= config.kthreads; k++) tasks.push({ id: `K${k}`, type: 'kthread', tgid: null, mm: null, activeMm: null, cpu: null });
  const users = tasks.filter((t) => t.type === 'user');
  const state: ToyState = { cpus: [], tasks: {}, order: [], mms: {}, nextCall: 1, nextIpi: 1 };
  for (let c = 0; c < config.cpus; c++) {
    const idle: ToyTask = { id: `idle${c}`, type: 'idle', tgid: null, mm: null, activeMm: null, cpu: null };
    tasks.push(idle);
    const curr = users[c] ?? idle;
    curr.cpu = c;
    if (curr === idle) idle.activeMm = INIT_MM;
    state.cpus.push({ id: c, curr: curr.id, rqCurr: curr.id, idle: idle.id, mode: curr.type === 'user' ? 'user' : 'kernel', loadedMm: curr.activeMm!, lazy: false, path: null, ipis: [] });
  }
  for (const t of tasks) state.tasks[t.id] = t;
  state.order = tasks.map((t) => t.id);
  state.mms[INIT_MM] = { id: INIT_MM, membarrierState: 0, cpumask: [] };
  for (let p = 1; p <= config.procs; p++) state.mms[`mm${p}`] = { id: `mm${p}`, membarrierState: 0, cpumask: [] };
  for (const c of state.cpus) state.mms[c.loadedMm].cpumask.push(c.id);
  return state;
}

/** Event 0 of every toy trace. */
export function initEvent(s: ToyState, config: ModelConfig, knobs: ToyKnobs): InitEvent {
  const running = (t: ToyTask): TaskStateName => (t.cpu === null ? 'runnable' : 'running');
  return {
    k: 'init',
    cpu: null,
    fn: 'start_kernel',
    arch: TOY_ARCH,
    strategy: TOY_STRATEGY,
    knobs: { model: 'toy-sync-core', pti: false, ...knobs },
    cpus: s.cpus.map((c) => ({ cpu: c.id, online: true, curr: c.curr, loadedMm: c.loadedMm, isLazy: false, rqMembarrierState: 0, mode: c.mode })),
    tasks: s.order.map((id) => s.tasks[id]).map((t) => ({ task: t.id, type: t.type, tgid: t.tgid, mm: t.mm, activeMm: t.activeMm, state: running(t) })),
    mms: Object.values(s.mms).map((m) => ({
      mm: m.id,
      static: m.id === INIT_MM,
      users: m.id === INIT_MM ? 1 : config.threads,
      count: 1,
      membarrierState: 0,
      tlbGen: 0,
      cpumask: [...m.cpumask],
    })),
    refs: [],
  };
}
