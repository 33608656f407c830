import { OP_KINDS } from '../src/engine/ops';
import { SCENARIO_CLASS_IDS } from './scenarios';
import { collectCampaignStatistics, formatCampaignStatistics } from './statistics';
import { createToyEngine } from './test-helpers/toy-engine';

describe('collectCampaignStatistics (toy engine)', () => {
  const stats = collectCampaignStatistics(createToyEngine(), 100, 80, 1234);

  it('counts every op applied once', () => {
    const applied = Object.values(stats.opsApplied).reduce((a, b) => a + b, 0);
    expect(applied).toBe(stats.opsExecuted);
    expect(Object.keys(stats.opsApplied).sort()).toEqual([...OP_KINDS].sort());
    for (const k of ['schedule', 'step', 'syscall', 'return_to_user', 'exit', 'nmi'] as const) {
      expect(stats.opsApplied[k]).toBeGreaterThan(0);
      expect(stats.stepsEnabled[k]).toBeGreaterThanOrEqual(stats.opsApplied[k] > 0 ? 1 : 0);
    }
    expect(stats.opsApplied.membarrier).toBe(0);
  });

  it('recognises the scenario classes the toy engine can reach', () => {
    expect(Object.keys(stats.scenarioRuns).sort()).toEqual([...SCENARIO_CLASS_IDS].sort());
    expect(stats.scenarioRuns['lazy-switch-user-to-kthread']).toBeGreaterThan(0);
    expect(stats.scenarioRuns['lazy-return-same-mm']).toBeGreaterThan(0);
    expect(stats.scenarioRuns['exit-while-threads-run']).toBeGreaterThan(0);
    expect(stats.scenarioRuns['cpu-hotplug']).toBe(0);
    for (const c of SCENARIO_CLASS_IDS) expect(stats.scenarioHits[c]).toBeGreaterThanOrEqual(stats.scenarioRuns[c]);
  });

  it('is deterministic for a seed and formats a summary', () => {
    const again = collectCampaignStatistics(createToyEngine(), 100, 80, 1234);
    expect({ ...again, seconds: 0 }).toEqual({ ...stats, seconds: 0 });
    expect(formatCampaignStatistics(stats)).toMatch(/lazy-return-same-mm\s+\d+\s+\d+/);
  });
});
