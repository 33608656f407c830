/**
 * task_lock(tsk), before smp_mb__after_spinlock(): the full barrier exit_mm() and kthread_unuse_mm() need
 * before clearing tsk->mm ("Membarrier requires a memory barrier after accessing user-space memory,
 * before clearing tsk->mm or the rq->membarrier_state", 5bc78502322a; 618758ed3a4f).
 *
 * Where it comes from depends on the arch. On x86 spin_lock() is a LOCK CMPXCHG
 * (queued_spin_lock(): atomic_try_cmpxchg_acquire()), a full barrier ("Loads and stores are not
 * reordered with locked instructions", Intel SDM vol. 3 8.2.2), and smp_mb__after_spinlock() is a
 * no-op (include/linux/spinlock.h: "all our TSO architectures imply an smp_mb() for each atomic
 * instruction and equally don't need more"; arch/x86 does not define it): the model emits the lock's
 * barrier (Kctx.atomicRmw(): `mb` with `how: 'lock'`) and no second one. On arm64 and powerpc the
 * lock is only an acquire and smp_mb__after_spinlock() is smp_mb() (arch/arm64/include/asm/
 * spinlock.h, arch/powerpc/include/asm/spinlock.h): the `mb` is smp_mb__after_spinlock()'s.
 *
 * Returns whether smp_mb__after_spinlock() is a barrier of its own on this arch (the caller emits
 * it). The variants exit-mm-no-barrier and kthread-unuse-mm-no-barrier (the kernels before those two
 * commits) drop smp_mb__after_spinlock(); on x86 the lock's barrier is still there, so those bugs
 * were never x86 bugs and the variants are based on arm64.
 */
import type { Kctx } from '../kctx';
import type { CpuId } from '../../trace/events';

export function taskLock(k: Kctx, cpu: CpuId): boolean {
  k.atomicRmw(cpu, 'task_lock');
  return !k.arch.lockedRmwDrainsStoreBuffer;
}
