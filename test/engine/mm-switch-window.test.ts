/**
 * no-lazy-use-after-free C2.9 (no IRQ window between an active_mm store and its switch_mm where
 * the kernel keeps IRQs off) and C2.10 (no active_mm-reading handler where active_mm and the
 * loaded mm disagree about its mm): each both ways, on engine and hand-built traces.
 */
import { checkTrace } from '../../properties';
import { noLazyUseAfterFree } from '../../properties/no-lazy-use-after-free';
import { TraceBuilder, type WorldSpec } from '../../properties/lib/trace-builder';
import { drain, drive } from './drive';

const C29 = 'C2.9 IRQs on between an active_mm store and its switch_mm';
const C210 = 'C2.10 active_mm-reading handler on a CPU whose active_mm and loaded mm disagree';
const config = { cpus: 2, procs: 1, threads: 1, kthreads: 1 };
const exec = [{ op: 'syscall' as const, cpu: 0 }, { op: 'exec' as const, cpu: 0 }, drain(0)];

describe('C2.9 on engine traces: exec_mmap() with and without IRQs off over activate_mm()', () => {
  it('powerpc (selects ARCH_WANT_IRQS_OFF_ACTIVATE_MM) with IRQs back on before activate_mm(): reported at the local_irq_enable()', () => {
    const { events: trace } = drive({ arch: 'powerpc', strategy: 'shootdown', knobs: { irqsOffActivateMm: false } }, config, exec);
    const [v] = checkTrace(trace, [noLazyUseAfterFree]);
    expect(v).toMatchObject({ clause: C29, cpus: [0] });
    expect(trace[v.index]).toMatchObject({ k: 'irqs', enabled: true, cpu: 0 });
  });

  it('powerpc with IRQs off across activate_mm() (mainline): no violation', () => {
    const { events: trace } = drive({ arch: 'powerpc', strategy: 'shootdown' }, config, exec);
    expect(trace.some((e) => e.k === 'task_mm' && e.fn === 'exec_mmap')).toBe(true);
    expect(checkTrace(trace, [noLazyUseAfterFree])).toEqual([]);
  });

  it('x86 before v6.16 and arm64 (no ARCH_WANT_IRQS_OFF_ACTIVATE_MM): the kernel allows the window', () => {
    for (const arch of ['x86', 'arm64'] as const) {
      const { events: trace } = drive({ arch, strategy: 'refcount', knobs: { irqsOffActivateMm: false } }, config, exec);
      expect(trace.some((e) => e.k === 'irqs' && e.fn === 'local_irq_enable')).toBe(true);
      expect(checkTrace(trace, [noLazyUseAfterFree])).toEqual([]);
    }
  });
});

/** cpu0 runs user task T0 on mm1; cpu1 runs kthread K1, lazy on mm1. */
const world = (arch: 'x86' | 'powerpc'): WorldSpec => ({
  arch,
  strategy: 'shootdown',
  cpus: [{ curr: 'T0', loadedMm: 'mm1' }, { curr: 'K1', loadedMm: 'mm1', isLazy: true }],
  tasks: [{ task: 'T0', mm: 'mm1', tgid: 'P1' }, { task: 'K1', activeMm: 'mm1' }, { task: 'idle0' }, { task: 'idle1' }],
  mms: [{ mm: 'mm1' }, { mm: 'mm2' }],
});

