/**
 * The scheduler's mm handling (kernel/sched/core.c __schedule(), context_switch(),
 * finish_task_switch(); kernel/sched/sched.h membarrier_switch_mm()), split into the atomic steps
 * S1-S4 of kernel-model.md 3.1 so remote CPUs can interleave (IRQs stay off from S1 to S4a).
 */
import type { Kctx } from '../kctx';
import { newFrame, type Frame } from '../frames';
import type { SwitchPlan } from '../arch/arch';
import type { TaskState } from '../state';
import { localOwner, rqOwner, taskOwner } from './mm-refs';
import { membarrierSwitchMmWrite } from './membarrier-decisions';
import { spinLock } from './spin-lock';
import { MEMBARRIER_STATE, type CpuId, type MmId, type TaskId } from '../../trace/events';

const FN = 'context_switch';

/**
 * S1: __schedule(): local_irq_disable(); rq_lock(); smp_mb__after_spinlock() ("the membarrier system
 * call requires a full memory barrier after coming from user-space, before storing to rq->curr");
 * pick_next_task() returned `next`. On x86 the barrier is rq_lock()'s LOCK CMPXCHG and
 * smp_mb__after_spinlock() is a no-op (./spin-lock.ts).
 */
export function schedule(k: Kctx, cpu: CpuId, next: TaskId, fromIrq: boolean): void {
  const c = k.cpu(cpu);
  const prev = k.current(cpu);
  if (accessesUserMemory(prev)) {
    k.emit({ k: 'kthread_access', cpu, fn: '__schedule', task: prev.id, mm: prev.mm as MmId, phase: 'end' });
  }
  k.path(cpu, FN, 'begin', prev.id);
  k.setIrqs(cpu, true);
  if (spinLock(k, cpu, 'rq_lock')) k.mb(cpu, '__schedule');
  if (prev.exiting) {
    // do_task_dead(): set_special_state(TASK_DEAD); __schedule(SM_NONE).
    prev.state = 'dead';
    k.emit({ k: 'task_state', cpu, fn: 'do_task_dead', task: prev.id, state: 'dead' });
  } else {
    prev.state = 'runnable';
  }
  const n = k.task(next);
  n.state = 'running';
  n.cpu = cpu;
  c.cpuFrame = newFrame(FN, { prev: prev.id, next, fromIrq, pc: 1 });
}

/** Advance the context switch in flight on `cpu` by one step. */
export function stepContextSwitch(k: Kctx, cpu: CpuId, f: Frame): void {
  const c = k.cpu(cpu);
  const prev = k.task(f.prev as TaskId);
  const next = k.task(f.next as TaskId);
  switch (f.pc) {
    case 1:
      // S2: RCU_INIT_POINTER(rq->curr, next): the store membarrier's scan reads.
      c.curr = next.id;
      k.emit({ k: 'rq_curr', cpu, fn: '__schedule', task: next.id });
      f.pc = 2;
      return;
    case 2:
      // S3 (and S3b when switch_mm_irqs_off() is split around its tlb_gen read).
      f.pc = contextSwitchMm(k, cpu, f) ? 5 : 3;
      return;
    case 5:
      // S3b: switch_mm_irqs_off() from reload_tlb (the CR3 write), then the rest of the to-user case.
      k.arch.switch_mm_split?.finish(k, cpu, 'switch_mm_irqs_off', next.mm as MmId, f.plan as SwitchPlan);
      f.plan = undefined;
      afterSwitchMmToUser(k, cpu, prev.id, next.id);
      f.pc = 3;
      return;
    case 3: {
      // S4a: switch_to(prev, next, prev); finish_task_switch(): mm = rq->prev_mm; rq->prev_mm =
      // NULL; finish_task() (prev->on_cpu = 0); finish_lock_switch() re-enables IRQs.
      c.current = next.id;
      k.emit({ k: 'switch_to', cpu, fn: FN, prev: prev.id, task: next.id });
      k.arch.switch_to(k, cpu);
      const mm = c.prevMm;
      if (mm !== null) {
        k.setPrevMm(cpu, 'finish_task_switch', null);
        k.strategy.move_lazy(k, cpu, 'finish_task_switch', mm, rqOwner(cpu), localOwner(cpu, 'finish_task_switch'));
      }
      prev.cpu = null;
      k.setIrqs(cpu, false);
      k.strategy.finish_switch(k, cpu);
      f.mm = mm;
      if (mm === null) finishContextSwitch(k, cpu, f);
      else f.pc = 4;
      return;
    }
    case 4:
      // S4b (preemption still disabled, IRQs on: only interrupts interleave, errata E21).
      finishTaskSwitchMm(k, cpu, f.mm as MmId);
      finishContextSwitch(k, cpu, f);
      return;
  }
}

