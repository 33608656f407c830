/**
 * Test helper: multi-event kernel paths written in the order the lazymm x86 engine emits them
 * (src/engine/kernel/*.ts, src/engine/arch/x86.ts), so hand-written traces look like real ones.
 * Options remove one step to build the mutants of kernel-model.md section 6.
 */
import { INIT_MM, MEMBARRIER_STATE, type CpuId, type MmId, type TaskId, type UserEntryVia } from '../../src/trace/events';
import type { TraceBuilder } from './trace-builder';

/** Models: arch/x86/mm/tlb.c switch_mm_irqs_off() (as the engine does: ignores `prev`). */
export function switchMm(b: TraceBuilder, cpu: CpuId, next: MmId, fn = 'switch_mm_irqs_off'): void {
  const c = b.mirror.cpu(cpu);
  const prev = c.loadedMm;
  const wasLazy = c.isLazy;
  if (wasLazy) b.lazy(cpu, false, 'switch_mm_irqs_off');
  const gen = b.mirror.mm(next).tlbGen;
  const fresh = (b.localGen.get(`${cpu}:${next}`) ?? -1) === gen;
  if (prev === next) {
    if (!wasLazy) return;
    b.mb(cpu, 'switch_mm_irqs_off');
    if (fresh) return;
  } else if (next !== INIT_MM && !b.mirror.mm(next).cpumask[cpu]) {
    b.cpumask(cpu, next, cpu, true);
  }
  const flushed = next !== INIT_MM && !fresh;
  b.loadMm(cpu, next, { cr3Write: true, flushed, fn });
  b.mb(cpu, 'load_new_mm_cr3');
  b.serialize(cpu, 'write_cr3', 'load_new_mm_cr3');
}

/** Mutants of {@link contextSwitch} and the dying-prev case. */
export interface SwitchOptions {
  /** Mutant: user -> kernel without mmgrab_lazy_tlb() (kernel-model.md scenario 8). */
  noLazyGrab?: boolean;
  /** Mutant: finish_task_switch() without membarrier_mm_sync_core_before_usermode() (scenario 1). */
  noSyncCore?: boolean;
  /** Mutant: finish_task_switch() drops the lazy reference without a full barrier. */
  noDropBarrier?: boolean;
  /** prev is exiting: do_task_dead() marks it dead (after exit_mm()). */
  prevDies?: boolean;
}

/**
 * __schedule() + context_switch() + finish_task_switch() on `cpu` to `next` (S1-S4 of
 * kernel-model.md 3.1): path begin, smp_mb__after_spinlock, rq->curr, the mm block, switch_to,
 * finish_task_switch, path end. Returns the index of the switch_to event.
 */
export function contextSwitch(b: TraceBuilder, cpu: CpuId, next: TaskId, opts: SwitchOptions = {}): number {
  const m = b.mirror;
  const refcount = m.init.strategy === 'refcount';
  const prev = m.task(b.current(cpu));
  const n = m.task(next);
  const prevActive = prev.activeMm as MmId;
  if (prev.type === 'kthread' && prev.mm !== null) b.kthreadAccess(cpu, prev.mm, 'end', prev.id);
  b.path(cpu, 'context_switch', 'begin', prev.id);
  b.mb(cpu, '__schedule');
  if (opts.prevDies) b.taskState(cpu, prev.id, 'dead');
  b.rqCurr(cpu, next);
  if (n.mm === null) {
    // to kernel: enter_lazy_tlb(); next->active_mm = prev->active_mm
    if (m.cpu(cpu).loadedMm !== INIT_MM) b.lazy(cpu, true);
    b.taskMm(cpu, next, null, prevActive);
    if (prev.mm !== null) {
      if (refcount && !opts.noLazyGrab && !m.isStatic(prevActive)) b.grab(cpu, prevActive, 'lazy', `task:${next}`, 'mmgrab_lazy_tlb');
    } else {
      b.taskMm(cpu, prev.id, prev.mm, null);
      if (refcount && !m.isStatic(prevActive)) b.refMove(cpu, prevActive, 'lazy', `task:${prev.id}`, `task:${next}`);
    }
  } else {
    // to user: membarrier_switch_mm(rq, prev->active_mm, next->mm); switch_mm_irqs_off()
    const state = m.mm(n.mm).membarrierState;
    if (prevActive !== n.mm && m.cpu(cpu).rqMembarrierState !== state) b.rqState(cpu, state, 'membarrier_switch_mm');
    switchMm(b, cpu, n.mm);
    if (prev.mm === null) {
      b.prevMm(cpu, prevActive);
      b.taskMm(cpu, prev.id, null, null);
      if (refcount && !m.isStatic(prevActive)) b.refMove(cpu, prevActive, 'lazy', `task:${prev.id}`, `rq:${cpu}`);
    }
  }
  const sw = b.switchTo(cpu, next);
  const mm = m.cpu(cpu).prevMm;
  if (mm !== null) {
    b.prevMm(cpu, null, 'finish_task_switch');
    const local = `local:${cpu}:finish_task_switch`;
    if (refcount && !m.isStatic(mm)) b.refMove(cpu, mm, 'lazy', `rq:${cpu}`, local, 'finish_task_switch');
    const syncCore = (m.mm(mm).membarrierState & MEMBARRIER_STATE.PRIVATE_EXPEDITED_SYNC_CORE) !== 0;
    if (!opts.noSyncCore && n.mm === mm && syncCore) {
      b.mb(cpu, 'sync_core');
      b.serialize(cpu, 'sync_core', 'membarrier_mm_sync_core_before_usermode');
    }
    if (refcount && !m.isStatic(mm)) {
      b.ref(cpu, mm, 'mm_count', -1, 'lazy', local, 'mmdrop_lazy_tlb_sched');
      if (!opts.noDropBarrier) b.mb(cpu, 'mmdrop_lazy_tlb_sched');
      if (m.mm(mm).count === 0) {
        b.push({ k: 'mmdrop_begin', cpu, fn: '__mmdrop', mm });
        b.push({ k: 'mm_free', cpu, fn: '__mmdrop', mm });
      }
    } else if (!opts.noDropBarrier) b.mb(cpu, 'mmdrop_lazy_tlb_sched');
  }
  b.path(cpu, 'context_switch', 'end', prev.id);
  if (n.type === 'kthread' && n.mm !== null) b.kthreadAccess(cpu, n.mm, 'begin', next);
  return sw;
}

