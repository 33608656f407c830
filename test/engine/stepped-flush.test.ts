/**
 * x86 flush_tlb_mm_range() as separate steps (issue 12 item 6): inc_mm_tlb_gen(), then one
 * should_flush_tlb() read per CPU, so a remote CPU can go lazy or unlazy between the generation bump
 * and the read of its is_lazy / loaded_mm. And should_flush_tlb()'s trim_cpumask case (item 7, v6.14+).
 * Each window is shown on the engine, judged correct by tlb-coherence, and a broken copy of the trace
 * (what a kernel that got the window wrong would do) is caught.
 */
import { checkTrace } from '../../properties';
import type { TraceEvent } from '../../src/trace/events';
import { drain, drive, ofKind, steps } from './drive';

type Script = Parameters<typeof drive>[2];
const x86 = { arch: 'x86' as const, strategy: 'refcount' as const };
/** T1 on CPU0 and T2 on CPU1 run mm1 in user mode; K1 is runnable. */
const config = { cpus: 2, procs: 1, threads: 2, kthreads: 1 };

const bump: Script = [{ op: 'syscall', cpu: 0 }, { op: 'flush_tlb', cpu: 0, freedTables: false }, { op: 'step', cpu: 0 }];
const toK1: Script = [{ op: 'syscall', cpu: 1 }, { op: 'schedule', cpu: 1, next: 'K1' }, drain(1)];
const backToT2: Script = [{ op: 'schedule', cpu: 1, next: 'T2' }, drain(1), { op: 'return_to_user', cpu: 1, via: 'sysret' }];
/** should_flush_tlb(1)'s two reads (loaded_mm, then is_lazy: knob shouldFlushTlbReads='split', the default), the local flush, and the end of the wait. */
const scanLocalWait: Script = steps(0, 4);

const tlbViolations = (events: TraceEvent[]) => checkTrace(events).filter((v) => v.property === 'tlb-coherence');

describe('flush_tlb_mm_range(): a CPU goes lazy between inc_mm_tlb_gen() and its should_flush_tlb() read', () => {
  const script: Script = [...bump, ...toK1, ...scanLocalWait, ...backToT2];

  it('the read sees is_lazy: no IPI; the lazy CPU flushes when it comes back to the mm (stale tlb_gen)', () => {
    const { events } = drive(x86, config, script);
    const gen = ofKind(events, 'tlb_gen', 0)[0];
    const lazy = ofKind(events, 'lazy', 1).find((e) => e.lazy);
    expect(events.indexOf(gen)).toBeLessThan(events.indexOf(lazy!));
    expect(ofKind(events, 'ipi_send', 0)).toEqual([]);
    expect(ofKind(events, 'flush_done', 0)).toEqual([expect.objectContaining({ mm: 'mm1', gen: 1 })]);
    // switch_mm_irqs_off() back to mm1 after a lazy period: tlb_gen moved on, so CR3 is written with a flush.
    const back = ofKind(events, 'load_mm', 1).at(-1);
    expect(back).toMatchObject({ mm: 'mm1', cr3Write: true, flushed: true });
    expect(tlbViolations(events)).toEqual([]);
  });

  it('the same switch after the read: the CPU was not lazy when read, so it gets the IPI', () => {
    const after = drive(x86, config, [...bump, ...steps(0, 2), ...toK1, { op: 'ipi', cpu: 1 }, ...steps(0, 2)]).events;
    expect(ofKind(after, 'ipi_send', 0).map((e) => e.target)).toEqual([1]);
    expect(tlbViolations(after)).toEqual([]);
  });

  it('tlb-coherence catches a broken trace: the CPU skipped by the read returns to the mm without flushing', () => {
    const { events } = drive(x86, config, script);
    const back = events.lastIndexOf(ofKind(events, 'load_mm', 1).at(-1)!);
    const broken = events
      .map((e, i) => (i === back && e.k === 'load_mm' ? { ...e, flushed: false } : e))
      .filter((e, i) => !(i > back && e.k === 'local_tlb_gen' && e.cpu === 1));
    const v = tlbViolations(broken);
    expect(v.map((x) => x.clause)).toEqual(['C6.4 stale TLB in user mode']);
    expect(v[0].cpus).toEqual([1]);
  });
});

