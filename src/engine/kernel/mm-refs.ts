/**
 * Reference helpers of include/linux/sched/mm.h and kernel/fork.c, emitting one `ref` event per
 * counter change. Owners name who holds each reference (see src/trace/events.ts RefOwner).
 */
import type { Kctx } from '../kctx';
import { newFrame } from '../frames';
import type { CpuId, MmId, RefOwner, RefToken } from '../../trace/events';

function change(k: Kctx, cpu: CpuId, fn: string, mmId: MmId, counter: 'mm_users' | 'mm_count', delta: 1 | -1, token: RefToken, owner: RefOwner): number {
  const mm = k.mm(mmId);
  const value = counter === 'mm_users' ? (mm.users += delta) : (mm.count += delta);
  k.emit({ k: 'ref', cpu, fn, mm: mmId, counter, delta, value, token, owner });
  return value;
}

/**
 * Models: include/linux/sched/mm.h mmgrab(): atomic_inc(&mm->mm_count). A non-value-returning RMW:
 * unordered on arm64 and powerpc, a LOCK INC and so a full barrier on x86 (Kctx.atomicRmw()).
 */
export function mmgrab(k: Kctx, cpu: CpuId, fn: string, mm: MmId, owner: RefOwner, token: RefToken = 'grab'): void {
  k.atomicRmw(cpu, fn);
  change(k, cpu, fn, mm, 'mm_count', 1, token, owner);
}

/**
 * Models: include/linux/sched/mm.h mmdrop(): atomic_dec_and_test (a full barrier, which membarrier
 * relies on) and __mmdrop() at zero. Returns true when __mmdrop() was entered.
 */
export function mmdrop(k: Kctx, cpu: CpuId, fn: string, mm: MmId, owner: RefOwner, token: RefToken = 'grab'): boolean {
  const value = change(k, cpu, fn, mm, 'mm_count', -1, token, owner);
  k.mb(cpu, fn);
  if (value !== 0) return false;
  mmdropFinal(k, cpu, mm);
  return true;
}

/**
 * Models: kernel/fork.c __mmdrop(): cleanup_lazy_tlbs() (the strategy's hook: a no-op under
 * MMU_LAZY_TLB_REFCOUNT, IPIs under MMU_LAZY_TLB_SHOOTDOWN) then free_mm(). When the strategy needs
 * to wait for IPIs, the rest runs as the `__mmdrop` path.
 */
function mmdropFinal(k: Kctx, cpu: CpuId, mm: MmId): void {
  k.emit({ k: 'mmdrop_begin', cpu, fn: '__mmdrop', mm });
  const wait = k.strategy.cleanup_lazy_tlbs(k, cpu, mm);
  if (wait.length === 0) {
    freeMm(k, cpu, mm);
    return;
  }
  k.path(cpu, '__mmdrop', 'begin', k.current(cpu).id);
  k.stack.push(newFrame('__mmdrop', { mm, waitIpis: wait }));
}

/** Models: kernel/fork.c __mmdrop() tail: mm_free_pgd(), destroy_context(), free_mm(). */
export function freeMm(k: Kctx, cpu: CpuId, mm: MmId): void {
  const m = k.mm(mm);
  m.freed = true;
  k.emit({ k: 'mm_free', cpu, fn: '__mmdrop', mm });
}

/** Models: include/linux/sched/mm.h mmget(): atomic_inc(&mm->mm_users), ordered as mmgrab()'s. */
export function mmget(k: Kctx, cpu: CpuId, fn: string, mm: MmId, owner: RefOwner): void {
  k.atomicRmw(cpu, fn);
  change(k, cpu, fn, mm, 'mm_users', 1, 'users', owner);
}

/**
 * Models: include/linux/sched/mm.h mmget_not_zero(): atomic_inc_not_zero(&mm->mm_users), a
 * conditional RMW that returns a value, so fully ordered when it succeeds on every arch
 * (Documentation/atomic_t.txt: "The conditional RMW ops ... fully ordered on success"; a LOCK
 * CMPXCHG loop on x86), as mmput()'s atomic_dec_and_test() is. The model only takes it on a live mm.
 */
export function mmgetNotZero(k: Kctx, cpu: CpuId, fn: string, mm: MmId, owner: RefOwner): void {
  change(k, cpu, fn, mm, 'mm_users', 1, 'users', owner);
  k.mb(cpu, fn);
}

/**
 * Models: kernel/fork.c mmput(): atomic_dec_and_test(&mm->mm_users) (a full barrier, errata E12),
 * then __mmput() as a multi-step path when the last user is gone.
 */
export function mmput(k: Kctx, cpu: CpuId, fn: string, mm: MmId, owner: RefOwner): void {
  const value = change(k, cpu, fn, mm, 'mm_users', -1, 'users', owner);
  k.mb(cpu, fn);
  if (value === 0) {
    // The path begins here, with the decrement, so no trace shows mm_users == 0 without __mmput in flight.
    k.path(cpu, '__mmput', 'begin', k.current(cpu).id);
    // __mmput() -> exit_mmap() sleeps (mmap_write_lock(), unmap_vmas()'s cond_resched()): preemptible.
    k.stack.push(newFrame('__mmput', { mm, preemptible: true }));
  }
}

/** A reference changes hands without a counter change (no event when the strategy does not count it). */
export function moveRef(k: Kctx, cpu: CpuId, fn: string, mm: MmId, token: RefToken, from: RefOwner, to: RefOwner): void {
  k.emit({ k: 'ref_move', cpu, fn, mm, token, from, to });
}

/** A new mm: mm_alloc() (exec) or dup_mm() (fork). mm_users = mm_count = 1. */
export function mmAlloc(k: Kctx, cpu: CpuId, fn: string, owner: RefOwner, membarrierState: number): MmId {
  const id = `mm${k.s.nextMmSeq++}`;
  k.addMm({
    id, isStatic: false, users: 1, count: 1, freed: false, tornDown: false, membarrierState,
    cpumask: k.s.cpus.map(() => false), tlbGen: 0,
  });
  k.emit({ k: 'mm_alloc', cpu, fn, mm: id, owner, membarrierState });
  return id;
}

export const taskOwner = (task: string): RefOwner => `task:${task}`;
export const rqOwner = (cpu: CpuId): RefOwner => `rq:${cpu}`;
export const localOwner = (cpu: CpuId, fn: string): RefOwner => `local:${cpu}:${fn}`;
export const holderOwner = (task: string): RefOwner => `holder:${task}`;
