/**
 * spin_lock() before smp_mb__after_spinlock(): where the full barrier of that pair comes from.
 * The model's users: task_lock(tsk) in exit_mm() and kthread_unuse_mm() ("Membarrier requires a
 * memory barrier after accessing user-space memory, before clearing tsk->mm or the
 * rq->membarrier_state", 5bc78502322a; 618758ed3a4f), and __schedule()'s rq_lock() ("the membarrier
 * system call requires a full memory barrier after coming from user-space, before storing to
 * rq->curr", kernel/sched/core.c).
 *
 * Where it comes from depends on the arch. On x86 spin_lock() / raw_spin_rq_lock() is a LOCK CMPXCHG
 * (queued_spin_lock(): atomic_try_cmpxchg_acquire()), a full barrier ("Loads and stores are not
 * reordered with locked instructions", Intel SDM vol. 3 8.2.2), and smp_mb__after_spinlock() is a
 * no-op (include/linux/spinlock.h: "all our TSO architectures imply an smp_mb() for each atomic
 * instruction and equally don't need more"; arch/x86 does not define it): the model emits the lock's
 * barrier (Kctx.atomicRmw(): `mb` with `how: 'lock'`) and no second one. On arm64 and powerpc the
 * lock is only an acquire and smp_mb__after_spinlock() is smp_mb() (arch/arm64/include/asm/
 * spinlock.h, arch/powerpc/include/asm/spinlock.h): the `mb` is smp_mb__after_spinlock()'s.
 *
 * Returns whether smp_mb__after_spinlock() is a barrier of its own on this arch (the caller emits
 * it). So a patch that drops smp_mb__after_spinlock() is a bug of arm64 and powerpc only: the
 * variants exit-mm-no-barrier and kthread-unuse-mm-no-barrier (the kernels before those two commits)
 * are based on arm64, and the mutant that drops __schedule()'s is equivalent on x86.
 */
import type { Kctx } from '../kctx';
import type { CpuId } from '../../trace/events';

/** `fn`: the lock taken, as the kernel names it (`task_lock`, `rq_lock`). */
export function spinLock(k: Kctx, cpu: CpuId, fn: string): boolean {
  k.atomicRmw(cpu, fn);
  return !k.arch.lockedRmwDrainsStoreBuffer;
}
