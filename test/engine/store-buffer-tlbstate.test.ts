/**
 * The store buffer of x86 cpu_tlbstate.loaded_mm and cpu_tlbstate_shared.is_lazy (engine knob
 * storeBuffer='rq-membarrier-state+tlbstate', the default; docs/store-buffer.md, "The second
 * location"): switch_mm_irqs_off()'s LOADED_MM_SWITCHING store and its is_lazy = false store are
 * visible to the switching CPU at once, to other CPUs (should_flush_tlb()) only at its next drain. 83b0177a6c48's "else smp_mb()" drains it before the tlb_gen read when
 * cpumask_set_cpu() (a LOCK BTS) does not; variant switching-store-no-mb-in-cpumask drops it.
 */
import { checkTrace } from '../../properties';
import { Kctx } from '../../src/engine/kctx';
import { initialState } from '../../src/engine/init';
import { x86Arch } from '../../src/engine/arch/x86';
import { refcountStrategy } from '../../src/engine/strategies/refcount';
import type { Op } from '../../src/engine/ops';
import type { TraceEvent } from '../../src/trace/events';
import { drive } from './drive';

const LM = { storeBuffer: 'rq-membarrier-state+tlbstate' };

function kctx(knobs: Record<string, string | boolean>, ev: TraceEvent[] = []): Kctx {
  const { state } = initialState({ cpus: 2, procs: 1, threads: 2, kthreads: 0 }, 'x86', 'refcount', knobs);
  return new Kctx(state, ev, x86Arch, refcountStrategy, knobs, {});
}
const kinds = (ev: TraceEvent[]) => ev.map((e) => (e.k === 'load_mm' ? `load_mm=${e.mm}${e.drainedBy ? `/${e.drainedBy}` : ''}` : e.k));

describe('Kctx: the buffered LOADED_MM_SWITCHING store', () => {
  it("knob 'rq-membarrier-state' (and 'none'): visible at once, one load_mm event", () => {
    for (const storeBuffer of ['rq-membarrier-state', 'none']) {
      const k = kctx({ storeBuffer });
      k.setLoadedMmSwitching(0, 'switch_mm_irqs_off');
      expect([k.cpu(0).loadedMm, k.visibleLoadedMm(0)]).toEqual(['SWITCHING', 'SWITCHING']);
      expect(kinds(k.ev)).toEqual(['load_mm=SWITCHING']);
    }
  });

  it('default knob: the CPU sees its own store, other CPUs read memory until a drain of that CPU', () => {
    const k = kctx(LM);
    const before = k.cpu(0).loadedMm;
    k.setLoadedMmSwitching(0, 'switch_mm_irqs_off');
    expect([k.cpu(0).loadedMm, k.visibleLoadedMm(0)]).toEqual(['SWITCHING', before]);
    k.mb(1, 'other_cpu');
    expect(k.visibleLoadedMm(0)).toBe(before);
    expect(kinds(k.ev)).toEqual(['store_buffered', 'mb']);
  });

  it('drained in the op that stored it: the store_buffered event becomes the plain load_mm event (the knob-off trace)', () => {
    const k = kctx(LM);
    k.setLoadedMmSwitching(0, 'switch_mm_irqs_off');
    k.mb(0, 'switch_mm_irqs_off');
    expect(kinds(k.ev)).toEqual(['load_mm=SWITCHING', 'mb']);
    expect(k.visibleLoadedMm(0)).toBe('SWITCHING');
    // An empty buffer leaves no field behind: equal states hash equal in the explorer.
    expect(Object.keys(k.cpu(0)).filter((f) => f.startsWith('loadedMmVisible') || f.startsWith('loadedMmBuffered'))).toEqual([]);
  });

  it('drained by a later op (a new Kctx): a load_mm event with drainedBy at the drain', () => {
    const first = kctx(LM);
    first.setLoadedMmSwitching(0, 'switch_mm_irqs_off');
    const later = new Kctx(first.s, [], x86Arch, refcountStrategy, LM, {});
    later.atomicRmw(0, 'cpumask_set_cpu'); // an x86 locked RMW drains, and is a full barrier (an mb event)
    expect(kinds(later.ev)).toEqual(['load_mm=SWITCHING/cpumask_set_cpu', 'mb']);
    expect(later.visibleLoadedMm(0)).toBe('SWITCHING');
  });
});