/**
 * S3: the four cases of context_switch():
 *   kernel -> kernel   lazy + transfer active
 *     user -> kernel   lazy + mmgrab_lazy_tlb() active
 *   kernel ->   user   switch + mmdrop_lazy_tlb() active
 *     user ->   user   switch
 */
function contextSwitchMm(k: Kctx, cpu: CpuId, f: Frame): boolean {
  const prev = k.task(f.prev as TaskId);
  const next = k.task(f.next as TaskId);
  const prevActive = prev.activeMm as MmId;
  if (next.mm === null) {
    // to kernel
    k.arch.enter_lazy_tlb(k, cpu, 'enter_lazy_tlb', prevActive);
    k.setTaskMm(cpu, FN, next, null, prevActive);
    if (prev.mm !== null) {
      // from user
      if (!k.bug.noLazyMmgrab) k.strategy.mmgrab_lazy_tlb(k, cpu, 'mmgrab_lazy_tlb', prevActive, taskOwner(next.id));
    } else {
      k.setTaskMm(cpu, FN, prev, prev.mm, null);
      k.strategy.move_lazy(k, cpu, FN, prevActive, taskOwner(prev.id), taskOwner(next.id));
    }
    return false;
  }
  // to user
  membarrierSwitchMm(k, cpu, prev.mm, prevActive, next.mm);
  const split = k.arch.switch_mm_split;
  if (split) {
    const plan = split.begin(k, cpu, 'switch_mm_irqs_off', next.mm);
    if (plan && !plan.sameMm) {
      f.plan = plan;
      return true;
    }
    if (plan) split.finish(k, cpu, 'switch_mm_irqs_off', next.mm, plan);
  } else {
    k.arch.switch_mm_irqs_off(k, cpu, 'switch_mm_irqs_off', next.mm);
  }
  afterSwitchMmToUser(k, cpu, prev.id, next.id);
  return false;
}

/** The to-user case after switch_mm_irqs_off(): the explicit barrier (hazard) and the hand-off. */
function afterSwitchMmToUser(k: Kctx, cpu: CpuId, prevId: TaskId, nextId: TaskId): void {
  const prev = k.task(prevId);
  const next = k.task(nextId);
  const prevActive = prev.activeMm as MmId;
  membarrierFinishSwitchMm(k, cpu, next.mm as MmId);
  if (prev.mm === null) {
    // from kernel: "will mmdrop_lazy_tlb() in finish_task_switch()".
    k.setTaskMm(cpu, FN, prev, null, null);
    k.strategy.kernel_to_user(k, cpu, prev.id, prevActive);
  }
}

/**
 * Models: kernel/sched/sched.h membarrier_switch_mm(rq, prev->active_mm, next->mm): returns early
 * when prev_mm == next_mm (the lazy -> same-mm case that kernel-model.md C4.1 is about). Knob
 * `membarrierSwitchMmFix` is the proposed fix (Mathieu Desnoyers, Sept 2020): compare prev->mm.
 */
