/**
 * kernel/kthread.c kthread_use_mm() / kthread_unuse_mm() (kernel-model.md 1.4, 3.4 with errata E2),
 * and a kthread's external mm_users reference (get_task_mm() / mmget_not_zero(), mmput()).
 */
import type { Kctx } from '../kctx';
import { newFrame, type Frame } from '../frames';
import { holderOwner, localOwner, mmdrop, mmgetNotZero, mmgrab, mmput, taskOwner } from './mm-refs';
import { membarrierUpdateCurrentMm } from './exit';
import { membarrierFinishSwitchMm } from './sched';
import { spinLock } from './spin-lock';
import type { CpuId, MmId } from '../../trace/events';

/** Models: a kthread's mmget_not_zero() on a user mm (e.g. io_uring's SQPOLL kthread before v5.12): the kthread now holds mm_users. */
export function kthreadMmget(k: Kctx, cpu: CpuId, mm: MmId): void {
  const t = k.current(cpu);
  mmgetNotZero(k, cpu, 'mmget_not_zero', mm, holderOwner(t.id));
  t.extUsers.push(mm);
}

/** Models: mmput() of the kthread's external reference (may run __mmput()). */
export function kthreadMmput(k: Kctx, cpu: CpuId, mm: MmId): void {
  const t = k.current(cpu);
  t.extUsers.splice(t.extUsers.indexOf(mm), 1);
  mmput(k, cpu, 'mmput', mm, holderOwner(t.id));
}

export function stepKthreadUseMm(k: Kctx, cpu: CpuId, f: Frame): 'done' | 'more' {
  const t = k.current(cpu);
  const mm = f.mm as MmId;
  switch (f.pc) {
    case 0:
      // "we must still mmgrab(mm) and mmdrop_lazy_tlb(active_mm), because these references are not
      // equivalent": mmgrab() is a plain atomic_inc (no barrier).
      k.path(cpu, 'kthread_use_mm', 'begin', t.id);
      mmgrab(k, cpu, 'kthread_use_mm', mm, taskOwner(t.id));
      t.useMmGrab = mm;
      // The local `active_mm` is named by the CPU the path began on: it travels with the task.
      f.owner = localOwner(cpu, 'kthread_use_mm');
      // kernel/kthread.c: nothing is held between mmgrab(mm) and task_lock(tsk): preemptible.
      f.preemptible = true;
      f.pc = 1;
      return 'more';
    case 1: {
      // task_lock(); local_irq_disable(); active_mm = tsk->active_mm; tsk->active_mm = mm;
      // tsk->mm = mm; membarrier_update_current_mm(mm); switch_mm_irqs_off(active_mm, mm, tsk).
      // task_lock() is a full barrier on x86 (LOCK CMPXCHG), an acquire elsewhere (./spin-lock.ts).
      spinLock(k, cpu, 'task_lock');
      f.oldActive = t.activeMm;
      f.preemptible = false;
      // "Hold off tlb flush IPIs while switching mm's"
      k.setIrqs(cpu, true);
      k.setTaskMm(cpu, 'kthread_use_mm', t, mm, mm);
      k.strategy.move_lazy(k, cpu, 'kthread_use_mm', f.oldActive as MmId, taskOwner(t.id), f.owner as string);
      membarrierUpdateCurrentMm(k, cpu, mm);
      k.arch.switch_mm_irqs_off(k, cpu, 'switch_mm_irqs_off', mm);
      k.strategy.change_current_mm(k, cpu, 'kthread_use_mm', f.oldActive as MmId);
      membarrierFinishSwitchMm(k, cpu, mm);
      k.setIrqs(cpu, false);
      // local_irq_enable(); task_unlock(tsk); then, preemptible, "#ifdef finish_arch_post_lock_switch
      // finish_arch_post_lock_switch(); #endif" before mmdrop_lazy_tlb(active_mm): the task may be
      // switched out (and migrate) holding the old active_mm in its local variable.
      f.preemptible = true;
      f.pc = 2;
      return 'more';
    }
    default:
      // mmdrop_lazy_tlb(active_mm): "A full memory barrier for membarrier {PRIVATE,GLOBAL}_EXPEDITED
      // is implicitly provided by mmdrop_lazy_tlb()" -- barrier (g) of scenario E.
      k.strategy.mmdrop_lazy_tlb(k, cpu, 'mmdrop_lazy_tlb', f.oldActive as MmId, f.owner as string);
      k.path(cpu, 'kthread_use_mm', 'end', t.id);
      k.emit({ k: 'kthread_access', cpu, fn: 'kthread_use_mm', task: t.id, mm, phase: 'begin' });
      return 'done';
  }
}

