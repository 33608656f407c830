/**
 * text_poke() sends no IPI; only smp_text_poke_batch_finish() syncs every CPU (issue 12 item 5,
 * kernel-model.md 1.8): a lone poke must not serialize the other CPUs, or random exploration hides
 * missing serializations behind pokes that never sync in the kernel.
 */
import { drain, drive, ofKind } from './drive';

const config = { cpus: 3, procs: 1, threads: 2, kthreads: 1 };
const x86 = { arch: 'x86' as const, strategy: 'refcount' as const };
type Script = Parameters<typeof drive>[2];
/** K1 runs on CPU2 and pokes kernel text (CPU0 and CPU1 run T1 and T2 in user mode). */
const pokeFromCpu2 = (sync: boolean): Script => [
  { op: 'schedule', cpu: 2, next: 'K1' },
  drain(2),
  { op: 'text_poke', cpu: 2, sync },
  { op: 'step', cpu: 2 },
];

describe('text_poke() and the batch finish', () => {
  it('a lone text_poke() uses and unuses text_poke_mm, flushes locally and ends: no IPI, no remote serialization', () => {
    const { state, events, perOp } = drive(x86, config, pokeFromCpu2(false));
    expect(ofKind(events, 'ipi_send')).toEqual([]);
    expect(perOp.at(-1)?.some((e) => e.k === 'path' && e.fn === 'text_poke' && e.phase === 'end')).toBe(true);
    expect(ofKind(events, 'serialize').filter((e) => e.cpu !== 2)).toEqual([]);
    expect(state.cpus[2].tempMm).toBeNull();
  });

  it('the poke that ends a batch syncs every online CPU (smp_text_poke_sync_each_cpu())', () => {
    const { events } = drive(x86, config, [...pokeFromCpu2(true), { op: 'step', cpu: 2 }, { op: 'ipi', cpu: 0 }, { op: 'ipi', cpu: 1 }, { op: 'step', cpu: 2 }]);
    expect(ofKind(events, 'ipi_send').map((e) => [e.target, e.func])).toEqual([[0, 'do_sync_core'], [1, 'do_sync_core']]);
    expect(ofKind(events, 'serialize', 0).map((e) => e.fn)).toContain('do_sync_core');
    expect(ofKind(events, 'serialize', 1).map((e) => e.fn)).toContain('do_sync_core');
  });
});