describe('Kctx: the buffered is_lazy = false store', () => {
  const lazyCpu0 = (knobs: Record<string, string | boolean>) => {
    const k = kctx(knobs);
    k.setLazy(0, 'enter_lazy_tlb', true);
    return new Kctx(k.s, [], x86Arch, refcountStrategy, knobs, {});
  };
  const lazyKinds = (ev: TraceEvent[]) => ev.map((e) => (e.k === 'lazy' ? `lazy=${e.lazy}${e.drainedBy ? `/${e.drainedBy}` : ''}` : e.k === 'store_buffered' ? `buffered:${e.loc}` : e.k));

  it('the CPU sees false at once (the lazy event), other CPUs still read true until a drain', () => {
    const k = lazyCpu0(LM);
    k.setLazy(0, 'switch_mm_irqs_off', false);
    expect([k.cpu(0).isLazy, k.visibleIsLazy(0)]).toEqual([false, true]);
    expect(lazyKinds(k.ev)).toEqual(['lazy=false', 'buffered:is_lazy']);
    const later = new Kctx(k.s, [], x86Arch, refcountStrategy, LM, {});
    later.mb(0, 'iret');
    expect(lazyKinds(later.ev)).toEqual(['lazy=false/iret', 'mb']);
    expect(later.visibleIsLazy(0)).toBe(false);
    expect(Object.keys(later.cpu(0))).not.toContain('isLazyVisible');
  });

  it('drained in the same op: the store_buffered event is taken out (the knob-off trace), later indices follow', () => {
    const k = lazyCpu0(LM);
    k.setLazy(0, 'switch_mm_irqs_off', false);
    k.setLoadedMmSwitching(0, 'switch_mm_irqs_off');
    k.mb(0, 'switch_mm_irqs_off');
    expect(kinds(k.ev)).toEqual(['lazy', 'load_mm=SWITCHING', 'mb']);
  });

  it('a store of true drains first and is visible at once; without the knob nothing is buffered', () => {
    const k = lazyCpu0(LM);
    k.setLazy(0, 'switch_mm_irqs_off', false);
    k.setLazy(0, 'enter_lazy_tlb', true);
    expect(lazyKinds(k.ev)).toEqual(['lazy=false', 'lazy=true']);
    expect(k.visibleIsLazy(0)).toBe(true);
    const off = lazyCpu0({ storeBuffer: 'rq-membarrier-state' });
    off.setLazy(0, 'switch_mm_irqs_off', false);
    expect([lazyKinds(off.ev), off.visibleIsLazy(0)]).toEqual([['lazy=false'], false]);
  });
});

/**
 * Stephen Dolan's race (LKML, 9 Oct 2025, "x86/mm: Finishing off the fix for a should_flush_tlb race"):
 * cpu0 runs T1 (mm1), switches to T4 (mm2) and back to T1, so it is still in mm_cpumask(mm1) (kept
 * lazily since 209954cbc7d0) and its switch back sets no bit. Between its tlb_gen read (step 1 of the
 * switch) and its CR3 write (step 2), cpu1 runs a whole flush of mm1 up to its should_flush_tlb() read
 * of cpu0. The shrunk counterexample of `lazymm check --variant switching-store-no-mb-in-cpumask --seed 1`.
 */
const CONFIG = { cpus: 2, procs: 2, threads: 2, kthreads: 0 };
const step = (cpu: number): Op => ({ op: 'step', cpu });
const OPS: Op[] = [
  { op: 'preempt', cpu: 0, next: 'T4' }, step(0), step(0), step(0), step(0),
  { op: 'schedule', cpu: 0, next: 'T1' }, step(0), step(0), // cpu0: LOADED_MM_SWITCHING stored, tlb_gen(mm1) = 0 read
  { op: 'syscall', cpu: 1 }, { op: 'flush_tlb', cpu: 1, freedTables: false }, // inc_mm_tlb_gen(mm1) = 1
  step(1), step(1), step(1), // the mask snapshot, then should_flush_tlb(cpu0): loaded_mm, then is_lazy
  step(0), step(0), // cpu0: CR3 write with generation 0
  step(1), step(1), // the flush completes
];
/** With the IPI sent, the flusher waits for it: cpu0 takes it (flush_tlb_func()) before the flush completes. */
const OPS_IPI: Op[] = [...OPS.slice(0, -1), { op: 'ipi', cpu: 0 }, step(1)];
const ipisTo0 = (ev: TraceEvent[]) => ev.filter((e) => e.k === 'ipi_send' && e.target === 0 && e.func === 'flush_tlb_func').length;

describe('switch_mm_irqs_off() vs should_flush_tlb() with the store buffer of loaded_mm', () => {
  it("mainline (83b0177a6c48's else smp_mb()): the flusher reads LOADED_MM_SWITCHING and IPIs cpu0; tlb-coherence holds", () => {
    const d = drive({ arch: 'x86', strategy: 'refcount' }, CONFIG, OPS_IPI);
    expect(d.events.some((e) => e.k === 'mb' && e.cpu === 0 && e.fn === 'switch_mm_irqs_off')).toBe(true);
    expect(ipisTo0(d.events)).toBe(1);
    expect(checkTrace(d.events).filter((v) => v.property === 'tlb-coherence')).toEqual([]);
  });

  it('v6.15-v6.17 (barrier() only): the store is still buffered, the flusher reads mm2 and skips cpu0; C6.4 fails', () => {
    const d = drive({ arch: 'x86', strategy: 'refcount', variant: 'switching-store-no-mb-in-cpumask' }, CONFIG, OPS);
    expect(d.events.some((e) => e.k === 'store_buffered' && e.loc === 'loaded_mm')).toBe(true);
    expect(ipisTo0(d.events)).toBe(0);
    const v = checkTrace(d.events).filter((x) => x.property === 'tlb-coherence');
    expect(v[0]?.clause).toMatch(/^C6\.4/);
  });

  it('the same kernel in the sequentially consistent model (storeBuffer=rq-membarrier-state): no bug to see', () => {
    const d = drive({ arch: 'x86', strategy: 'refcount', knobs: { switchingStoreFence: 'barrier', storeBuffer: 'rq-membarrier-state' } }, CONFIG, OPS_IPI);
    expect(ipisTo0(d.events)).toBe(1);
    expect(checkTrace(d.events).filter((v) => v.property === 'tlb-coherence')).toEqual([]);
  });
});
