/**
 * Test helper (used only by the property tests): builds traces by hand. A {@link WorldSpec}
 * (./trace-world.ts) gives the boot state; the builder appends events, returns their indices, and keeps a
 * {@link Mirror} of the state so that helpers can compute counter values and macros
 * (./trace-macros.ts) can follow the engine's event order.
 */
import type {
  CpuId,
  InitEvent,
  IpiFunc,
  MembarrierCmd,
  MembarrierEvent,
  MmId,
  RefCounter,
  RefOwner,
  RefToken,
  TaskId,
  TaskStateName,
  TraceEvent,
  UserEntryVia,
  UserExitVia,
} from '../../src/trace/events';
import { Mirror } from './mirror';
import { buildInit, type WorldSpec } from './trace-world';

export { buildInit, type WorldSpec } from './trace-world';

/** Appends events to a trace under construction; every emitter returns the new event's index. */
export class TraceBuilder {
  readonly init: InitEvent;
  readonly events: TraceEvent[];
  /** The state after the events so far. */
  readonly mirror: Mirror;
  /** Per `${cpu}:${mm}`: the TLB generation (what the x86 macros compare with tlb_gen). */
  readonly localGen = new Map<string, number>();
  private nextIpi = 1;
  private nextCall = 1;

  constructor(spec: WorldSpec) {
    this.init = buildInit(spec);
    this.events = [this.init];
    this.mirror = new Mirror(this.init);
    for (const c of this.init.cpus) for (const m of this.init.mms) this.localGen.set(`${c.cpu}:${m.mm}`, m.tlbGen);
  }

  /** Appends an event; returns its index. */
  push(ev: TraceEvent): number {
    const i = this.events.length;
    this.events.push(ev);
    this.mirror.apply(ev, i);
    if (ev.k === 'local_tlb_gen') this.localGen.set(`${ev.cpu}:${ev.mm}`, ev.gen);
    if (ev.k === 'load_mm' && ev.flushed && ev.mm !== 'SWITCHING') this.localGen.set(`${ev.cpu}:${ev.mm}`, this.mirror.mm(ev.mm).tlbGen);
    return i;
  }

  /** Index of the last event. */
  get last(): number {
    return this.events.length - 1;
  }

  current(cpu: CpuId): TaskId {
    return this.mirror.cpu(cpu).current;
  }

  mb(cpu: CpuId, fn = 'smp_mb'): number {
    return this.push({ k: 'mb', cpu, fn });
  }
  serialize(cpu: CpuId, how = 'sync_core', fn = 'sync_core'): number {
    return this.push({ k: 'serialize', cpu, fn, how });
  }
  path(cpu: CpuId, fn: string, phase: 'begin' | 'end', task: TaskId = this.current(cpu)): number {
    return this.push({ k: 'path', cpu, fn, phase, task });
  }
  rqCurr(cpu: CpuId, task: TaskId): number {
    return this.push({ k: 'rq_curr', cpu, fn: '__schedule', task });
  }
  switchTo(cpu: CpuId, task: TaskId): number {
    return this.push({ k: 'switch_to', cpu, fn: 'context_switch', prev: this.current(cpu), task });
  }
  prevMm(cpu: CpuId, mm: MmId | null, fn = 'context_switch'): number {
    return this.push({ k: 'prev_mm', cpu, fn, mm });
  }
  taskMm(cpu: CpuId, task: TaskId, mm: MmId | null, activeMm: MmId | null, fn = 'context_switch'): number {
    return this.push({ k: 'task_mm', cpu, fn, task, mm, activeMm });
  }
  taskState(cpu: CpuId, task: TaskId, state: TaskStateName, fn = 'do_task_dead'): number {
    return this.push({ k: 'task_state', cpu, fn, task, state });
  }
  loadMm(cpu: CpuId, mm: MmId | 'SWITCHING', opts: { cr3Write?: boolean; flushed?: boolean; fn?: string } = {}): number {
    return this.push({ k: 'load_mm', cpu, fn: opts.fn ?? 'switch_mm_irqs_off', mm, cr3Write: opts.cr3Write ?? true, flushed: opts.flushed ?? false });
  }
  lazy(cpu: CpuId, lazy: boolean, fn = 'enter_lazy_tlb'): number {
    return this.push({ k: 'lazy', cpu, fn, lazy });
  }
  cpumask(cpu: CpuId, mm: MmId, target: CpuId, set: boolean, fn = 'switch_mm_irqs_off'): number {
    return this.push({ k: 'cpumask', cpu, fn, mm, target, set });
  }
  rqState(cpu: CpuId, value: number, fn = 'membarrier_update_current_mm'): number {
    return this.push({ k: 'rq_membarrier_state', cpu, fn, value });
  }
  mmState(cpu: CpuId, mm: MmId, value: number, fn = 'membarrier_register'): number {
    return this.push({ k: 'mm_membarrier_state', cpu, fn, mm, value });
  }
  userEnter(cpu: CpuId, via: UserEntryVia = 'sysret', task: TaskId = this.current(cpu)): number {
    return this.push({ k: 'user_enter', cpu, fn: via === 'sysret' ? 'entry_SYSRETQ_unsafe_stack' : 'swapgs_restore_regs_and_return_to_usermode', task, via });
  }
  userExit(cpu: CpuId, via: UserExitVia = 'syscall', task: TaskId = this.current(cpu)): number {
    return this.push({ k: 'user_exit', cpu, fn: 'entry_SYSCALL_64', task, via });
  }
  deref(cpu: CpuId, who: 'nmi' | 'walker' | 'kernel', mm: MmId | null = this.mirror.task(this.current(cpu)).activeMm): number {
    return this.push({ k: 'deref', cpu, fn: who === 'nmi' ? 'perf_callchain' : who === 'walker' ? 'page_walk' : 'kernel', mm, who });
  }
  kthreadAccess(cpu: CpuId, mm: MmId, phase: 'begin' | 'end', task: TaskId = this.current(cpu)): number {
    return this.push({ k: 'kthread_access', cpu, fn: phase === 'begin' ? 'kthread_use_mm' : 'kthread_unuse_mm', task, mm, phase });
  }

