/**
 * x86 INVLPGB (knob invlpgb): a global ASID's TLB is kept fresh by broadcast invalidations, and an
 * invalidation never makes a TLB older. Two false alarms of tlb-coherence C6.4 on the correct engine
 * with invlpgb=true (found by a 20,000-run soak; shrunk counterexamples below), both from the model
 * writing an older generation over a newer one:
 * - switch_mm_irqs_off() to a global-ASID mm read tlb_gen (0), another CPU's broadcast flush then
 *   brought this CPU to generation 1, and the CR3 write set it back to the 0 it read. The kernel's
 *   choose_new_asid() returns need_flush = 0 for a global ASID ("Global ASIDs are always up to date")
 *   and writes no ctxs[].tlb_gen; the model took that branch only with asidTransition.
 * - two flushes of the mm in flight: the later generation's INVLPGB reached a CPU first, then the
 *   earlier one's set it back.
 */
import { checkTrace, propertyById } from '../../properties';
import { replayOps } from '../../arbitraries';
import { createEngine } from '../../src/engine/registry';
import type { Op } from '../../src/engine/ops';

const spec = {
  arch: 'x86',
  strategy: 'refcount',
  knobs: { invlpgb: true, membarrierSwitchMmFix: true, syncRunqueuesFreshState: true, syncCoreOnLazySameMmSwitch: true, globalAsidLazyFirst: true },
} as const;
const tlb = propertyById('tlb-coherence')!;
const step = (cpu: number): Op => ({ op: 'step', cpu });
const steps = (cpu: number, n: number): Op[] => Array.from({ length: n }, () => step(cpu));

/** cpu1 switches idle1 -> T4 (mm2) across cpu2's flush of mm2. */
const SWITCH_ACROSS_BROADCAST: Op[] = [
  { op: 'preempt', cpu: 1, next: 'idle1' }, ...steps(1, 2),
  { op: 'schedule', cpu: 2, next: 'T3' }, step(1),
  { op: 'schedule', cpu: 1, next: 'T4' }, step(1), step(2), step(1), ...steps(2, 4),
  { op: 'flush_tlb', cpu: 2, freedTables: false, trim: true }, ...steps(2, 3), ...steps(1, 3),
  { op: 'return_to_user', cpu: 1, via: 'sysret' },
];

/** cpu0 (gen 1) and cpu2 (gen 2) flush mm2 at once; cpu2's INVLPGB lands first. */
const TWO_BROADCASTS: Op[] = [
  { op: 'schedule', cpu: 2, next: 'T5' }, step(2),
  { op: 'preempt', cpu: 0, next: 'T6' }, ...steps(0, 2), step(2), ...steps(0, 2), ...steps(2, 3),
  { op: 'flush_tlb', cpu: 0, freedTables: false },
  { op: 'flush_tlb', cpu: 2, freedTables: false, trim: true }, ...steps(2, 2), step(0), step(2),
  { op: 'return_to_user', cpu: 2, via: 'sysret' },
];

describe('INVLPGB: a TLB generation never goes back', () => {
  it.each([
    ['a switch across another CPU broadcast flush', { cpus: 3, procs: 2, threads: 2, kthreads: 0 }, SWITCH_ACROSS_BROADCAST],
    ['two broadcast flushes of one mm in flight', { cpus: 3, procs: 2, threads: 3, kthreads: 0 }, TWO_BROADCASTS],
  ])('%s: the correct engine passes tlb-coherence', (_name, config, ops) => {
    const { events } = replayOps(createEngine(spec), config, ops);
    expect(events.filter((e) => e.k === 'local_tlb_gen').length).toBeGreaterThan(3); // the flushes ran
    expect(events.some((e) => e.k === 'user_enter')).toBe(true);
    expect(checkTrace(events, [tlb])).toEqual([]);
  });
});
