/**
 * fs/exec.c exec_mmap() (kernel-model.md 1.5, 3.3 P2 steps a-f), for a user task's execve() and a
 * kthread's kernel_execve().
 */
import type { Kctx } from '../kctx';
import type { Frame } from '../frames';
import { localOwner, mmAlloc, mmput, moveRef, taskOwner } from './mm-refs';
import { membarrierFinishSwitchMm } from './sched';
import { membarrierExecMmapWrite } from './membarrier-decisions';
import { switchMm } from './switch-mm';
import type { CpuId, MmId } from '../../trace/events';
import { spinLock } from './spin-lock';

const FN = 'exec_mmap';

/** (a) bprm_mm_init() -> mm_alloc(): the new mm, owned by the bprm until exec_mmap() installs it. */
export function startExec(k: Kctx, cpu: CpuId): MmId {
  const t = k.current(cpu);
  k.path(cpu, FN, 'begin', t.id);
  return mmAlloc(k, cpu, 'mm_alloc', `bprm:${t.id}`, 0);
}

export function stepExecMmap(k: Kctx, cpu: CpuId, f: Frame): 'done' | 'more' {
  const t = k.current(cpu);
  const mm = f.mm as MmId;
  switch (f.pc) {
    case 0:
      // (b) task_lock(); membarrier_exec_mmap(mm): smp_mb(); mm->membarrier_state = 0;
      // this rq's membarrier_state = 0. On x86 task_lock() is a LOCK CMPXCHG, a full barrier of its
      // own right before membarrier_exec_mmap()'s smp_mb() (./spin-lock.ts); an acquire elsewhere.
      spinLock(k, cpu, 'task_lock');
      k.mb(cpu, 'membarrier_exec_mmap');
      if (k.mm(mm).membarrierState !== 0) k.setMmMembarrierState(cpu, 'membarrier_exec_mmap', k.mm(mm), 0);
      const rqState = membarrierExecMmapWrite(k.ownRqMembarrierState(cpu));
      if (rqState !== null) k.setRqMembarrierState(cpu, 'membarrier_exec_mmap', rqState);
      f.pc = 1;
      return 'more';
    case 1: {
      // (c) local_irq_disable(); active_mm = tsk->active_mm; tsk->active_mm = mm; tsk->mm = mm;
      // (d) without CONFIG_ARCH_WANT_IRQS_OFF_ACTIVATE_MM, IRQs come back on before activate_mm().
      k.setIrqs(cpu, true);
      f.oldMm = t.mm;
      f.oldActive = t.activeMm;
      // The locals old_mm / active_mm, named by the CPU the path began on (they travel with the task).
      f.owner = localOwner(cpu, FN);
      k.setTaskMm(cpu, FN, t, mm, mm);
      moveRef(k, cpu, FN, mm, 'users', `bprm:${t.id}`, taskOwner(t.id));
      if (f.oldMm) moveRef(k, cpu, FN, f.oldMm, 'users', taskOwner(t.id), f.owner);
      else k.strategy.move_lazy(k, cpu, FN, f.oldActive as MmId, taskOwner(t.id), f.owner);
      if (!k.knob<boolean>('irqsOffActivateMm')) k.setIrqs(cpu, false);
      f.pc = 2;
      return 'more';
    }
    case 2:
      // (e) activate_mm(active_mm, mm): x86 (>= v6.16) and powerpc switch_mm_irqs_off(prev, next, ...)
      // with IRQs off; x86 before v6.16 switch_mm() (which saves and restores IRQs itself), arm64
      // switch_mm() (./switch-mm.ts).
      switchMm(k, cpu, 'activate_mm', mm);
      membarrierFinishSwitchMm(k, cpu, mm);
      // The hazard pointer may go only once the CPU no longer translates through the old mm.
      if (!f.oldMm) k.strategy.change_current_mm(k, cpu, FN, f.oldActive as MmId);
      k.setIrqs(cpu, false);
      // lru_gen_add_mm(mm); task_unlock(tsk); lru_gen_use_mm(mm); mmap_read_unlock(old_mm): from here
      // to mmput(old_mm) / mmdrop_lazy_tlb(active_mm) no lock is held -- preemptible, and the task
      // may migrate holding the old mm in its local variable.
      f.preemptible = true;
      f.pc = 3;
      return 'more';
    case 3:
      // (f) mmput(old_mm), or, for a kernel thread, mmdrop_lazy_tlb(active_mm).
      f.pc = 4;
      if (f.oldMm) mmput(k, cpu, 'mmput', f.oldMm, f.owner as string);
      else k.strategy.mmdrop_lazy_tlb(k, cpu, 'mmdrop_lazy_tlb', f.oldActive as MmId, f.owner as string);
      return 'more';
    default:
      k.path(cpu, FN, 'end', t.id);
      if (t.type === 'kthread') becomeUserTask(k, cpu);
      return 'done';
  }
}

/** kernel_execve() from a kthread: PF_KTHREAD is gone; the task returns to user by IRET. */
function becomeUserTask(k: Kctx, cpu: CpuId): void {
  const t = k.current(cpu);
  t.type = 'user';
  t.tgid = t.id;
  t.where = 'new';
  k.emit({ k: 'task_new', cpu, fn: 'kernel_execve', task: t.id, type: 'user', tgid: t.id, mm: t.mm, activeMm: t.activeMm, parent: null });
}
