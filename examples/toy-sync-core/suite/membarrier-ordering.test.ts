// lazymm-generated sha256:95f4db83ba7a7b67849a042ccb67eb1308e13b0c18b64cb870f8e2ca90665953 (lazymm generate-suite rewrites this file while it is unedited; once you edit it, it is yours)
/**
 * membarrier-ordering: membarrier {PRIVATE,GLOBAL}_EXPEDITED memory ordering.
 * Reference: kernel-model.md C4, C4.1 (errata Part 3 A1-A3); kernel/sched/membarrier.c ordering scenarios A-E, membarrier_private_expedited(), membarrier_global_expedited(); kernel/sched/core.c context_switch() membarrier_switch_mm()
 *
 * lazymm's arbitraries generate interleavings of the engine's enabled ops; lazymm's property checks
 * each trace. A failure is shrunk, recorded as a fixture (./fixtures) and shown with its timeline;
 * replay.test.ts replays recorded fixtures from then on. Edit the options below to tune the search
 * (once edited, lazymm generate-suite leaves this file alone).
 */
import { engine } from './engine';
import { checkProperty } from './harness';

describe('membarrier-ordering on ' + engine.info.id, () => {
  it('holds on random interleavings', () => {
    checkProperty(engine, 'membarrier-ordering', { /* runs: 1000, seed: 42, maxOps: 200 */ });
  });
});
