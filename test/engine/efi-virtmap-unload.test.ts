/**
 * arm64 efi_virtmap_unload(): "efi_set_pgd(current->active_mm)" reads active_mm when the call ends, not
 * the mm saved when it began (issue 12; found by tlb-coherence C6.1 on powerpc/arm64 rules). Under the
 * counterfactual arm64/shootdown design a shootdown IPI can move the lazy kthread to init_mm during the
 * EFI call; restoring the saved mm would then load a freed mm. That shootdown itself switches the MMU off
 * efi_mm in the middle of the EFI call, deciding from current->active_mm while the MMU runs efi_mm:
 * no-lazy-use-after-free C2.10 names that hazard of the counterfactual design (issue 12 item 2).
 */
import { checkTrace } from '../../properties';
import type { TraceEvent } from '../../src/trace/events';
import { drain, drive, ofKind, steps } from './drive';

const config = { cpus: 2, procs: 1, threads: 1, kthreads: 1 };
const spec = { arch: 'arm64' as const, strategy: 'shootdown' as const };

describe('arm64 efi_virtmap_unload() after a shootdown during the EFI call', () => {
  const script: Parameters<typeof drive>[2] = [
    { op: 'syscall', cpu: 0 },
    { op: 'exit', cpu: 0 },
    ...steps(0, 4), // exit_mm() ... __mmput(): exit_mmap() and its flush; preemptible before the final mmdrop()
    { op: 'schedule', cpu: 0, next: 'K1' }, // T1 is switched out; K1 is lazy on mm1
    drain(0),
    { op: 'efi_call', cpu: 0 }, // efi_virtmap_load(): TTBR0 = efi_mm
    { op: 'schedule', cpu: 1, next: 'T1' },
    drain(1), // T1 resumes on CPU1: mmdrop(mm1) -> __mmdrop() -> cleanup_lazy_tlbs() IPIs CPU0
    { op: 'ipi', cpu: 0 }, // do_shoot_lazy_tlb(): K1->active_mm = init_mm
    { op: 'step', cpu: 1 }, // free_mm(mm1)
    { op: 'step', cpu: 0 }, // efi_virtmap_unload()
  ];

  it('loads current->active_mm (init_mm, already loaded by the shootdown), not the mm the call began with; only C2.10 (the shootdown mid-EFI-call) is reported', () => {
    const { state, events } = drive(spec, config, script);
    expect(ofKind(events, 'load_mm', 0).filter((e) => e.fn === 'efi_virtmap_unload')).toEqual([]);
    expect(ofKind(events, 'load_mm', 0).filter((e) => e.fn === 'do_shoot_lazy_tlb').map((e) => e.mm)).toEqual(['init_mm']);
    expect(state.cpus[0].loadedMm).toBe('init_mm');
    expect(state.mms.mm1.freed).toBe(true);
    const ipi = events.findIndex((e) => e.k === 'ipi_handle' && e.fn === 'do_shoot_lazy_tlb');
    expect(checkTrace(events).map((v) => [v.property, v.clause, v.index])).toEqual([
      ['no-lazy-use-after-free', 'C2.10 active_mm-reading handler on a CPU whose active_mm and loaded mm disagree', ipi],
    ]);
  });

  it('restoring the saved (now freed) mm instead is caught (C6.1 on the broken trace)', () => {
    const { events } = drive(spec, config, script);
    const at = events.findIndex((e) => e.k === 'temp_mm' && e.fn === 'efi_virtmap_unload');
    const broken: TraceEvent[] = [...events.slice(0, at), { k: 'load_mm', cpu: 0, fn: 'efi_virtmap_unload', mm: 'mm1', cr3Write: false, flushed: false }, ...events.slice(at)];
    expect(checkTrace(broken).filter((v) => v.property === 'tlb-coherence').map((v) => v.clause)).toEqual(['C6.1 loaded mm is not the active mm']);
  });
});
