/**
 * The execution context of one op: the state, the events being emitted, the configured hooks, and
 * the frame stack the current code runs on (so a step can call a multi-step sub-path).
 */
import type { ArchHooks } from './arch/arch';
import type { Knobs } from './contract';
import type { Frame } from './frames';
import type { CpuState, KernelState, MmState, TaskState } from './state';
import type { LazyStrategy } from './strategies/strategy';
import { MEMBARRIER_STATE, type CpuId, type MmId, type TaskId, type TraceEvent } from '../trace/events';
import type { VariantFlags } from './variants';
import { CopyOnAccess } from './copy-on-access';

/** The value of knob storeBuffer that also buffers x86's LOADED_MM_SWITCHING and is_lazy = false stores (the default). */
export const STORE_BUFFER_TLBSTATE = 'rq-membarrier-state+tlbstate';

export class Kctx {
  /** The stack that sub-paths are pushed on (the running task's frames or the CPU's frame). */
  stack: Frame[] = [];
  /**
   * Per CPU, the index in `ev` of the `store_buffered` event of its LOADED_MM_SWITCHING store made in
   * this op (knob storeBuffer={@link STORE_BUFFER_TLBSTATE}): a drain in the same op replaces it ({@link drainLoadedMm}).
   */
  private readonly loadedMmStoredAt: (number | undefined)[] = [];
  /** The same for the `store_buffered` event of an is_lazy store made in this op ({@link drainLazy}). */
  private readonly lazyStoredAt: (number | undefined)[] = [];
  /** The explorer's shared records, copied on first access (./copy-on-access.ts); undefined: plain state. */
  private readonly cow: CopyOnAccess | undefined;

  constructor(
    readonly s: KernelState,
    readonly ev: TraceEvent[],
    readonly arch: ArchHooks,
    readonly strategy: LazyStrategy,
    readonly knobs: Knobs,
    readonly bug: VariantFlags,
  ) {
    this.cow = CopyOnAccess.take(s);
  }

