/**
 * kernel/fork.c: copy_mm() for fork and clone(CLONE_VM) (one atomic op: the child is not visible to
 * the scheduler until wake_up_new_task()), and __mmput() as a multi-step path.
 */
import type { Kctx } from '../kctx';
import type { Frame } from '../frames';
import { freeMm, mmAlloc, mmdrop, mmget, taskOwner } from './mm-refs';
import { newFrame } from '../frames';
import type { CpuId, MmId } from '../../trace/events';

/**
 * Models: copy_mm(): CLONE_VM -> mmget(oldmm) and share it; otherwise dup_mm() (mm_users =
 * mm_count = 1; membarrier_state copied by the memcpy, errata E18). The child returns to user
 * through ret_from_fork (IRET).
 */
export function fork(k: Kctx, cpu: CpuId, cloneVm: boolean): void {
  const parent = k.current(cpu);
  const id = `T${k.s.nextTaskSeq++}`;
  const parentMm = parent.mm as MmId;
  let mm: MmId;
  if (cloneVm) {
    mm = parentMm;
    mmget(k, cpu, 'copy_mm', mm, taskOwner(id));
  } else {
    mm = mmAlloc(k, cpu, 'dup_mm', taskOwner(id), k.mm(parentMm).membarrierState);
  }
  const tgid = cloneVm ? parent.tgid : id;
  k.addTask({
    id, type: 'user', tgid, mm, activeMm: mm, state: 'runnable', cpu: null, boundCpu: null,
    where: 'new', exiting: false, useMmGrab: null, extUsers: [], frames: [],
  });
  k.emit({ k: 'task_new', cpu, fn: cloneVm ? 'copy_process' : 'copy_process', task: id, type: 'user', tgid, mm, activeMm: mm, parent: parent.id });
}

/**
 * Models: kernel/fork.c __mmput(): exit_mmap() tears the page tables down and flushes with
 * freed_tables (x86 tlb_flush() passes tlb->freed_tables, so lazy CPUs get the IPI too), then
 * mmdrop() drops the reference that mm_users held.
 */
export function stepMmput(k: Kctx, cpu: CpuId, f: Frame): 'done' | 'more' {
  const mm = f.mm as MmId;
  switch (f.pc) {
    case 0: {
      k.mm(mm).tornDown = true;
      k.emit({ k: 'mm_teardown', cpu, fn: 'exit_mmap', mm });
      const { ipis, gen } = k.arch.exit_mmap_flush(k, cpu, mm);
      f.waitIpis = ipis;
      f.gen = gen;
      // The flush waits with preemption disabled (flush_tlb_mm_range(): get_cpu() ... put_cpu()).
      f.preemptible = false;
      f.pc = 1;
      return 'more';
    }
    case 1:
      k.emit({ k: 'flush_done', cpu, fn: 'flush_tlb_mm_range', mm, gen: f.gen as number, freedTables: true });
      f.waitIpis = [];
      // put_cpu(); the rest of exit_mmap() (remove_vma() loop, cond_resched()) may sleep again.
      f.preemptible = true;
      f.pc = 2;
      // Hazard strategy: mm_unlazy_mm_count(mm) "right before its final mmdrop(mm)".
      if (k.strategy.unlazy_path) k.stack.push(newFrame(k.strategy.unlazy_path, { mm, scanCpu: 0, gen: 0 }));
      return 'more';
    default:
      // The caller's frame stays below; a __mmdrop frame (shootdown) may be pushed above.
      k.path(cpu, '__mmput', 'end', k.current(cpu).id);
      mmdrop(k, cpu, 'mmput', mm, 'mm_users', 'users1');
      return 'done';
  }
}

/** Models: the rest of __mmdrop() once cleanup_lazy_tlbs()'s IPIs were handled: free_mm(). */
export function stepMmdrop(k: Kctx, cpu: CpuId, f: Frame): 'done' {
  freeMm(k, cpu, f.mm as MmId);
  k.path(cpu, '__mmdrop', 'end', k.current(cpu).id);
  return 'done';
}
