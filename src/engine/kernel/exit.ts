/**
 * kernel/exit.c exit_mm() (kernel-model.md 1.6, 3.3 P3) as steps, then do_task_dead().
 */
import type { Kctx } from '../kctx';
import type { Frame } from '../frames';
import { localOwner, mmput, moveRef, taskOwner } from './mm-refs';
import { membarrierUpdateCurrentMmWrite } from './membarrier-decisions';
import type { CpuId, MmId } from '../../trace/events';

const FN = 'exit_mm';

export function stepExitMm(k: Kctx, cpu: CpuId, f: Frame): 'done' | 'more' {
  const t = k.current(cpu);
  const mm = f.mm as MmId;
  switch (f.pc) {
    case 0:
      // mmap_read_lock(mm); mmgrab_lazy_tlb(mm); BUG_ON(mm != current->active_mm).
      k.path(cpu, FN, 'begin', t.id);
      k.strategy.mmgrab_lazy_tlb(k, cpu, 'mmgrab_lazy_tlb', mm, taskOwner(t.id));
      f.pc = 1;
      return 'more';
    case 1:
      // task_lock(); smp_mb__after_spinlock() ("Membarrier requires a memory barrier after accessing
      // user-space memory, before clearing tsk->mm or the rq->membarrier_state"); IRQs off;
      // current->mm = NULL; membarrier_update_current_mm(NULL); enter_lazy_tlb(mm, current).
      if (!k.bug.exitMmNoBarrier) k.mb(cpu, 'smp_mb__after_spinlock');
      k.setTaskMm(cpu, FN, t, null, mm);
      moveRef(k, cpu, FN, mm, 'users', taskOwner(t.id), localOwner(cpu, FN));
      membarrierUpdateCurrentMm(k, cpu, null);
      k.arch.enter_lazy_tlb(k, cpu, 'enter_lazy_tlb', mm);
      f.pc = 2;
      return 'more';
    case 2:
      // task_unlock(); mmap_read_unlock(); mmput(mm).
      f.pc = 3;
      mmput(k, cpu, 'mmput', mm, localOwner(cpu, FN));
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
  const state = membarrierUpdateCurrentMmWrite(k.cpu(cpu).rqMembarrierState, next === null ? null : k.mm(next).membarrierState);
  if (state !== null) k.setRqMembarrierState(cpu, 'membarrier_update_current_mm', state);
}
