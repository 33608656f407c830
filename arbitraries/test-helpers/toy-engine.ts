/**
 * A tiny engine that honours the engine contract (src/engine/contract.ts), for testing the
 * arbitraries independently of the real engines. It models only context switches (a two-step path,
 * so other CPUs can interleave), syscalls, returns to user, exits and NMIs, and emits real trace
 * events so the trace view and scenario classes work on it.
 */
import type { Engine, ModelConfig } from '../../src/engine/contract';
import type { Op } from '../../src/engine/ops';
import type { CpuId, InitEvent, MmId, MmInit, TaskId, TaskType, TraceEvent } from '../../src/trace/events';
import { INIT_MM } from '../../src/trace/events';

interface ToyTask {
  id: TaskId;
  type: TaskType;
  mm: MmId | null;
  activeMm: MmId | null;
  cpu: CpuId | null;
  dead: boolean;
  exiting: boolean;
}

interface ToyCpu {
  curr: TaskId;
  idle: TaskId;
  mode: 'user' | 'kernel';
  /** The context switch in flight: 1 = rq->curr published, mm switch next. */
  path: { next: TaskId; stage: 1 | 2 } | null;
}

export interface ToyState {
  cpus: ToyCpu[];
  tasks: Record<TaskId, ToyTask>;
  order: TaskId[];
}

/** The toy engine. `id` lets tests make two engines with different default seeds. */
export function createToyEngine(id = 'toy/refcount'): Engine<ToyState> {
  return {
    info: { id, arch: 'x86', strategy: 'refcount', knobs: {} },
    init,
    enabled,
    apply,
    clone: (s) => structuredClone(s),
  };
}

function init(config: ModelConfig): { state: ToyState; events: TraceEvent[] } {
  const tasks: ToyTask[] = [];
  let n = 0;
  for (let p = 1; p <= config.procs; p++) {
    for (let t = 0; t < config.threads; t++) {
      tasks.push({ id: `T${++n}`, type: 'user', mm: `mm${p}`, activeMm: `mm${p}`, cpu: null, dead: false, exiting: false });
    }
  }
  for (let k = 1; k <= config.kthreads; k++) {
    tasks.push({ id: `K${k}`, type: 'kthread', mm: null, activeMm: null, cpu: null, dead: false, exiting: false });
  }
  const cpus: ToyCpu[] = [];
  for (let c = 0; c < config.cpus; c++) {
    const idle: ToyTask = { id: `idle${c}`, type: 'idle', mm: null, activeMm: INIT_MM, cpu: null, dead: false, exiting: false };
    tasks.push(idle);
    const user = tasks.find((t) => t.type === 'user' && t.cpu === null);
    const curr = user ?? idle;
    curr.cpu = c;
    cpus.push({ curr: curr.id, idle: idle.id, mode: curr.type === 'user' ? 'user' : 'kernel', path: null });
  }
  const state: ToyState = {
    cpus,
    tasks: Object.fromEntries(tasks.map((t) => [t.id, t])),
    order: tasks.map((t) => t.id),
  };
  const cpumask = (mm: MmId) => cpus.flatMap((c, i) => (state.tasks[c.curr].activeMm === mm ? [i] : []));
  const mms: MmInit[] = [{ mm: INIT_MM, static: true, users: 1, count: 1, membarrierState: 0, tlbGen: 0, cpumask: cpumask(INIT_MM) }];
  for (let p = 1; p <= config.procs; p++) {
    const mm = `mm${p}`;
    mms.push({ mm, static: false, users: config.threads, count: 1, membarrierState: 0, tlbGen: 0, cpumask: cpumask(mm) });
  }
  const ev: InitEvent = {
    k: 'init',
    cpu: null,
    fn: 'start_kernel',
    arch: 'x86',
    strategy: 'refcount',
    knobs: {},
    cpus: cpus.map((c, i) => ({
      cpu: i,
      online: true,
      curr: c.curr,
      loadedMm: state.tasks[c.curr].activeMm ?? INIT_MM,
      isLazy: false,
      rqMembarrierState: 0,
      mode: c.mode,
    })),
    tasks: tasks.map((t) => ({
      task: t.id,
      type: t.type,
      tgid: t.mm,
      mm: t.mm,
      activeMm: t.activeMm,
      state: t.cpu === null ? 'runnable' : 'running',
    })),
    mms,
    refs: [],
  };
  return { state, events: [ev] };
}

