// lazymm-generated sha256:0fe9cf0c5d022efae170699f45afd5dbcf3a07e11f8b802d811982e5893ba1b3 (lazymm generate-suite rewrites this file while it is unedited; once you edit it, it is yours)
/**
 * tlb-coherence: TLB-state coherence and freshness.
 * Reference: kernel-model.md C6.1-C6.4 (errata Part 2 E2, E5, E6, E12); arch/x86/mm/tlb.c switch_mm_irqs_off(), enter_lazy_tlb(), flush_tlb_func(), native_flush_tlb_multi(); arch/powerpc/mm/book3s64/radix_tlb.c flush_type_needed(), exit_lazy_flush_tlb(); arm64 broadcast TLBI (no mm_cpumask)
 *
 * lazymm's arbitraries generate interleavings of the engine's enabled ops; lazymm's property checks
 * each trace. A failure is shrunk, recorded as a fixture (./fixtures) and shown with its timeline;
 * replay.test.ts replays recorded fixtures from then on. Edit the options below to tune the search
 * (once edited, lazymm generate-suite leaves this file alone).
 */
import { engine } from './engine';
import { checkProperty } from './harness';

describe('tlb-coherence on ' + engine.info.id, () => {
  it('holds on random interleavings', () => {
    checkProperty(engine, 'tlb-coherence', { /* runs: 1000, seed: 42, maxOps: 200 */ });
  });
});