  /** A reference change; `value` is computed from the mirror. */
  ref(cpu: CpuId, mm: MmId, counter: RefCounter, delta: 1 | -1, token: RefToken, owner: RefOwner, fn = 'mm_ref'): number {
    const m = this.mirror.mm(mm);
    const value = (counter === 'mm_users' ? m.users : m.count) + delta;
    return this.push({ k: 'ref', cpu, fn, mm, counter, delta, value, token, owner });
  }
  /** mmgrab()-style: +1 mm_count (`users` tokens go to mm_users). */
  grab(cpu: CpuId, mm: MmId, token: RefToken, owner: RefOwner, fn = 'mmgrab'): number {
    return this.ref(cpu, mm, token === 'users' ? 'mm_users' : 'mm_count', 1, token, owner, fn);
  }
  /** mmdrop()-style: -1, then the full barrier of atomic_dec_and_test(), then __mmdrop() at zero. */
  drop(cpu: CpuId, mm: MmId, token: RefToken, owner: RefOwner, fn = 'mmdrop'): number {
    const counter = token === 'users' ? 'mm_users' : 'mm_count';
    const i = this.ref(cpu, mm, counter, -1, token, owner, fn);
    this.mb(cpu, fn);
    if (counter === 'mm_count' && this.mirror.mm(mm).count === 0) {
      this.push({ k: 'mmdrop_begin', cpu, fn: '__mmdrop', mm });
      this.push({ k: 'mm_free', cpu, fn: '__mmdrop', mm });
    }
    return i;
  }
  refMove(cpu: CpuId, mm: MmId, token: RefToken, from: RefOwner, to: RefOwner, fn = 'context_switch'): number {
    return this.push({ k: 'ref_move', cpu, fn, mm, token, from, to });
  }

  /** A `membarrier_register` phase of the registration of `cmd` for the current task's mm. */
  mbRegister(cpu: CpuId, cmd: MembarrierCmd, phase: 'enter' | 'ready' | 'return', mm: MmId = this.mirror.task(this.current(cpu)).mm as MmId): number {
    return this.push({ k: 'membarrier_register', cpu, fn: 'membarrier_register', cmd, mm, phase });
  }

  /** membarrier() call phases; `enter` allocates the call id. */
  mbEnter(cpu: CpuId, cmd: MembarrierCmd, task: TaskId = this.current(cpu)): number {
    const call = this.nextCall++;
    const mm = this.mirror.task(task).mm;
    this.push({ k: 'membarrier', cpu, fn: 'membarrier', call, cmd, task, mm, phase: 'enter' });
    return call;
  }
  mbPhase(cpu: CpuId, call: number, phase: 'mb_start' | 'mb_end' | 'return', ret?: { ret: number; shortCircuit?: boolean }): number {
    const enter = this.events.find((e): e is MembarrierEvent => e.k === 'membarrier' && e.call === call && e.phase === 'enter');
    if (enter === undefined) throw new Error(`mbPhase: unknown call ${call}`);
    const ev: MembarrierEvent = { ...enter, cpu, phase };
    if (phase === 'return') {
      ev.ret = ret?.ret ?? 0;
      ev.shortCircuit = ret?.shortCircuit ?? false;
    }
    return this.push(ev);
  }
  mbScan(cpu: CpuId, call: number, target: CpuId, selected: boolean): number {
    const c = this.mirror.cpu(target);
    const t = this.mirror.task(c.curr);
    return this.push({
      k: 'membarrier_scan', cpu, fn: 'membarrier', call, target, currTask: t.id, currMm: t.mm,
      rqMembarrierState: c.rqMembarrierState, selected,
    });
  }
  ipiSend(cpu: CpuId, target: CpuId, func: IpiFunc, mm: MmId | null = null): number {
    const id = this.nextIpi++;
    this.push({ k: 'ipi_send', cpu, fn: 'smp_call_function_many', id, target, func, mm });
    return id;
  }
  ipiHandle(cpu: CpuId, id: number | null, func: IpiFunc, from: CpuId, mm: MmId | null = null): number {
    return this.push({ k: 'ipi_handle', cpu, fn: func, id, from, mm, local: id === null });
  }
}
