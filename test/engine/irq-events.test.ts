/**
 * IRQ state in the trace (issue 12 item 2): `irqs` events where the kernel disables and re-enables
 * IRQs around an mm switch, `irq` entry/exit around an interrupt handler, and no-lazy-use-after-free
 * C2.8: no interrupt inside an IRQs-off section.
 */
import { checkTrace } from '../../properties';
import { noLazyUseAfterFree } from '../../properties/no-lazy-use-after-free';
import { TraceBuilder } from '../../properties/lib/trace-builder';
import { drain, drive, ofKind, steps } from './drive';

const x86 = { arch: 'x86' as const, strategy: 'refcount' as const };
const config = { cpus: 2, procs: 1, threads: 1, kthreads: 1 };

describe('irqs and irq events', () => {
  it("kthread_use_mm()'s switch is bracketed by local_irq_disable()/local_irq_enable()", () => {
    const { perOp } = drive(x86, config, [
      { op: 'schedule', cpu: 1, next: 'K1' },
      drain(1),
      { op: 'mmget_not_zero', cpu: 1, mm: 'mm1' },
      { op: 'kthread_use_mm', cpu: 1, mm: 'mm1' },
      { op: 'step', cpu: 1 },
    ]);
    const sw = perOp.at(-1) ?? [];
    const kinds = sw.map((e) => (e.k === 'irqs' ? `irqs:${e.enabled}` : e.k));
    // task_lock() first: a LOCK CMPXCHG on x86 (src/engine/kernel/spin-lock.ts), then IRQs off.
    expect(sw[0]).toMatchObject({ k: 'mb', fn: 'task_lock', how: 'lock' });
    expect(kinds[1]).toBe('irqs:false');
    expect(kinds.at(-1)).toBe('irqs:true');
    expect(kinds).toContain('task_mm');
    expect(kinds).toContain('load_mm');
  });

  it('an IPI taken in kernel mode has irq enter/exit around its handler, then the IRET', () => {
    const { perOp } = drive(x86, { ...config, kthreads: 0, threads: 2, cpus: 2 }, [
      { op: 'syscall', cpu: 1 },
      { op: 'syscall', cpu: 0 },
      { op: 'flush_tlb', cpu: 0, freedTables: false },
      ...steps(0, 3), // the mask snapshot, should_flush_tlb(1)'s two reads: the IPI is queued
      { op: 'ipi', cpu: 1 },
    ]);
    const ipi = perOp.at(-1) ?? [];
    expect(ipi.map((e) => (e.k === 'irq' ? `irq:${e.phase}:${e.from}` : e.k)).filter((k) => k.startsWith('irq') || k === 'ipi_handle')).toEqual(['irq:enter:kernel', 'ipi_handle', 'irq:exit:kernel']);
    expect(ofKind(ipi, 'serialize').at(-1)).toMatchObject({ how: 'iret' });
  });
});

describe('no-lazy-use-after-free C2.8: no interrupt inside an IRQs-off section', () => {
  const world = () => new TraceBuilder({
    cpus: [{ curr: 'T0' }, { curr: 'idle1' }],
    tasks: [{ task: 'T0', mm: 'mm1', tgid: 'P1' }, { task: 'idle0' }, { task: 'idle1' }],
    mms: [{ mm: 'mm1' }],
  });

  it('an IPI handled after local_irq_enable() is fine', () => {
    const b = world();
    b.push({ k: 'irqs', cpu: 1, fn: 'local_irq_disable', enabled: false });
    b.push({ k: 'irqs', cpu: 1, fn: 'local_irq_enable', enabled: true });
    b.push({ k: 'irq', cpu: 1, fn: 'sysvec_call_function', phase: 'enter', from: 'kernel' });
    b.ipiHandle(1, 7, 'ipi_mb', 0);
    b.push({ k: 'irq', cpu: 1, fn: 'sysvec_call_function', phase: 'exit', from: 'kernel' });
    expect(checkTrace(b.events, [noLazyUseAfterFree])).toEqual([]);
  });

  it('an IPI handled between local_irq_disable() and local_irq_enable() is reported', () => {
    const b = world();
    b.push({ k: 'irqs', cpu: 1, fn: 'local_irq_disable', enabled: false });
    const enter = b.push({ k: 'irq', cpu: 1, fn: 'sysvec_call_function', phase: 'enter', from: 'kernel' });
    const [v] = checkTrace(b.events, [noLazyUseAfterFree]);
    expect(v).toMatchObject({ clause: 'C2.8 interrupt inside an IRQs-off section', index: enter, cpus: [1] });
    // An engine that emits no irq events is judged at the handler.
    const c = world();
    c.push({ k: 'irqs', cpu: 1, fn: 'local_irq_disable', enabled: false });
    const handle = c.ipiHandle(1, 7, 'ipi_mb', 0);
    expect(checkTrace(c.events, [noLazyUseAfterFree])[0]).toMatchObject({ clause: 'C2.8 interrupt inside an IRQs-off section', index: handle });
  });
});