function membarrierSwitchMm(k: Kctx, cpu: CpuId, prevMm: MmId | null, prevActive: MmId, nextMm: MmId): void {
  const from = k.knob<boolean>('membarrierSwitchMmFix') ? prevMm : prevActive;
  const state = membarrierSwitchMmWrite(k.ownRqMembarrierState(cpu), from, nextMm, k.mm(nextMm).membarrierState);
  if (state !== null) k.setRqMembarrierState(cpu, 'membarrier_switch_mm', state);
}

/**
 * finish_task_switch(): "if (mm) { membarrier_mm_sync_core_before_usermode(mm);
 * mmdrop_lazy_tlb_sched(mm); }" -- the sync covers a kthread -> uthread switch back to the lazy mm,
 * where x86's switch_mm_irqs_off() may return without a CR3 write; the drop is the full barrier.
 */
function finishTaskSwitchMm(k: Kctx, cpu: CpuId, mm: MmId): void {
  // With the proposed x86 fix (Andy Lutomirski's RFC) the sync moves into switch_mm_irqs_off()'s
  // lazy same-mm return, and finish_task_switch() stops doing it.
  if (!k.bug.noSyncCoreKthreadToUser && !k.arch.syncsCoreOnLazyReturn(k)) membarrierMmSyncCoreBeforeUsermode(k, cpu, mm);
  k.strategy.mmdrop_lazy_tlb(k, cpu, 'mmdrop_lazy_tlb_sched', mm, localOwner(cpu, 'finish_task_switch'));
}

/**
 * Andy Lutomirski's membarrier_finish_switch_mm() (hazard strategy, patch 4/23): "if
 * (atomic_read(&mm->membarrier_state) & (GLOBAL_EXPEDITED | PRIVATE_EXPEDITED)) smp_mb();" after
 * switch_mm_irqs_off() in context_switch(), exec and kthread_use_mm().
 */
export function membarrierFinishSwitchMm(k: Kctx, cpu: CpuId, mm: MmId): void {
  if (!k.strategy.explicitMembarrierBarriers) return;
  if (k.mm(mm).membarrierState & (MEMBARRIER_STATE.GLOBAL_EXPEDITED | MEMBARRIER_STATE.PRIVATE_EXPEDITED)) k.mb(cpu, 'membarrier_finish_switch_mm');
}

/** Models: include/linux/sched/mm.h membarrier_mm_sync_core_before_usermode(). */
export function membarrierMmSyncCoreBeforeUsermode(k: Kctx, cpu: CpuId, mm: MmId): void {
  if (!k.arch.hasSyncCoreBeforeUsermode) return;
  if (k.current(cpu).mm !== mm) return;
  if (!(k.mm(mm).membarrierState & MEMBARRIER_STATE.PRIVATE_EXPEDITED_SYNC_CORE)) return;
  k.arch.sync_core_before_usermode(k, cpu, 'membarrier_mm_sync_core_before_usermode');
}

function finishContextSwitch(k: Kctx, cpu: CpuId, f: Frame): void {
  const c = k.cpu(cpu);
  const next = k.task(f.next as TaskId);
  c.cpuFrame = null;
  k.path(cpu, FN, 'end', f.prev as TaskId);
  if (accessesUserMemory(next)) {
    k.emit({ k: 'kthread_access', cpu, fn: FN, task: next.id, mm: next.mm as MmId, phase: 'begin' });
  }
}

/**
 * A kthread between kthread_use_mm()'s return and kthread_unuse_mm() may touch user memory. One
 * preempted inside kthread_use_mm() (after task_unlock(), before mmdrop_lazy_tlb()) or inside
 * kernel_execve()'s exec_mmap() has ->mm set but has not started to.
 */
function accessesUserMemory(t: TaskState): boolean {
  return t.type === 'kthread' && t.mm !== null && !t.frames.some((f) => f.fn === 'kthread_use_mm' || f.fn === 'exec_mmap');
}