  emit(e: TraceEvent): void {
    this.ev.push(e);
  }
  /** CPU `id`'s record, this op's own copy when the state's records are shared (./copy-on-access.ts). */
  cpu(id: CpuId): CpuState {
    return this.cow === undefined ? this.s.cpus[id] : this.cow.cpu(id);
  }
  /**
   * Every CPU record, each this op's own copy (for a loop that writes CPUs it walks, or holds them
   * while it writes). A loop that only reads values it uses at once may walk `s.cpus` directly.
   */
  cpus(): CpuState[] {
    return this.cow === undefined ? this.s.cpus : this.cow.cpus();
  }
  task(id: TaskId): TaskState {
    return this.cow === undefined ? this.s.tasks[id] : this.cow.task(id);
  }
  mm(id: MmId): MmState {
    return this.cow === undefined ? this.s.mms[id] : this.cow.mm(id);
  }
  /** The task whose code runs on `cpu` (`current`). */
  current(cpu: CpuId): TaskState {
    return this.task(this.s.cpus[cpu].current);
  }
  /** A task created by this op (fork): every later access sees this record. */
  addTask(t: TaskState): void {
    this.s.tasks[t.id] = t;
    this.s.taskOrder.push(t.id);
    this.cow?.ownTask(t.id);
  }
  /** An mm created by this op (mm_alloc(), dup_mm()). */
  addMm(m: MmState): void {
    this.s.mms[m.id] = m;
    this.s.mmOrder.push(m.id);
    this.cow?.ownMm(m.id);
  }
  /** The online CPUs, read only (their ids and count: the records may be shared, ./copy-on-access.ts). */
  onlineCpus(): readonly CpuState[] {
    return this.s.cpus.filter((c) => c.online);
  }
  knob<T extends string | number | boolean>(name: string): T {
    return this.knobs[name] as T;
  }
  /** smp_mb() and every full barrier: drains this CPU's store buffer first (knob storeBuffer). */
  mb(cpu: CpuId, fn: string): void {
    this.drainStoreBuffer(cpu, fn);
    this.emit({ k: 'mb', cpu, fn });
  }
  serialize(cpu: CpuId, fn: string, how: string): void {
    this.emit({ k: 'serialize', cpu, fn, how });
  }
  path(cpu: CpuId, fn: string, phase: 'begin' | 'end', task: TaskId): void {
    this.emit({ k: 'path', cpu, fn, phase, task });
  }
  setTaskMm(cpu: CpuId, fn: string, t: TaskState, mm: MmId | null, activeMm: MmId | null): void {
    t.mm = mm;
    t.activeMm = activeMm;
    this.emit({ k: 'task_mm', cpu, fn, task: t.id, mm, activeMm });
  }
  setPrevMm(cpu: CpuId, fn: string, mm: MmId | null): void {
    this.cpu(cpu).prevMm = mm;
    this.emit({ k: 'prev_mm', cpu, fn, mm });
  }
  /**
   * WRITE_ONCE(rq->membarrier_state) / this_cpu_write() by `cpu` on its own runqueue (every writer
   * is the runqueue's CPU). With the knob storeBuffer='rq-membarrier-state' (docs/store-buffer.md)
   * a store that would make MEMBARRIER_STATE_GLOBAL_EXPEDITED appear in memory waits in the CPU's
   * store buffer until its next drain (the latest a TSO store can become visible); any other store
   * drains the buffer (FIFO) and is visible at once (the earliest). Both are the worst case for the
   * one reader on another CPU, membarrier_global_expedited()'s scan, which skips a CPU without the
   * bit. Without the knob every store is visible at once.
   */
  setRqMembarrierState(cpu: CpuId, fn: string, value: number): void {
    const c = this.cpu(cpu);
    if (this.knobs.storeBuffer === 'rq-membarrier-state' || this.knobs.storeBuffer === STORE_BUFFER_TLBSTATE) {
      const appears = (value & MEMBARRIER_STATE.GLOBAL_EXPEDITED) !== 0 && (c.rqMembarrierState & MEMBARRIER_STATE.GLOBAL_EXPEDITED) === 0;
      if (appears) {
        c.rqMembarrierStateBuffered = value;
        c.rqMembarrierStateBufferedBy = fn;
        this.emit({ k: 'store_buffered', cpu, fn, loc: 'rq_membarrier_state', value });
        return;
      }
      this.drainStoreBuffer(cpu, fn);
    }
    c.rqMembarrierState = value;
    this.emit({ k: 'rq_membarrier_state', cpu, fn, value });
  }
  /**
   * READ_ONCE(rq->membarrier_state) by `cpu` of its own runqueue (membarrier_switch_mm(),
   * membarrier_update_current_mm(), membarrier_exec_mmap()): its own buffered store if any (store
   * forwarding), else memory. Another CPU's read (the membarrier scan) reads `rqMembarrierState`.
   */
  ownRqMembarrierState(cpu: CpuId): number {
    const c = this.s.cpus[cpu];
    return c.rqMembarrierStateBuffered ?? c.rqMembarrierState;
  }
  /**
   * The buffered stores of `cpu` become visible to every CPU, in program order (only the last one
   * of the one buffered location is left to show), before what drains them (`by`): a full barrier,
   * an x86 locked RMW, the csd_unlock() release that ends a remote IPI handler.
   */
  drainStoreBuffer(cpu: CpuId, by: string): void {
    // Program order (FIFO): every path that buffers more than one location stores the rq state
    // first (membarrier_switch_mm() runs before switch_mm_irqs_off() in context_switch()), then
    // switch_mm_irqs_off() stores is_lazy, then LOADED_MM_SWITCHING.
    this.drainRqMembarrierState(cpu, by);
    this.drainLazy(cpu, by);
    this.drainLoadedMm(cpu, by);
  }
  private drainRqMembarrierState(cpu: CpuId, by: string): void {
    const c = this.cpu(cpu);
    if (c.rqMembarrierStateBuffered == null) return;
    const value = c.rqMembarrierStateBuffered;
    const fn = c.rqMembarrierStateBufferedBy ?? 'rq->membarrier_state';
    // Deleted rather than nulled: an empty buffer is the state the knob-off engine has, so the
    // explorer's structural hash (src/explore/canonical.ts) merges the two. In the reverse order of
    // their addition: V8 then rolls the object back to its earlier hidden class instead of turning
    // it into a slow dictionary object (every later access of this CpuState would pay for that).
    delete c.rqMembarrierStateBufferedBy;
    delete c.rqMembarrierStateBuffered;
    c.rqMembarrierState = value;
    this.emit({ k: 'rq_membarrier_state', cpu, fn, value, drainedBy: by });
  }
  /**
   * x86 switch_mm_irqs_off()'s "this_cpu_write(cpu_tlbstate.loaded_mm, LOADED_MM_SWITCHING)" by `cpu`.
   * `loadedMm` is the CPU's own view at once (its NMIs and its own reads forward from the buffer).
   * With the knob storeBuffer='rq-membarrier-state+tlbstate' (docs/store-buffer.md, "The second
   * location") the store waits in the CPU's store buffer until its next drain, the latest x86-TSO
   * allows: that is the worst case for the remote readers (should_flush_tlb(), which IPIs a CPU it
   * sees SWITCHING; finish_asid_transition()'s spin), which read {@link visibleLoadedMm}. Trace: a
   * `store_buffered` event, then a `load_mm` SWITCHING event with `drainedBy` when it becomes
   * visible; drained in the same op (no other CPU ran in between), the pair is one `load_mm` event,
   * the trace of a store visible at once.
   */
  setLoadedMmSwitching(cpu: CpuId, fn: string): void {
    const c = this.cpu(cpu);
    this.drainLoadedMm(cpu, fn);
    if (this.knobs.storeBuffer !== STORE_BUFFER_TLBSTATE) {
      c.loadedMm = 'SWITCHING';
      this.emit({ k: 'load_mm', cpu, fn, mm: 'SWITCHING', cr3Write: false, flushed: false });
      return;
    }
    c.loadedMmVisible = c.loadedMm;
    c.loadedMmBufferedBy = fn;
    c.loadedMm = 'SWITCHING';
    this.loadedMmStoredAt[cpu] = this.ev.length;
    this.emit({ k: 'store_buffered', cpu, fn, loc: 'loaded_mm', value: 'SWITCHING' });
  }
  /** per_cpu(cpu_tlbstate.loaded_mm, cpu) read by another CPU: memory, not the writer's buffer. */
  visibleLoadedMm(cpu: CpuId): MmId | 'SWITCHING' {
    const c = this.s.cpus[cpu];
    return c.loadedMmVisible ?? c.loadedMm;
  }
  /** The buffered LOADED_MM_SWITCHING store of `cpu`, if any, becomes visible (`by` drains it). */
  private drainLoadedMm(cpu: CpuId, by: string): void {
    const c = this.cpu(cpu);
    if (c.loadedMmVisible === undefined) return;
    const fn = c.loadedMmBufferedBy ?? 'switch_mm_irqs_off';
    // Deleted, in the reverse order of their addition, as in drainRqMembarrierState().
    delete c.loadedMmBufferedBy;
    delete c.loadedMmVisible;
    const at = this.loadedMmStoredAt[cpu];
    this.loadedMmStoredAt[cpu] = undefined;
    const visible: TraceEvent = { k: 'load_mm', cpu, fn, mm: 'SWITCHING', cr3Write: false, flushed: false };
    // Stored and drained inside one op: no other CPU ran in between, so nothing could read the old
    // value; the store_buffered event becomes the plain store's event (the trace the knob-off engine has).
    if (at !== undefined) this.ev[at] = visible;
    else this.emit({ ...visible, drainedBy: by });
  }
  /**
   * A non-value-returning atomic RMW by `cpu` (atomic_or(), set_bit(), ...): unordered on arm64 and
   * powerpc (Documentation/atomic_t.txt: "The RMW ops ... that do not return a value are
   * unordered"), a full barrier on x86 ({@link ArchHooks.lockedRmwDrainsStoreBuffer}), where it is a
   * LOCK-prefixed instruction: "Locked instructions have a total order" and "Loads and stores are
   * not reordered with locked instructions" (Intel SDM vol. 3, 8.2.2). The x86 kernel relies on it:
   * "Atomic operations are already serializing on x86" (arch/x86/include/asm/barrier.h, where
   * smp_mb__before_atomic() / smp_mb__after_atomic() are barrier()), and switch_mm_irqs_off() "Rely
   * on the smp_mb() implied by cpumask_set_cpu()'s atomic operation" (83b0177a6c48). So on x86 it
   * drains the store buffer (the barrier completes only once the buffer has drained, as in
   * {@link mb}) and is an `mb` event with `how: 'lock'`, a barrier the membarrier properties count.
   * It is not core-serializing (SDM vol. 3, 8.3 lists no locked instruction): no `serialize`.
   */
  atomicRmw(cpu: CpuId, fn: string): void {
    if (!this.arch.lockedRmwDrainsStoreBuffer) return;
    this.drainStoreBuffer(cpu, fn);
    this.emit({ k: 'mb', cpu, fn, how: 'lock' });
  }
  setMmMembarrierState(cpu: CpuId, fn: string, mm: MmState, value: number): void {
    mm.membarrierState = value;
    this.emit({ k: 'mm_membarrier_state', cpu, fn, mm: mm.id, value });
  }
  /**
   * this_cpu_write(cpu_tlbstate_shared.is_lazy, lazy) by `cpu` (x86). The `lazy` event is the CPU's
   * own view, at once (what the properties read). With the knob storeBuffer='rq-membarrier-state+tlbstate'
   * a store of false over a true in memory (switch_mm_irqs_off()'s "if (was_lazy) ... is_lazy, false")
   * waits in the store buffer until the CPU's next drain: the latest x86-TSO allows, the worst case
   * for should_flush_tlb(), which skips a CPU it reads lazy ({@link visibleIsLazy}). A store of true
   * (enter_lazy_tlb()) drains the buffer (FIFO) and is visible at once, the worst case too. Trace: a
   * `store_buffered` event after the `lazy` event, and a second `lazy` event with `drainedBy` when
   * it becomes visible; drained in the same op, the `store_buffered` event is taken out again.
   */
  setLazy(cpu: CpuId, fn: string, lazy: boolean): void {
    const c = this.cpu(cpu);
    const buffer = !lazy && this.knobs.storeBuffer === STORE_BUFFER_TLBSTATE && this.visibleIsLazy(cpu);
    if (!buffer) this.drainLazy(cpu, fn);
    else if (c.isLazyVisible === undefined) c.isLazyVisible = c.isLazy;
    c.isLazy = lazy;
    this.emit({ k: 'lazy', cpu, fn, lazy });
    if (!buffer) return;
    this.lazyStoredAt[cpu] = this.ev.length;
    this.emit({ k: 'store_buffered', cpu, fn, loc: 'is_lazy', value: false });
  }
  /** per_cpu(cpu_tlbstate_shared.is_lazy, cpu) read by another CPU: memory, not the writer's buffer. */
  visibleIsLazy(cpu: CpuId): boolean {
    const c = this.s.cpus[cpu];
    return c.isLazyVisible ?? c.isLazy;
  }
  /** The buffered is_lazy store of `cpu`, if any, becomes visible (`by` drains it). */
  private drainLazy(cpu: CpuId, by: string): void {
    const c = this.cpu(cpu);
    if (c.isLazyVisible === undefined) return;
    delete c.isLazyVisible;
    const at = this.lazyStoredAt[cpu];
    this.lazyStoredAt[cpu] = undefined;
    if (at === undefined) {
      // The one writer whose store is buffered is switch_mm_irqs_off() (setLazy(false)).
      this.emit({ k: 'lazy', cpu, fn: 'switch_mm_irqs_off', lazy: c.isLazy, drainedBy: by });
      return;
    }
    // Stored and drained inside one op: nothing could read the old value (see drainLoadedMm()).
    this.ev.splice(at, 1);
    for (const list of [this.loadedMmStoredAt, this.lazyStoredAt]) {
      list.forEach((i, n) => {
        if (i !== undefined && i > at) list[n] = i - 1;
      });
    }
  }
  /**
   * cpumask_set_cpu() / cpumask_clear_cpu() of mm_cpumask(mm) by `cpu`: set_bit() / clear_bit(), a
   * non-value-returning atomic RMW ("LOCK_PREFIX" bts/btr in arch/x86/include/asm/bitops.h), so on
   * x86 it drains `cpu`'s store buffer first ({@link atomicRmw}; knob storeBuffer).
   */
  setCpumask(cpu: CpuId, fn: string, mm: MmState, target: CpuId, set: boolean): void {
    this.atomicRmw(cpu, set ? 'cpumask_set_cpu' : 'cpumask_clear_cpu');
    mm.cpumask[target] = set;
    this.emit({ k: 'cpumask', cpu, fn, mm: mm.id, target, set });
  }
  /** local_irq_disable() (`off`) / local_irq_enable(): emits an `irqs` event when the state changes. */
  setIrqs(cpu: CpuId, off: boolean, fn: string = off ? 'local_irq_disable' : 'local_irq_enable'): void {
    if (this.s.cpus[cpu].irqsOff === off) return;
    this.cpu(cpu).irqsOff = off;
    this.emit({ k: 'irqs', cpu, fn, enabled: !off });
  }
  /**
   * local_irq_save(): IRQs off (an `irqs` event only if they were on); returns the saved state for
   * {@link irqRestore}. Inside a hard-IRQ handler IRQs are already off, so nothing is emitted.
   */
  irqSave(cpu: CpuId): boolean {
    const saved = this.s.cpus[cpu].irqsOff;
    this.setIrqs(cpu, true, 'local_irq_save');
    return saved;
  }
  /** local_irq_restore(flags): back to the state {@link irqSave} returned. */
  irqRestore(cpu: CpuId, saved: boolean): void {
    this.setIrqs(cpu, saved, 'local_irq_restore');
  }
  /** A hard interrupt's entry (before its handler) or exit (after it) on `cpu`. */
  irq(cpu: CpuId, fn: string, phase: 'enter' | 'exit', from: 'user' | 'kernel'): void {
    this.emit({ k: 'irq', cpu, fn, phase, from });
  }
  /** Queue an IPI for `target`; returns its id (for smp_call_function's wait). */
  sendIpi(from: CpuId, fn: string, target: CpuId, func: import('../trace/events').IpiFunc, extra: { mm?: MmId | null; gen?: number; freedTables?: boolean } = {}): number {
    const id = this.s.nextIpiId++;
    const mm = extra.mm ?? null;
    this.cpu(target).pendingIpis.push({ id, from, func, mm, gen: extra.gen, freedTables: extra.freedTables });
    this.emit({ k: 'ipi_send', cpu: from, fn, id, target, func, mm });
    return id;
  }
  /** Whether every IPI in `ids` has been handled. */
  ipisDone(ids: number[]): boolean {
    if (ids.length === 0) return true;
    for (const c of this.s.cpus) for (const p of c.pendingIpis) if (ids.includes(p.id)) return false;
    return true;
  }
}