describe('flush_tlb_mm_range(): a lazy CPU unlazies between inc_mm_tlb_gen() and its read', () => {
  it('it read the new tlb_gen when it switched back, so the IPI the read then sends finds it up to date', () => {
    const { events } = drive(x86, config, [
      ...toK1,
      ...bump,
      ...backToT2, // CPU1 switches back after the bump: it reads tlb_gen 1 and flushes
      ...steps(0, 3), // should_flush_tlb(1): loaded_mm == mm1, then not lazy: IPI; the local flush
      { op: 'ipi', cpu: 1 },
      { op: 'step', cpu: 0 },
    ]);
    expect(ofKind(events, 'ipi_send', 0).map((e) => e.target)).toEqual([1]);
    const handled = events.slice(events.findIndex((e) => e.k === 'ipi_handle' && e.cpu === 1));
    // flush_tlb_func(): "f->new_tlb_gen <= local_tlb_gen": return, no second flush.
    expect(ofKind(handled, 'local_tlb_gen', 1)).toEqual([]);
    expect(tlbViolations(events)).toEqual([]);
  });
});

describe("should_flush_tlb()'s trim_cpumask case (v6.14+ lazy mm_cpumask)", () => {
  /** CPU1: T2 forks a process (mm2) and switches to it; CPU1 stays in mm_cpumask(mm1) (lazy trimming). */
  const cpu1OnMm2: Script = [
    { op: 'syscall', cpu: 1 },
    { op: 'fork', cpu: 1, cloneVm: false },
    { op: 'schedule', cpu: 1, next: 'T3' },
    drain(1),
  ];
  const flush = (trim: boolean): Script => [{ op: 'syscall', cpu: 0 }, { op: 'flush_tlb', cpu: 0, freedTables: false, ...(trim ? { trim } : {}) }, ...steps(0, 4)];

  it('without trim a CPU whose loaded mm is another gets no IPI and keeps its stale bit', () => {
    const { state, events } = drive(x86, config, [...cpu1OnMm2, ...flush(false)]);
    expect(ofKind(events, 'ipi_send', 0)).toEqual([]);
    expect(state.mms.mm1.cpumask[1]).toBe(true);
    expect(tlbViolations(events)).toEqual([]);
  });

  it('with trim the IPI reaches it and flush_tlb_func() clears its bit ("CPU left in mm_cpumask of target mm")', () => {
    const { state, events } = drive(x86, config, [...cpu1OnMm2, ...flush(true).slice(0, -1), { op: 'ipi', cpu: 1 }, { op: 'step', cpu: 0 }]);
    expect(ofKind(events, 'ipi_send', 0).map((e) => e.target)).toEqual([1]);
    expect(ofKind(events, 'cpumask', 1)).toContainEqual(expect.objectContaining({ fn: 'flush_tlb_func', mm: 'mm1', target: 1, set: false }));
    expect(state.mms.mm1.cpumask[1]).toBe(false);
    expect(tlbViolations(events)).toEqual([]);
  });

  it('the trim IPI handled after the CPU switched back to the mm flushes instead of clearing; clearing there is caught (C6.3)', () => {
    const script: Script = [...cpu1OnMm2, ...flush(true).slice(0, -1), { op: 'schedule', cpu: 1, next: 'T2' }, drain(1), { op: 'ipi', cpu: 1 }, { op: 'step', cpu: 0 }];
    const { state, events } = drive(x86, config, script);
    expect(state.mms.mm1.cpumask[1]).toBe(true);
    expect(state.cpus[1].loadedMm).toBe('mm1');
    expect(tlbViolations(events)).toEqual([]);
    // A kernel whose flush_tlb_func() trimmed on the IPI's say-so, not on loaded_mm:
    const at = events.findIndex((e) => e.k === 'ipi_handle' && e.cpu === 1);
    const broken: TraceEvent[] = [...events.slice(0, at + 1), { k: 'cpumask', cpu: 1, fn: 'flush_tlb_func', mm: 'mm1', target: 1, set: false }, ...events.slice(at + 1)];
    expect(tlbViolations(broken).map((v) => v.clause)).toContain('C6.3 loaded mm without cpumask bit');
  });

  it('the trim case is offered only where should_flush_tlb() exists (flushFilter other than notLazy)', () => {
    const on = drive(x86, config, [{ op: 'syscall', cpu: 0 }, { op: 'flush_tlb', cpu: 0, freedTables: false, trim: true }]);
    expect(on.events.some((e) => e.k === 'tlb_gen')).toBe(true);
    const old = { ...x86, knobs: { flushFilter: 'notLazy' } };
    expect(() => drive(old, config, [{ op: 'syscall', cpu: 0 }, { op: 'flush_tlb', cpu: 0, freedTables: false, trim: true }])).toThrow(/not enabled/);
  });
});
