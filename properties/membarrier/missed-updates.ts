/**
 * C4.3: the (e) barrier must follow the update the scan missed (kernel-model.md C4, refined).
 *
 * kernel/sched/core.c __schedule(): "The membarrier system call requires each architecture to have
 * a full memory barrier after updating rq->curr, before returning to user-space" (x86: switch_mm()'s
 * CR3 write or mmdrop(); powerpc and RISC-V: membarrier_arch_switch_mm(); arm64: switch_to()'s
 * dsb(ish)); arch/powerpc/include/asm/membarrier.h: "The membarrier system call requires a full
 * memory barrier after storing to rq->curr, before going back to user-space";
 * kernel/sched/membarrier.c: "Matches memory barriers after rq->curr modification in scheduler".
 * kthread_use_mm(): "Membarrier requires a memory barrier after storing to tsk->mm, before
 * accessing user-space memory".
 *
 * C4 accepts any barrier on the CPU between MB1 and the interval's start. That is right when the
 * scan saw the CPU's state as the interval runs it. But when the scan *skipped* the CPU and the CPU
 * then updated what the scan reads (rq->curr, current->mm, rq->membarrier_state), the scan's read
 * and that update form a store-buffering pair: CPU0 `W x; mb (MB1); R rq->curr` against CPU1
 * `W rq->curr; R x`. Only a full barrier on CPU1 *after* its update forbids both reads returning
 * old values, so __schedule()'s smp_mb__after_spinlock(), which precedes the rq->curr store, does
 * not order the interval. So for an interval that starts after the first such update following
 * the scan of its CPU, the CPU's barrier must come after that update (or, as in C4, after the
 * interval's end and before MB5: the (c)-(d) pairing).
 */
import type { CpuId, TraceEvent } from '../../src/trace/events';
import type { EventRef } from '../lib/explain';
import type { Mirror } from '../lib/mirror';
import type { AccessInterval } from './intervals';

export const MISSED_UPDATE_CLAUSE = 'C4.3 no barrier after the update the scan missed ((a)-(e) pairing)';

/**
 * Per open window: the CPUs its scan skipped, each with the first update after the scan that the
 * scan reads (null while none yet).
 */
export type MissedUpdates = Map<CpuId, EventRef | null>;

/** A `membarrier_scan` that skipped its target: watch that CPU for updates from now on. */
export function watchSkipped(missed: MissedUpdates, target: CpuId): void {
  missed.set(target, null);
}

/**
 * The CPU on which `ev` updates what a membarrier scan reads, or null: `rq_curr`,
 * `rq_membarrier_state`, or a `task_mm` that changes ->mm of the task current (or rq->curr) there.
 * Called before the mirror applies `ev`.
 */
export function scannedUpdateCpu(mirror: Mirror, ev: TraceEvent): CpuId | null {
  if (ev.k === 'rq_curr' || ev.k === 'rq_membarrier_state') return ev.cpu;
  if (ev.k !== 'task_mm') return null;
  const t = mirror.task(ev.task);
  if (t.mm === ev.mm) return null;
  const c = mirror.cpu(ev.cpu);
  return c.current === ev.task || c.curr === ev.task ? ev.cpu : null;
}

/** Records an update on `cpu` in every window watching it. */
export function noteUpdate(missed: Iterable<MissedUpdates>, cpu: CpuId, ref: EventRef): void {
  for (const m of missed) if (m.has(cpu) && m.get(cpu) === null) m.set(cpu, ref);
}

/** The update a barrier ordering `iv` must follow, or null when C4's MB1 floor is enough. */
export function missedUpdateBefore(missed: MissedUpdates, iv: AccessInterval): EventRef | null {
  const u = missed.get(iv.cpu);
  return u !== null && u !== undefined && u.i < iv.start.i ? u : null;
}

export const MISSED_UPDATE_WHY =
  'The scan read that CPU before the update and skipped it (no IPI), so MB1 (a) pairs with a full barrier after the update and before the accesses (e): ' +
  '"The membarrier system call requires each architecture to have a full memory barrier after updating rq->curr, before returning to user-space" (kernel/sched/core.c __schedule()). ' +
  'A barrier before the update (such as __schedule()\'s smp_mb__after_spinlock()) does not order a read of the old value by the scan against the accesses.';
