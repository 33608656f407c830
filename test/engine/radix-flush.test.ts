/**
 * powerpc radix flushes by flush_type_needed() (issue 12 item 7): a local tlbiel when this CPU is
 * alone in mm_cpumask, exit_flush_lazy_tlbs() + a local flush for a single-threaded process or when
 * the trim clock fires, a broadcast tlbie otherwise; and tlb-coherence under powerpc's and arm64's
 * own rules, on the engine's traces and on broken copies of them.
 */
import { checkTrace } from '../../properties';
import type { TraceEvent } from '../../src/trace/events';
import { drain, drive, ofKind } from './drive';

type Script = Parameters<typeof drive>[2];
const ppc = { arch: 'powerpc' as const, strategy: 'shootdown' as const };
const tlbViolations = (events: TraceEvent[]) => checkTrace(events).filter((v) => v.property === 'tlb-coherence');
const flushGens = (events: TraceEvent[]) => ofKind(events, 'local_tlb_gen').map((e) => [e.cpu, e.fn]);

describe('powerpc flush_type_needed()', () => {
  it('LOCAL: the only CPU in mm_cpumask flushes with tlbiel, no other CPU is touched', () => {
    const { events } = drive(ppc, { cpus: 2, procs: 1, threads: 1, kthreads: 0 }, [{ op: 'syscall', cpu: 0 }, { op: 'flush_tlb', cpu: 0, freedTables: false }, { op: 'step', cpu: 0 }]);
    expect(flushGens(events)).toEqual([[0, 'tlbiel']]);
    expect(ofKind(events, 'ipi_send')).toEqual([]);
    expect(tlbViolations(events)).toEqual([]);
  });

  it('GLOBAL: two threads on two CPUs -> tlbie reaches both', () => {
    const { events } = drive(ppc, { cpus: 2, procs: 1, threads: 2, kthreads: 0 }, [{ op: 'syscall', cpu: 0 }, { op: 'flush_tlb', cpu: 0, freedTables: false }, { op: 'step', cpu: 0 }]);
    expect(flushGens(events)).toEqual([[0, 'tlbie'], [1, 'tlbie']]);
    expect(tlbViolations(events)).toEqual([]);
  });

  /** T1 runs on CPU0, then on CPU1 while K1 stays lazy on mm1 on CPU0 (both CPUs in mm_cpumask(mm1)). */
  const migrated: Script = [
    { op: 'syscall', cpu: 0 },
    { op: 'schedule', cpu: 0, next: 'K1' },
    drain(0),
    { op: 'schedule', cpu: 1, next: 'T1' },
    drain(1),
  ];
  const single = { cpus: 2, procs: 1, threads: 1, kthreads: 1 };
  const flushOnCpu1: Script = [{ op: 'flush_tlb', cpu: 1, freedTables: false }, { op: 'ipi', cpu: 0 }, { op: 'step', cpu: 1 }];

  it('single-threaded: exit_flush_lazy_tlbs() moves the lazy CPU to init_mm, out of the mask, flushed; then a local flush', () => {
    const { state, events } = drive(ppc, single, [...migrated, ...flushOnCpu1]);
    expect(ofKind(events, 'ipi_send').map((e) => [e.target, e.func])).toEqual([[0, 'do_exit_flush_lazy_tlb']]);
    expect(flushGens(events)).toEqual([[1, 'tlbiel'], [0, 'exit_lazy_flush_tlb']]);
    expect(state.cpus[0].loadedMm).toBe('init_mm');
    expect(state.mms.mm1.cpumask).toEqual([false, true]);
    expect(tlbViolations(events)).toEqual([]);
  });

  it('tlb-coherence catches a broken trace: the lazy CPU leaves the mask without its RIC_FLUSH_ALL', () => {
    const { events } = drive(ppc, single, [...migrated, ...flushOnCpu1]);
    const broken = events.filter((e) => !(e.k === 'local_tlb_gen' && e.fn === 'exit_lazy_flush_tlb'));
    const v = tlbViolations(broken);
    expect(v.map((x) => [x.clause, x.cpus])).toEqual([['C6.4 flush completed with a stale TLB', [0]]]);
  });

  it('tlb-coherence C6.3 catches a CPU running an mm outside its mm_cpumask (what LOCAL relies on)', () => {
    const { events } = drive(ppc, { cpus: 2, procs: 1, threads: 2, kthreads: 0 }, [{ op: 'syscall', cpu: 0 }]);
    const broken: TraceEvent[] = [...events, { k: 'cpumask', cpu: 1, fn: 'clear_tasks_mm_cpumask', mm: 'mm1', target: 1, set: false }];
    expect(tlbViolations(broken).map((v) => v.clause)).toEqual(['C6.3 loaded mm without cpumask bit']);
  });

  describe('the trim clock (tick_and_test_trim_clock(), every 1073rd flush of a CPU)', () => {
    /** T1 on CPU0; T2 on CPU1 yields to K1, which stays lazy on mm1 (CPU1 in the mask). */
    const lazyCpu1: Script = [{ op: 'syscall', cpu: 1 }, { op: 'schedule', cpu: 1, next: 'K1' }, drain(1), { op: 'syscall', cpu: 0 }];
    const cfg = { cpus: 2, procs: 1, threads: 2, kthreads: 1 };
    it('without it a multi-threaded flush is a tlbie, the lazy CPU stays in the mask', () => {
      const { state, events } = drive(ppc, cfg, [...lazyCpu1, { op: 'flush_tlb', cpu: 0, freedTables: false }, { op: 'step', cpu: 0 }]);
      expect(flushGens(events).filter(([, fn]) => fn === 'tlbie')).toEqual([[0, 'tlbie'], [1, 'tlbie']]);
      expect(state.mms.mm1.cpumask[1]).toBe(true);
      expect(tlbViolations(events)).toEqual([]);
    });
    it('with it the lazy CPU is trimmed (exit_flush_lazy_tlbs()) and the flush is local', () => {
      const { state, events } = drive(ppc, cfg, [...lazyCpu1, { op: 'flush_tlb', cpu: 0, freedTables: false, trim: true }, { op: 'ipi', cpu: 1 }, { op: 'step', cpu: 0 }]);
      expect(flushGens(events).filter(([, fn]) => fn !== 'tlbie')).toEqual([[0, 'tlbiel'], [1, 'exit_lazy_flush_tlb']]);
      expect(state.mms.mm1.cpumask[1]).toBe(false);
      expect(state.cpus[1].loadedMm).toBe('init_mm');
      expect(tlbViolations(events)).toEqual([]);
    });
  });
});

describe('arm64: tlb-coherence with broadcast TLBI and no mm_cpumask', () => {
  const arm = { arch: 'arm64' as const, strategy: 'refcount' as const };
  const script: Script = [{ op: 'syscall', cpu: 0 }, { op: 'flush_tlb', cpu: 0, freedTables: true }, { op: 'step', cpu: 0 }];
  it('every online CPU is invalidated; a trace where one was not is caught', () => {
    const { events } = drive(arm, { cpus: 2, procs: 1, threads: 2, kthreads: 0 }, script);
    expect(ofKind(events, 'local_tlb_gen').map((e) => e.cpu)).toEqual([0, 1]);
    expect(tlbViolations(events)).toEqual([]);
    const broken = events.filter((e) => !(e.k === 'local_tlb_gen' && e.cpu === 1));
    expect(tlbViolations(broken).map((v) => [v.clause, v.cpus])).toEqual([['C6.4 flush completed with a stale TLB', [1]]]);
  });
});
