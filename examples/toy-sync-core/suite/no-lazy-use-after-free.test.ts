// lazymm-generated sha256:5d87f59473f0733ee4109365b6e1739fb368609f6c9d545984694108b2db69f0 (lazymm generate-suite rewrites this file while it is unedited; once you edit it, it is yours)
/**
 * no-lazy-use-after-free: No lazy (or any) use of a freed mm.
 * Reference: kernel-model.md C2.1-C2.7 (errata Part 1 E1, E4, E5, E7); kernel/fork.c __mmdrop()/cleanup_lazy_tlbs(), kernel/sched/core.c context_switch()
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
