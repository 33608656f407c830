/**
 * SERIALIZE_IPI() of kernel/sched/membarrier.c: "#define SERIALIZE_IPI() guard(mutex)(&membarrier_ipi_mutex)"
 * (944d5fe50f3f, v6.8; knob serializeIpiMutex; errata A4), taken after the entry smp_mb() of the
 * expedited commands and after synchronize_rcu() in sync_runqueues_membarrier_state()'s multi-user
 * path, released when the function returns.
 *
 * Only the barriers are modelled. mutex_lock()'s fast path is atomic_long_try_cmpxchg_acquire() and
 * mutex_unlock()'s atomic_long_try_cmpxchg_release() (kernel/locking/mutex.c): on x86 a LOCK CMPXCHG,
 * a full barrier (Kctx.atomicRmw(): `mb` with `how: 'lock'`); on arm64 and powerpc an acquire and a
 * release, no full barrier (no event). The slow paths take the wait_lock spinlock, as ordered. So on
 * x86 the entry and exit smp_mb() of an expedited command have a LOCK right after / before them, and
 * dropping one of them is not a bug there (it is on arm64 and powerpc). The mutual exclusion itself is
 * not modelled: expedited commands may overlap in the model, which only adds interleavings.
 */
import type { Kctx } from '../kctx';
import type { CpuId } from '../../trace/events';

export function serializeIpiLock(k: Kctx, cpu: CpuId): void {
  if (k.knob<boolean>('serializeIpiMutex')) k.atomicRmw(cpu, 'mutex_lock');
}

export function serializeIpiUnlock(k: Kctx, cpu: CpuId): void {
  if (k.knob<boolean>('serializeIpiMutex')) k.atomicRmw(cpu, 'mutex_unlock');
}