function enabled(s: ToyState): Op[] {
  const ops: Op[] = [];
  s.cpus.forEach((c, cpu) => {
    const curr = s.tasks[c.curr];
    if (c.path) {
      ops.push({ op: 'step', cpu });
      return;
    }
    if (c.mode === 'user') {
      ops.push({ op: 'syscall', cpu });
    } else {
      for (const id of s.order) {
        const t = s.tasks[id];
        if (t.cpu !== null || t.dead || (t.type === 'idle' && id !== c.idle)) continue;
        ops.push({ op: 'schedule', cpu, next: id });
      }
      if (curr.type === 'user' && !curr.exiting) {
        ops.push({ op: 'return_to_user', cpu, via: 'sysret' });
        ops.push({ op: 'exit', cpu });
      }
    }
    ops.push({ op: 'nmi', cpu });
  });
  return ops;
}

function apply(s: ToyState, op: Op): TraceEvent[] {
  const c = s.cpus[op.cpu];
  const cpu = op.cpu;
  const curr = s.tasks[c.curr];
  switch (op.op) {
    case 'schedule':
      c.path = { next: op.next, stage: 1 };
      s.tasks[op.next].cpu = cpu; // claimed: no other CPU may pick it
      return [
        { k: 'path', cpu, fn: '__schedule', phase: 'begin', task: curr.id },
        { k: 'rq_curr', cpu, fn: '__schedule', task: op.next },
      ];
    case 'step': {
      const path = c.path!;
      const next = s.tasks[path.next];
      if (path.stage === 1) {
        path.stage = 2;
        if (next.mm !== null) return [{ k: 'task_mm', cpu, fn: 'context_switch', task: next.id, mm: next.mm, activeMm: next.mm }];
        next.activeMm = curr.activeMm; // enter_lazy_tlb: borrow prev's active_mm
        return [{ k: 'task_mm', cpu, fn: 'context_switch', task: next.id, mm: null, activeMm: next.activeMm }];
      }
      c.path = null;
      curr.cpu = null;
      const events: TraceEvent[] = [];
      if (curr.mm === null && curr.type !== 'idle') {
        curr.activeMm = null;
        events.push({ k: 'task_mm', cpu, fn: 'context_switch', task: curr.id, mm: null, activeMm: null });
      }
      if (curr.exiting) {
        curr.dead = true;
        events.push({ k: 'task_state', cpu, fn: 'finish_task_switch', task: curr.id, state: 'dead' });
      }
      c.curr = next.id;
      events.push({ k: 'switch_to', cpu, fn: 'context_switch', prev: curr.id, task: next.id });
      events.push({ k: 'path', cpu, fn: '__schedule', phase: 'end', task: curr.id });
      return events;
    }
    case 'syscall':
      c.mode = 'kernel';
      return [{ k: 'user_exit', cpu, fn: 'entry_SYSCALL_64', task: curr.id, via: 'syscall' }];
    case 'return_to_user':
      c.mode = 'user';
      return [{ k: 'user_enter', cpu, fn: 'syscall_return_slowpath', task: curr.id, via: op.via }];
    case 'exit':
      curr.exiting = true;
      curr.mm = null;
      return [{ k: 'task_mm', cpu, fn: 'exit_mm', task: curr.id, mm: null, activeMm: curr.activeMm }];
    case 'nmi':
      return [{ k: 'deref', cpu, fn: 'perf_nmi', mm: curr.activeMm, who: 'nmi' }];
    default:
      throw new Error(`toy engine: op ${op.op} is never enabled`);
  }
}
