/**
 * Which row a barrier event (`mb`, `serialize`) belongs to, and how it is written there. Barriers
 * are folded as `[mb, serialize]` tags into the event that implies them, so a timeline shows the
 * CR3 write with its serialization on one line; a barrier of its own keeps a compact row
 * (`smp_mb__after_spinlock()`), because membarrier ordering is argued from barriers.
 */
import type { TraceEvent } from '../trace/events';

export type Barrier = Extract<TraceEvent, { k: 'mb' | 'serialize' }>;

export const isBarrier = (e: TraceEvent | undefined): e is Barrier =>
  e !== undefined && (e.k === 'mb' || e.k === 'serialize');
const isBarrierPhase = (e: TraceEvent | undefined): boolean => e?.k === 'membarrier' && e.phase.startsWith('mb_');

/** Helpers whose barriers belong to the event before them (the fn names the kernel uses). */
const HELPERS: Partial<Record<TraceEvent['k'], readonly string[]>> = {
  load_mm: ['load_new_mm_cr3'],
  ipi_handle: ['sync_core', 'sync_core_before_usermode'],
  tlb_gen: ['inc_mm_tlb_gen'],
};

/**
 * Whether barrier `b` right after `carrier` is part of it: same function or a known helper, or
 * the mb + serialize that a CR3 write implies (a trace convention).
 */
export function belongsBack(b: Barrier, carrier: TraceEvent, tags: readonly string[]): boolean {
  if (carrier.k === 'path' || carrier.k === 'init' || isBarrier(carrier)) return false;
  if (carrier.k === 'load_mm' && carrier.cr3Write && (b.k === 'mb' || b.how === 'write_cr3')) {
    return !tags.includes(tag(b, carrier) ?? '');
  }
  return b.fn === carrier.fn || (HELPERS[carrier.k] ?? []).includes(b.fn);
}

/** An x86 locked RMW's barrier (`how: 'lock'`) right before the store it is part of (set_bit(), atomic_or()). */
const isLockOf = (b: Barrier | undefined, next: TraceEvent): boolean =>
  b?.k === 'mb' && b.how === 'lock' && (next.k === 'cpumask' || next.k === 'mm_membarrier_state');

/**
 * How many of `run` (barriers right before `next`) are not part of `next`: the index in `run` where
 * `next`'s own barriers start. An IRET's serialize (and the mb before it) precede its user_enter (a
 * trace convention); membarrier()'s smp_mb() precedes its mb_start / mb_end event.
 */
export function forwardStart(run: readonly Barrier[], next: TraceEvent): number {
  let to = run.length;
  if (next.k === 'user_enter' && run[to - 1]?.k === 'serialize') {
    to--;
    if (run[to - 1]?.k === 'mb') to--;
  } else if (isLockOf(run[to - 1], next)) {
    to--;
  } else if (isBarrierPhase(next)) {
    while (to > 0 && run[to - 1].k === 'mb' && run[to - 1].fn === next.fn) to--;
  }
  return to;
}

/**
 * Tag of a folded barrier. What the carrier already says goes without saying: the serialization of
 * a CR3 write or an IRET is plain `serialize`, and membarrier's own smp_mb() phases need no `[mb]`.
 */
export function tag(b: Barrier, carrier: TraceEvent | undefined): string | null {
  if (b.k === 'mb' && b.how === 'lock') return 'mb: LOCK';
  if (b.k === 'mb') return carrier?.k === 'membarrier' && carrier.phase.startsWith('mb_') ? null : 'mb';
  const implied = (carrier?.k === 'load_mm' && b.how === 'write_cr3') || (carrier?.k === 'user_enter' && b.how === carrier.via);
  return implied ? 'serialize' : `serialize(${b.how})`;
}

/** A barrier on a row of its own: `smp_mb()`, `smp_mb__after_spinlock()`, `sync_core()`, `serialize(iret)`. */
export function barrierText(b: Barrier): string {
  if (b.k === 'mb' && b.how === 'lock') return `${b.fn}() (LOCK)`;
  if (b.k === 'mb') return b.fn.startsWith('smp_mb') ? `${b.fn}()` : 'smp_mb()';
  return b.how === 'sync_core' ? 'sync_core()' : `serialize(${b.how})`;
}