describe('C2.9 on hand-built traces: kthread_use_mm()', () => {
  function useMm(enableBeforeSwitch: boolean): { b: TraceBuilder; enable: number } {
    const b = new TraceBuilder(world('powerpc'));
    b.push({ k: 'irqs', cpu: 1, fn: 'local_irq_disable', enabled: false });
    b.taskMm(1, 'K1', 'mm2', 'mm2', 'kthread_use_mm');
    let enable = -1;
    if (enableBeforeSwitch) enable = b.push({ k: 'irqs', cpu: 1, fn: 'local_irq_enable', enabled: true });
    b.loadMm(1, 'mm2', { fn: 'switch_mm_irqs_off' });
    if (!enableBeforeSwitch) enable = b.push({ k: 'irqs', cpu: 1, fn: 'local_irq_enable', enabled: true });
    return { b, enable };
  }

  it('IRQs re-enabled after switch_mm_irqs_off(): fine', () => {
    expect(checkTrace(useMm(false).b.events, [noLazyUseAfterFree])).toEqual([]);
  });

  it('IRQs re-enabled between tsk->active_mm = mm and switch_mm_irqs_off(): reported', () => {
    const { b, enable } = useMm(true);
    expect(checkTrace(b.events, [noLazyUseAfterFree])[0]).toMatchObject({ clause: C29, index: enable, mm: 'mm2', cpus: [1] });
  });

  it('an IPI taken in the window on a trace without irqs events: reported at the handler', () => {
    const b = new TraceBuilder(world('powerpc'));
    b.taskMm(1, 'K1', 'mm2', 'mm2', 'kthread_use_mm');
    const h = b.ipiHandle(1, 3, 'ipi_mb', 0);
    expect(checkTrace(b.events, [noLazyUseAfterFree])[0]).toMatchObject({ clause: C29, index: h });
  });
});

describe('C2.10: a handler that reads current->active_mm', () => {
  /** K1's active_mm moves to mm2 by a store no C2.9 rule covers, the MMU stays on mm1. */
  function stale(arch: 'x86' | 'powerpc', loaded: 'mm1' | 'init_mm'): TraceBuilder {
    const b = new TraceBuilder(world(arch));
    if (loaded === 'init_mm') leaveMm(b);
    b.taskMm(1, 'K1', null, 'mm2', 'efi_enter_mm');
    return b;
  }
  /** x86 leave_mm() on cpu1: switch_mm(NULL, &init_mm, NULL) under local_irq_save(). */
  function leaveMm(b: TraceBuilder): void {
    b.push({ k: 'irqs', cpu: 1, fn: 'local_irq_save', enabled: false });
    b.loadMm(1, 'init_mm', { fn: 'leave_mm' });
    b.push({ k: 'irqs', cpu: 1, fn: 'local_irq_restore', enabled: true });
  }

  it('do_shoot_lazy_tlb() for mm1 where active_mm says mm2 but the MMU is on mm1: reported (the handler skips a CPU that uses mm1)', () => {
    const b = stale('powerpc', 'mm1');
    const h = b.ipiHandle(1, 5, 'do_shoot_lazy_tlb', 0, 'mm1');
    expect(checkTrace(b.events, [noLazyUseAfterFree])[0]).toMatchObject({ clause: C210, index: h, mm: 'mm1', cpus: [1] });
  });

  it('do_exit_flush_lazy_tlb() for mm2 where active_mm is mm2 but the MMU is on mm1: reported', () => {
    const b = stale('powerpc', 'mm1');
    const h = b.ipiHandle(1, 5, 'do_exit_flush_lazy_tlb', 0, 'mm2');
    expect(checkTrace(b.events, [noLazyUseAfterFree])[0]).toMatchObject({ clause: C210, index: h, mm: 'mm2' });
  });

  it('the same handler where active_mm and the MMU agree, or disagree about other mms only: fine', () => {
    const ok = new TraceBuilder(world('powerpc'));
    ok.ipiHandle(1, 5, 'do_shoot_lazy_tlb', 0, 'mm1');
    expect(checkTrace(ok.events, [noLazyUseAfterFree])).toEqual([]);
    const other = stale('powerpc', 'mm1');
    other.ipiHandle(1, 5, 'do_shoot_lazy_tlb', 0, 'mm3');
    expect(checkTrace(other.events, [noLazyUseAfterFree])).toEqual([]);
  });

  it('a CPU that already left its lazy mm for init_mm (x86 flush_tlb_func()/leave_mm()): exempt', () => {
    const b = new TraceBuilder(world('x86'));
    leaveMm(b);
    b.ipiHandle(1, 5, 'do_shoot_lazy_tlb', 0, 'mm1');
    expect(checkTrace(b.events, [noLazyUseAfterFree])).toEqual([]);
  });

  it('x86 flush_tlb_func() reads loaded_mm, not active_mm: not judged', () => {
    const b = stale('x86', 'mm1');
    b.ipiHandle(1, 5, 'flush_tlb_func', 0, 'mm1');
    expect(checkTrace(b.events, [noLazyUseAfterFree])).toEqual([]);
  });
});

