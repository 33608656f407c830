/**
 * kernel-model.md section 6, scenario 13 (text_poke while lazy, the correct half and the mutant)
 * and scenario 16 (an NMI that reads current->active_mm during a kernel -> kernel switch).
 */
type Script = Parameters<typeof drive>[2];
import { drain, drive, ofKind, steps } from './drive';

const config = { cpus: 3, procs: 1, threads: 2, kthreads: 1 };
const x86 = { arch: 'x86' as const, strategy: 'refcount' as const };

/** T2 on CPU1 yields to kthread K1, which runs lazily on mm1; then K1 pokes kernel text. */
const lazyK1: Script = [{ op: 'syscall', cpu: 1 }, { op: 'schedule', cpu: 1, next: 'K1' }, drain(1)];
const poke: Script = [
  { op: 'text_poke', cpu: 1, sync: true }, // use_temporary_mm(text_poke_mm)
  { op: 'step', cpu: 1 }, // unuse_temporary_mm(); flush_tlb_mm_range(text_poke_mm)
  { op: 'step', cpu: 1 }, // smp_text_poke_sync_each_cpu(): sync_core here, IPIs elsewhere
  { op: 'ipi', cpu: 0 },
  { op: 'ipi', cpu: 2 },
  { op: 'step', cpu: 1 },
];

describe('scenario 13: text_poke() from a CPU that is lazy on mm1', () => {
  it('use_temporary_mm() leaves lazy mode first, so the CPU comes back on init_mm, not lazily on mm1', () => {
    const { state, events } = drive(x86, config, [...lazyK1, ...poke]);
    expect(state.tasks.K1).toMatchObject({ mm: null, activeMm: 'mm1' });
    expect(state.cpus[1]).toMatchObject({ loadedMm: 'init_mm', isLazy: false, tempMm: null });
    const temps = ofKind(events, 'temp_mm', 1);
    expect(temps[0]).toMatchObject({ mm: 'text_poke_mm', saved: 'init_mm' });
    expect(state.mms.text_poke_mm.cpumask[1]).toBe(false);
    // The sync reached every online CPU: CPU0 in user mode (IPI + IRET) and idle CPU2.
    expect(ofKind(events, 'ipi_handle').map((e) => [e.cpu, e.fn])).toEqual([[0, 'do_sync_core'], [2, 'do_sync_core']]);
  });

  it('without the leave_mm() (pre-abee7c494d8c) mm1 is reloaded non-lazily while K1 is still lazy', () => {
    const { state, events } = drive({ variant: 'text-poke-no-leave-mm', ...x86 }, config, [...lazyK1, ...poke]);
    expect(ofKind(events, 'temp_mm', 1)[0]).toMatchObject({ saved: 'mm1' });
    expect(state.cpus[1]).toMatchObject({ loadedMm: 'mm1', isLazy: false });
    expect(state.tasks.K1).toMatchObject({ mm: null, activeMm: 'mm1' });
  });
});

describe('scenario 16: NMI readers', () => {
  // CPU2 runs idle2 (lazy on init_mm); it switches to K1: kernel -> kernel moves active_mm.
  const kToK: Script = [{ op: 'schedule', cpu: 2, next: 'K1' }, { op: 'step', cpu: 2 }, { op: 'step', cpu: 2 }, { op: 'nmi', cpu: 2 }];
  it('an active_mm reader between S3 and switch_to() sees NULL (current is still the prev)', () => {
    const { events } = drive({ ...x86, knobs: { nmiReader: 'active-mm' } }, config, kToK);
    expect(ofKind(events, 'deref', 2)).toEqual([expect.objectContaining({ who: 'nmi', mm: null })]);
  });
  it('the v6.16 reader (nmi_uaccess_okay) never dereferences a kernel task\'s mm', () => {
    const { events } = drive(x86, config, kToK);
    expect(ofKind(events, 'deref', 2)).toEqual([]);
  });
  it('during a pre-6.16 EFI call an active_mm reader sees efi_mm', () => {
    const ops: Script = [{ op: 'syscall', cpu: 0 }, { op: 'efi_call', cpu: 0 }, { op: 'nmi', cpu: 0 }, { op: 'step', cpu: 0 }];
    const { events, state } = drive({ ...x86, knobs: { nmiReader: 'active-mm', efiScheme: 'efi_enter_mm' } }, config, ops);
    expect(ofKind(events, 'deref', 0)).toEqual([expect.objectContaining({ mm: 'efi_mm' })]);
    expect(state.tasks.T1).toMatchObject({ mm: 'mm1', activeMm: 'mm1' });
    expect(state.cpus[0].loadedMm).toBe('mm1');
  });
});