export function stepKthreadUnuseMm(k: Kctx, cpu: CpuId, f: Frame): 'done' | 'more' {
  const t = k.current(cpu);
  const mm = f.mm as MmId;
  switch (f.pc) {
    case 0:
      k.emit({ k: 'kthread_access', cpu, fn: 'kthread_unuse_mm', task: t.id, mm, phase: 'end' });
      k.path(cpu, 'kthread_unuse_mm', 'begin', t.id);
      // task_lock(); smp_mb__after_spinlock() -- barrier (d) of scenario E; local_irq_disable();
      // tsk->mm = NULL; membarrier_update_current_mm(NULL); mmgrab_lazy_tlb(mm) ("active_mm is
      // still 'mm'"); enter_lazy_tlb(mm, tsk); local_irq_enable(). One step: IRQs are off.
      if (spinLock(k, cpu, 'task_lock') && !k.bug.kthreadUnuseMmNoBarrier) k.mb(cpu, 'smp_mb__after_spinlock');
      k.setIrqs(cpu, true);
      k.setTaskMm(cpu, 'kthread_unuse_mm', t, null, mm);
      membarrierUpdateCurrentMm(k, cpu, null);
      k.strategy.mmgrab_lazy_tlb(k, cpu, 'mmgrab_lazy_tlb', mm, taskOwner(t.id));
      k.arch.enter_lazy_tlb(k, cpu, 'enter_lazy_tlb', mm);
      k.setIrqs(cpu, false);
      // local_irq_enable(); task_unlock(tsk); -- preemptible before mmdrop(mm): the task is now lazy
      // on mm like any kthread, and a context switch hands its lazy reference on.
      f.preemptible = true;
      f.pc = 1;
      return 'more';
    case 1: {
      // mmdrop(mm): drops kthread_use_mm()'s mmgrab. It is the last reference only when the kthread
      // held no mm_users (knob kthreadUseMmWithoutUsers) and the mm's users are gone: __mmdrop() then
      // runs here, and under MMU_LAZY_TLB_SHOOTDOWN waits for cleanup_lazy_tlbs()'s IPIs as a frame
      // above this one (./mm-refs.ts mmdropFinal()); kthread_unuse_mm() returns after it.
      const frames = k.stack.length;
      t.useMmGrab = null;
      mmdrop(k, cpu, 'kthread_unuse_mm', mm, taskOwner(t.id));
      if (k.stack.length > frames) {
        f.pc = 2;
        return 'more';
      }
      k.path(cpu, 'kthread_unuse_mm', 'end', t.id);
      return 'done';
    }
    default:
      k.path(cpu, 'kthread_unuse_mm', 'end', t.id);
      return 'done';
  }
}

/**
 * The frame of a kthread_use_mm() op. A kthread that borrows the mm without holding mm_users (knob
 * kthreadUseMmWithoutUsers: v6.17's USB gadget async read workers) first takes mmget_not_zero()
 * when the proposed fix is on (knob gadgetWorkerMmget: Gabriel Prostitis, "USB: gadget: fix mm
 * lifetime use-after-free in async read paths" v2, 1 June 2026: "Before using the saved mm_struct,
 * acquire a temporary reference with mmget_not_zero()", mmput() after kthread_unuse_mm(), which the
 * model offers as the kthread's `mmput` op once its ->mm is NULL again).
 */
export function startKthreadUseMm(k: Kctx, cpu: CpuId, mm: MmId): Frame {
  const t = k.current(cpu);
  if (!t.extUsers.includes(mm) && k.knob<boolean>('gadgetWorkerMmget')) kthreadMmget(k, cpu, mm);
  return newFrame('kthread_use_mm', { mm });
}
