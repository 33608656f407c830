/**
 * kernel/exit.c exit_mm() (kernel-model.md 1.6, 3.3 P3) as steps, then do_task_dead().
 */
import type { Kctx } from '../kctx';
import type { Frame } from '../frames';
import { localOwner, mmgrab, mmput, moveRef, taskOwner } from './mm-refs';
import { membarrierUpdateCurrentMmWrite } from './membarrier-decisions';
import type { CpuId, MmId } from '../../trace/events';
import { spinLock } from './spin-lock';

const FN = 'exit_mm';

export function stepExitMm(k: Kctx, cpu: CpuId, f: Frame): 'done' | 'more' {
  const t = k.current(cpu);
  const mm = f.mm as MmId;
  switch (f.pc) {
    case 0:
      // mmap_read_lock(mm); mmgrab_lazy_tlb(mm); BUG_ON(mm != current->active_mm).
      k.path(cpu, FN, 'begin', t.id);
      // down_read()'s fast path is atomic_long_add_return_acquire() (kernel/locking/rwsem.c
      // rwsem_read_trylock()): a LOCK XADD on x86, a full barrier; an acquire elsewhere (no event).
      k.atomicRmw(cpu, 'mmap_read_lock');
      // Variant hazard-exit-mm-as-posted: the Jan 2022 series left exit_mm()'s "mmgrab(mm)" as it was.
      if (k.bug.exitMmAsPosted) mmgrab(k, cpu, 'exit_mm', mm, taskOwner(t.id));
      else k.strategy.mmgrab_lazy_tlb(k, cpu, 'mmgrab_lazy_tlb', mm, taskOwner(t.id));
      f.pc = 1;
      return 'more';
    case 1:
      // task_lock(); smp_mb__after_spinlock() ("Membarrier requires a memory barrier after accessing
      // user-space memory, before clearing tsk->mm or the rq->membarrier_state"); IRQs off;
      // current->mm = NULL; membarrier_update_current_mm(NULL); enter_lazy_tlb(mm, current).
      if (spinLock(k, cpu, 'task_lock') && !k.bug.exitMmNoBarrier) k.mb(cpu, 'smp_mb__after_spinlock');
      k.setIrqs(cpu, true);
      f.owner = localOwner(cpu, FN);
      k.setTaskMm(cpu, FN, t, null, mm);
      moveRef(k, cpu, FN, mm, 'users', taskOwner(t.id), f.owner);
      membarrierUpdateCurrentMm(k, cpu, null);
      k.arch.enter_lazy_tlb(k, cpu, 'enter_lazy_tlb', mm);
      k.setIrqs(cpu, false);
      // local_irq_enable(); task_unlock(current); mmap_read_unlock(mm); mm_update_next_owner(mm):
      // preemptible from here. A switch now treats the exiting task as a kernel thread lazy on mm
      // (prev->mm == NULL), and it may come back on another CPU, lazy on whatever that CPU had.
      f.preemptible = true;
      f.pc = 2;
      return 'more';
    case 2:
      // mmput(mm) of the local `mm` (the users reference current->mm held).
      f.pc = 3;
      mmput(k, cpu, 'mmput', mm, f.owner as string);
      return 'more';
    default:
      k.path(cpu, FN, 'end', t.id);
      t.exiting = true;
      return 'done';
  }
}

/**
 * Models: kernel/sched/membarrier.c membarrier_update_current_mm(): the runqueue's membarrier state
 * follows current->mm (0 when it becomes NULL).
 */
export function membarrierUpdateCurrentMm(k: Kctx, cpu: CpuId, next: MmId | null): void {
  const state = membarrierUpdateCurrentMmWrite(k.ownRqMembarrierState(cpu), next === null ? null : k.mm(next).membarrierState);
  if (state !== null) k.setRqMembarrierState(cpu, 'membarrier_update_current_mm', state);
}