describe('C2.11: switch_mm_irqs_off() is entered with IRQs off (x86, powerpc)', () => {
  const C211 = 'C2.11 switch_mm_irqs_off() with IRQs on';

  it('a load_mm with IRQs on is reported on x86 and powerpc, not on arm64 (switch_mm_irqs_off is switch_mm there)', () => {
    for (const arch of ['x86', 'powerpc'] as const) {
      const b = new TraceBuilder({ ...world(arch), irqsTracked: true });
      const l = b.loadMm(1, 'init_mm', { fn: 'leave_mm' });
      expect(checkTrace(b.events, [noLazyUseAfterFree])[0]).toMatchObject({ clause: C211, index: l, cpus: [1] });
      // A trace that does not say it tracks every IRQ-state change: nothing is concluded.
      const untracked = new TraceBuilder(world(arch));
      untracked.loadMm(1, 'init_mm', { fn: 'leave_mm' });
      expect(checkTrace(untracked.events, [noLazyUseAfterFree])).toEqual([]);
    }
    const arm = new TraceBuilder({ ...world('x86'), arch: 'arm64', strategy: 'refcount', irqsTracked: true });
    arm.loadMm(1, 'init_mm', { fn: 'efi_virtmap_load' });
    expect(checkTrace(arm.events, [noLazyUseAfterFree])).toEqual([]);
  });

  it('inside local_irq_save()/restore(), or in an interrupt handler: fine', () => {
    const b = new TraceBuilder({ ...world('x86'), irqsTracked: true });
    b.push({ k: 'irqs', cpu: 1, fn: 'local_irq_save', enabled: false });
    b.loadMm(1, 'init_mm', { fn: 'leave_mm' });
    b.push({ k: 'irqs', cpu: 1, fn: 'local_irq_restore', enabled: true });
    b.push({ k: 'irq', cpu: 1, fn: 'sysvec_call_function', phase: 'enter', from: 'kernel' });
    b.ipiHandle(1, 4, 'flush_tlb_func', 0, 'mm1');
    b.loadMm(1, 'mm1', { fn: 'flush_tlb_func' });
    b.push({ k: 'irq', cpu: 1, fn: 'sysvec_call_function', phase: 'exit', from: 'kernel' });
    expect(checkTrace(b.events, [noLazyUseAfterFree])).toEqual([]);
  });

  it('engine traces: every switch_mm_irqs_off() call site shows IRQs off (idle leave_mm, local flush, EFI in both schemes)', () => {
    const idle = drive({ arch: 'x86', strategy: 'refcount' }, { cpus: 2, procs: 1, threads: 1, kthreads: 0 }, [
      { op: 'preempt', cpu: 0, next: 'idle0' },
      drain(0),
      { op: 'idle_leave_mm', cpu: 0 },
    ]);
    const kinds = (idle.perOp.at(-1) ?? []).map((e) => (e.k === 'irqs' ? `irqs:${e.enabled}` : e.k));
    expect(kinds.indexOf('irqs:false')).toBeLessThan(kinds.indexOf('load_mm'));
    expect(kinds.at(-1)).toBe('irqs:true');
    expect(checkTrace(idle.events, [noLazyUseAfterFree])).toEqual([]);
    for (const efiScheme of ['temporary-mm', 'efi_enter_mm'] as const) {
      const efi = drive({ arch: 'x86', strategy: 'refcount', knobs: { efiScheme } }, { cpus: 2, procs: 1, threads: 1, kthreads: 1 }, [
        { op: 'schedule', cpu: 1, next: 'K1' },
        drain(1),
        { op: 'efi_call', cpu: 1 },
        drain(1),
      ]);
      expect(efi.events.filter((e) => e.k === 'load_mm' && e.cpu === 1).length).toBeGreaterThanOrEqual(2);
      expect(checkTrace(efi.events, [noLazyUseAfterFree])).toEqual([]);
    }
  });
});
