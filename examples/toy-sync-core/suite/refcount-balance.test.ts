// lazymm-generated sha256:032ea44a00a7f13ce7847658d7991a7103da857ed8af153106c038cdcb625bca (lazymm generate-suite rewrites this file while it is unedited; once you edit it, it is yours)
/**
 * refcount-balance: mm_count / mm_users balance and lifetime.
 * Reference: kernel-model.md C1.1-C1.4 (errata Part 1 E1-E3); include/linux/sched/mm.h mmgrab()/mmdrop()/mmgrab_lazy_tlb(), kernel/sched/core.c context_switch()/finish_task_switch(), kernel/fork.c __mmput()/__mmdrop()
 *
 * lazymm's arbitraries generate interleavings of the engine's enabled ops; lazymm's property checks
 * each trace. A failure is shrunk, recorded as a fixture (./fixtures) and shown with its timeline;
 * replay.test.ts replays recorded fixtures from then on. Edit the options below to tune the search
 * (once edited, lazymm generate-suite leaves this file alone).
 */
import { engine } from './engine';
import { checkProperty } from './harness';

describe('refcount-balance on ' + engine.info.id, () => {
  it('holds on random interleavings', () => {
    checkProperty(engine, 'refcount-balance', { /* runs: 1000, seed: 42, maxOps: 200 */ });
  });
});
