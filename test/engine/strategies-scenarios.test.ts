/**
 * kernel-model.md section 6, scenarios 9, 10, 11, 12 and 15, on the engines they name: the
 * strategies (shootdown, hazard pointers) and x86's INVLPGB, with the outcomes the reference gives.
 */
import type { Op } from '../../src/engine/ops';
import type { EngineSpec } from '../../src/run/types';
import { checkTrace } from '../../properties/index';
import { drain, drive, ofKind, steps } from './drive';

/** T1 (mm1) runs on CPU0; CPU1 ends up with a kthread or idle lazy on mm1. */
const oneThread = { cpus: 2, procs: 1, threads: 1, kthreads: 1 };
/** T1 moves from CPU0 to CPU1 and yields to K1 there: K1 is lazy on mm1; T1 is back on CPU0, in a syscall. */
const k1LazyOnCpu1 = [
  { op: 'syscall', cpu: 0 },
  { op: 'schedule', cpu: 0, next: 'idle0' }, drain(0),
  { op: 'schedule', cpu: 1, next: 'T1' }, drain(1),
  { op: 'schedule', cpu: 1, next: 'K1' }, drain(1),
  { op: 'schedule', cpu: 0, next: 'T1' }, drain(0),
] as const;
/** T1 exits on CPU0 and is the last user of mm1: exit_mm, mmput, __mmput starts exit_mmap. */
const t1ExitStart: Script = [{ op: 'exit', cpu: 0 }, { op: 'step', cpu: 0 }, { op: 'step', cpu: 0 }, { op: 'step', cpu: 0 }];

type Script = Parameters<typeof drive>[2];
const violations = (events: Parameters<typeof checkTrace>[0]) => checkTrace(events).map((v) => `${v.property} ${v.clause}`);

describe('scenario 9: shootdown basics (powerpc)', () => {
  const ppc: EngineSpec = { arch: 'powerpc', strategy: 'shootdown' };
  it('exit_flush_lazy_tlbs() switches the lazy kthread to init_mm before __mmdrop() frees mm1', () => {
    const ops: Script = [...k1LazyOnCpu1, ...t1ExitStart, { op: 'ipi', cpu: 1 }, drain(0)];
    const { state, events } = drive(ppc, oneThread, ops);
    expect(state.tasks.K1).toMatchObject({ mm: null, activeMm: 'init_mm' });
    expect(state.mms.mm1).toMatchObject({ users: 0, count: 0, freed: true });
    expect(state.mms.mm1.cpumask).toEqual([true, false]);
    expect(ofKind(events, 'ipi_handle', 1).map((e) => e.fn)).toEqual(['do_exit_flush_lazy_tlb']);
    // mm_count never counted the lazy users: only mm_users' reference existed.
    expect(ofKind(events, 'ref').filter((r) => r.mm === 'mm1' && r.token === 'lazy')).toEqual([]);
    expect(violations(events)).toEqual([]);
  });
});

describe('scenario 10: CPU hotplug while lazy under shootdown (powerpc)', () => {
  // T1 runs on CPU1 then exits there... keep it simple: K1 lazy on mm1 on CPU1 yields to idle1.
  const idleLazy: Script = [...k1LazyOnCpu1, { op: 'schedule', cpu: 1, next: 'idle1' }, drain(1)];
  const offline: Script = [{ op: 'cpu_down', cpu: 1 }, { op: 'step', cpu: 1 }];
  const finishCpu: Script = [drain(1)];
  const exitAll: Script = [...t1ExitStart, drain(0)];
  it('pre-21641bd9a7a7: cleanup_cpu_mmu_context() hides the lazy CPU and mm1 is freed under it', () => {
    const { events } = drive({ arch: 'powerpc', strategy: 'shootdown', knobs: { hotplugFix: false } }, oneThread, [...idleLazy, ...offline, ...exitAll]);
    const v = violations(events);
    expect(v[0]).toMatch(/^no-lazy-use-after-free C2\.(5|3)/);
  });
  it('with sched_force_init_mm() the CPU leaves mm1 before it leaves mm_cpumask', () => {
    const { state, events } = drive({ arch: 'powerpc', strategy: 'shootdown' }, oneThread, [...idleLazy, ...offline, ...finishCpu, ...exitAll]);
    expect(state.mms.mm1.freed).toBe(true);
    expect(state.tasks.idle1).toMatchObject({ activeMm: null });
    expect(violations(events)).toEqual([]);
  });
});

