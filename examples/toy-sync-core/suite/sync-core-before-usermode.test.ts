// lazymm-generated sha256:a7d4d371696456f98d20cab90852ca855ab952ad1b115615cd9f44738578dc3d (lazymm generate-suite rewrites this file while it is unedited; once you edit it, it is yours)
/**
 * sync-core-before-usermode: membarrier SYNC_CORE: core serialization before user mode (and after a text_poke batch).
 * Reference: kernel-model.md C3.1-C3.3 (errata Part 3 A5, A6); kernel/sched/membarrier.c ipi_sync_core(), include/linux/sched/mm.h membarrier_mm_sync_core_before_usermode(), Documentation/features/sched/membarrier-sync-core/arch-support.txt; C3.4: arch/x86/kernel/alternative.c smp_text_poke_sync_each_cpu()
 *
 * lazymm's arbitraries generate interleavings of the engine's enabled ops; lazymm's property checks
 * each trace. A failure is shrunk, recorded as a fixture (./fixtures) and shown with its timeline;
 * replay.test.ts replays recorded fixtures from then on. Edit the options below to tune the search
 * (once edited, lazymm generate-suite leaves this file alone).
 */
import { engine } from './engine';
import { checkProperty } from './harness';

describe('sync-core-before-usermode on ' + engine.info.id, () => {
  it('holds on random interleavings', () => {
    checkProperty(engine, 'sync-core-before-usermode', { /* runs: 1000, seed: 42, maxOps: 200 */ });
  });
});