/** Return to user mode: an IRET serializes (and is a barrier) before user_enter; SYSRET does neither. */
export function returnToUser(b: TraceBuilder, cpu: CpuId, via: UserEntryVia = 'sysret'): number {
  if (via === 'iret') {
    b.mb(cpu, 'iret');
    b.serialize(cpu, 'iret', 'swapgs_restore_regs_and_return_to_usermode');
  }
  return b.userEnter(cpu, via);
}

/** Mutants and partial runs of {@link exitMm}. */
export interface ExitOptions {
  /** Mutant: exit_mm() without smp_mb__after_spinlock() before current->mm = NULL (scenario D). */
  noBarrier?: boolean;
  /** Stop after current->mm = NULL (before mmput), leaving the path open. */
  stopBeforeMmput?: boolean;
}

/**
 * exit_mm() of the current user task (kernel-model.md 3.3 P3): mmgrab_lazy_tlb, barrier, mm = NULL
 * (users reference to a local), rq state 0, enter_lazy_tlb, mmput (and __mmput at zero: teardown,
 * mmdrop of users1). The caller is in kernel mode. Returns the index of the task_mm event.
 */
export function exitMm(b: TraceBuilder, cpu: CpuId, opts: ExitOptions = {}): number {
  const m = b.mirror;
  const t = m.task(b.current(cpu));
  const mm = t.mm as MmId;
  const local = `local:${cpu}:exit_mm`;
  b.path(cpu, 'exit_mm', 'begin', t.id);
  if (m.init.strategy === 'refcount') b.grab(cpu, mm, 'lazy', `task:${t.id}`, 'mmgrab_lazy_tlb');
  if (!opts.noBarrier) b.mb(cpu, 'smp_mb__after_spinlock');
  const at = b.taskMm(cpu, t.id, null, mm, 'exit_mm');
  b.refMove(cpu, mm, 'users', `task:${t.id}`, local, 'exit_mm');
  if (m.cpu(cpu).rqMembarrierState !== 0) b.rqState(cpu, 0);
  if (m.cpu(cpu).loadedMm !== INIT_MM) b.lazy(cpu, true);
  if (opts.stopBeforeMmput) return at;
  mmput(b, cpu, mm, local);
  b.path(cpu, 'exit_mm', 'end', t.id);
  return at;
}

/** mmput(): drop mm_users (a full barrier); at zero __mmput(): exit_mmap, then mmdrop(users1). */
export function mmput(b: TraceBuilder, cpu: CpuId, mm: MmId, owner: string): void {
  b.ref(cpu, mm, 'mm_users', -1, 'users', owner, 'mmput');
  b.mb(cpu, 'mmput');
  if (b.mirror.mm(mm).users !== 0) return;
  b.path(cpu, '__mmput', 'begin');
  b.push({ k: 'mm_teardown', cpu, fn: 'exit_mmap', mm });
  b.path(cpu, '__mmput', 'end');
  b.drop(cpu, mm, 'users1', 'mm_users', 'mmput');
}

/** Delivers IPI `id` (func) to `cpu`: from user mode it enters the kernel and returns by IRET. */
export function deliverIpi(b: TraceBuilder, cpu: CpuId, id: number, func: 'ipi_mb' | 'ipi_sync_core', from: CpuId, mm: MmId | null = null): number {
  const fromUser = b.mirror.cpu(cpu).mode === 'user';
  if (fromUser) b.userExit(cpu, 'ipi');
  const h = b.ipiHandle(cpu, id, func, from, mm);
  b.mb(cpu, func);
  if (func === 'ipi_sync_core') b.serialize(cpu, 'sync_core', 'ipi_sync_core');
  if (fromUser) returnToUser(b, cpu, 'iret');
  return h;
}