describe('scenario 11: exec_mmap() window under shootdown (H3)', () => {
  // K1 (lazy on mm1) execs; T1's exit sends the shootdown IPI into exec_mmap()'s window.
  const execWindow: Script = [
    ...k1LazyOnCpu1,
    { op: 'exec', cpu: 1 }, // mm_alloc(); membarrier_exec_mmap()
    { op: 'step', cpu: 1 }, // tsk->active_mm = mm2; tsk->mm = mm2 (IRQs on before activate_mm() without the knob)
    ...t1ExitStart,
  ];
  it('without ARCH_WANT_IRQS_OFF_ACTIVATE_MM the IPI finds active_mm already changed; mm1 is freed under the CPU', () => {
    const { events, state } = drive({ arch: 'powerpc', strategy: 'shootdown', knobs: { irqsOffActivateMm: false } }, oneThread, [...execWindow, { op: 'ipi', cpu: 1 }, drain(0)]);
    // Reported at the window itself (C2.9, the local_irq_enable() before activate_mm()); its
    // consequence: mm1 is freed while CPU1 still translates through it.
    expect(violations(events)[0]).toMatch(/^no-lazy-use-after-free C2\.9 IRQs on between an active_mm store and its switch_mm/);
    expect(state.mms.mm1.freed).toBe(true);
    expect(state.cpus[1].loadedMm).toBe('mm1');
  });
  it('with IRQs off over activate_mm() the IPI waits until the CPU has left mm1', () => {
    const ops: Script = [...execWindow, { op: 'step', cpu: 1 }, { op: 'ipi', cpu: 1 }, drain(0)];
    const { events, state } = drive({ arch: 'powerpc', strategy: 'shootdown' }, oneThread, ops);
    expect(state.mms.mm1.freed).toBe(true);
    expect(violations(events)).toEqual([]);
  });
});

describe('scenario 12: pre-6.16 EFI with shootdown (counterfactual) and with the hazard x86 optimization', () => {
  const efiWindow: Script = [...k1LazyOnCpu1, { op: 'efi_call', cpu: 1 }, ...t1ExitStart, { op: 'ipi', cpu: 1 }, drain(0), { op: 'step', cpu: 1 }];
  it('x86/shootdown: efi_enter_mm() hides the lazy mm from do_shoot_lazy_tlb(); efi_leave_mm() restores a freed mm', () => {
    const { events } = drive({ arch: 'x86', strategy: 'shootdown', knobs: { efiScheme: 'efi_enter_mm', unlazyMmIrqsOff: true } }, oneThread, efiWindow);
    expect(violations(events)).toContainEqual(expect.stringMatching(/^no-lazy-use-after-free C2\./));
  });
  it('x86/shootdown with the v6.16 temporary-mm EFI scheme keeps active_mm truthful: no use after free', () => {
    const { events } = drive({ arch: 'x86', strategy: 'shootdown', knobs: { unlazyMmIrqsOff: true } }, oneThread, efiWindow);
    expect(violations(events).filter((v) => v.startsWith('no-lazy-use-after-free'))).toEqual([]);
  });
  it('x86/hazard with mm_cpumask scanning and eager-clear: EFI removes the lazy CPU from mm_cpumask and the scan misses it', () => {
    // efi_enter_mm() switched CPU1 to efi_mm, and eager-clear took CPU1 out of mm_cpumask(mm1): the
    // exit_mmap() flush sends it nothing and mm_unlazy_mm_count() does not look at its rq.
    const ops: Script = [...k1LazyOnCpu1, { op: 'efi_call', cpu: 1 }, ...t1ExitStart, drain(0)];
    const spec: EngineSpec = { arch: 'x86', strategy: 'hazard', knobs: { efiScheme: 'efi_enter_mm', cpumaskPolicy: 'eager-clear' } };
    const { events, state } = drive(spec, oneThread, ops);
    expect(state.mms.mm1.freed).toBe(true);
    expect(state.cpus[1].lazyMmHp).toBe('mm1');
    expect(violations(events)).toContainEqual(expect.stringMatching(/^no-lazy-use-after-free C2\.7 hazard pointer to a freed mm/));
  });
});

describe('scenario 15: INVLPGB global ASIDs', () => {
  const idleLazy: Script = [...k1LazyOnCpu1, { op: 'schedule', cpu: 1, next: 'idle1' }, drain(1)];
  const exitAll: Script = [...t1ExitStart, drain(0)];
  it('exit_mmap() sends no IPI; the lazy CPU keeps mm1 loaded and refcounting keeps mm1 alive', () => {
    const { state, events } = drive({ arch: 'x86', strategy: 'refcount', knobs: { invlpgb: true } }, oneThread, [...idleLazy, ...exitAll]);
    expect(ofKind(events, 'ipi_send')).toEqual([]);
    expect(state.cpus[1]).toMatchObject({ loadedMm: 'mm1', isLazy: true });
    // Two lazy references: idle1 on CPU1, and the exiting T1 itself on CPU0 until it switches away.
    expect(state.mms.mm1).toMatchObject({ users: 0, count: 2, freed: false });
    expect(violations(events)).toEqual([]);
  });
  it('without the lazy reference (no-lazy-mmgrab) mm1 is freed while CPU1 still translates through it', () => {
    const { events } = drive({ variant: 'no-lazy-mmgrab', arch: 'x86', strategy: 'refcount', knobs: { invlpgb: true } }, oneThread, [...idleLazy, ...exitAll]);
    const v = checkTrace(events);
    expect(v.map((x) => x.clause)).toContainEqual(expect.stringMatching(/C2\.3 loaded_mm is a freed mm|C1\.1/));
  });
});
