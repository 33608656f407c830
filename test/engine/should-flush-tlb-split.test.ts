/**
 * Knob shouldFlushTlbReads='split': should_flush_tlb()'s loaded_mm read and its is_lazy read (after
 * smp_rmb()) are two steps of flush_tlb_mm_range(), so the target CPU can switch between them, as on
 * the kernel (errata Part 2 E16). The scenario: cpu1 flushes mm1 while cpu0, still in mm_cpumask(mm1)
 * (x86 trims lazily), runs T4 on mm2; cpu1 reads cpu0's loaded_mm (mm2), cpu0 switches back to T1 on
 * mm1 (it reads the new tlb_gen after its LOADED_MM_SWITCHING store), then cpu1 reads is_lazy (false)
 * and decides on the mm2 it read: no IPI, and none is needed.
 */
import { createEngine } from '../../src/engine/build';
import type { Engine } from '../../src/engine/contract';
import type { TraceEvent } from '../../src/trace/events';
import { checkTrace } from '../../properties/index';
import { driveOps, parseOps } from '../../src/mutants/hand-ops';

const CONFIG = { cpus: 2, procs: 2, threads: 2, kthreads: 0 };
const run = (reads: string, ops: string) => {
  const engine = createEngine({ arch: 'x86', strategy: 'refcount', knobs: { shouldFlushTlbReads: reads } }) as Engine<unknown>;
  return driveOps(engine, CONFIG, parseOps(ops));
};
const ipisTo0 = (events: TraceEvent[]) => events.filter((e) => e.k === 'ipi_send' && e.target === 0 && e.func === 'flush_tlb_func').length;

describe('should_flush_tlb() reads split in two steps (knob shouldFlushTlbReads)', () => {
  it('a target that switches to the flushed mm between the two reads gets no IPI, and needs none', () => {
    // step 1: the mask snapshot; step 1: the loaded_mm read (mm2); cpu0 switches; step 1*: is_lazy, the rest.
    const r = run('split', 'preempt 0 T4; step 0*; syscall 1; flush_tlb 1 false; step 1; step 1; schedule 0 T1; step 0*; step 1*');
    expect(r.stopped).toBeNull();
    expect(ipisTo0(r.events)).toBe(0);
    expect(r.events.some((e) => e.k === 'local_tlb_gen' && e.cpu === 0 && e.mm === 'mm1' && e.gen === 1)).toBe(true);
    expect(r.events.some((e) => e.k === 'flush_done' && e.cpu === 1)).toBe(true);
    expect(checkTrace(r.events)).toEqual([]);
  });

  it('in one step the same switch comes before the read, which then sends the IPI', () => {
    const r = run('one-step', 'preempt 0 T4; step 0*; syscall 1; flush_tlb 1 false; step 1; schedule 0 T1; step 0*; step 1*');
    expect(r.stopped).toBeNull();
    expect(ipisTo0(r.events)).toBe(1);
    expect(checkTrace(r.events)).toEqual([]);
  });
});
