// lazymm-generated sha256:7c0bb1a9dbde60f43b8abb2be8cd6a43cb7409483a06399ccc3d4f8ee5face1b (lazymm generate-suite rewrites this file while it is unedited; once you edit it, it is yours)
/**
 * no-lazy-use-after-free: No lazy (or any) use of a freed mm.
 * Reference: kernel-model.md C2.1-C2.7 (errata Part 1 E1, E4, E5, E7); kernel/fork.c __mmdrop()/cleanup_lazy_tlbs(), kernel/sched/core.c context_switch(); C2.9-C2.11: 38cf307c1f20, d53c3dfb23c4 (kernel/kthread.c kthread_use_mm(), fs/exec.c exec_mmap(), arch/x86/mm/tlb.c switch_mm_irqs_off()); C2.12: arch/x86/platform/efi/efi_64.c efi_enter_mm(), drivers/firmware/efi/runtime-wrappers.c efi_runtime_lock
 *
 * lazymm's arbitraries generate interleavings of the engine's enabled ops; lazymm's property checks
 * each trace. A failure is shrunk, recorded as a fixture (./fixtures) and shown with its timeline;
 * replay.test.ts replays recorded fixtures from then on. Edit the options below to tune the search
 * (once edited, lazymm generate-suite leaves this file alone).
 */
import { engine } from './engine';
import { checkProperty } from './harness';

describe('no-lazy-use-after-free on ' + engine.info.id, () => {
  it('holds on random interleavings', () => {
    checkProperty(engine, 'no-lazy-use-after-free', { /* runs: 1000, seed: 42, maxOps: 200 */ });
  });
});
