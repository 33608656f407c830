/**
 * The arbitraries against the real engines (src/engine): determinism, replay, the engine contract
 * (no exception on an enabled op) and the coverage of a default campaign.
 */
import fc from 'fast-check';
import { createEngine, listEngines } from '../src/engine/registry';
import { OP_KINDS } from '../src/engine/ops';
import type { EngineSpec } from '../src/run/types';
import { checkEngine } from './check-engine';
import { modelConfigArbitrary } from './config';
import { interleavingArbitrary, replayOps, runChoices } from './interleaving';
import { REQUIRED_SCENARIO_CLASSES } from './scenarios';
import { deriveSeed } from './seed';
import { collectCampaignStatistics, formatCampaignStatistics } from './statistics';
import { alwaysHolds } from './test-helpers/toy-checker';

const REFCOUNT: EngineSpec = { arch: 'x86', strategy: 'refcount' };

const ALL: EngineSpec[] = listEngines().map((e) => ({ arch: e.arch, strategy: e.strategy }));

describe.each(ALL)('interleavings of $arch/$strategy', (spec) => {
  const engine = createEngine(spec);

  it('are deterministic and replay from their ops', () => {
    fc.assert(
      fc.property(modelConfigArbitrary(), interleavingArbitrary({ maxOps: 120 }), (config, choices) => {
        const run = runChoices(engine, config, choices);
        expect(runChoices(engine, config, choices)).toEqual(run);
        expect(replayOps(engine, config, JSON.parse(JSON.stringify(run.ops)))).toEqual(run);
      }),
      { numRuns: 60, seed: 1 },
    );
  });

  it('never make the engine throw on an enabled op (engine contract)', () => {
    const r = checkEngine({ engine, makeChecker: alwaysHolds, propertyIds: [], runs: 200 });
    expect(r.counterexample?.message).toBeUndefined();
    expect(r.result).toBe('pass');
  });
});

describe('a default campaign on x86/refcount (200 runs x 120 ops)', () => {
  const engine = createEngine(REFCOUNT);
  const stats = collectCampaignStatistics(engine, 200, 120, deriveSeed(engine.info.id));
  const summary = formatCampaignStatistics(stats);

  it('applies every op kind the engine enables', () => {
    const enabledButNotApplied = OP_KINDS.filter((k) => stats.stepsEnabled[k] > 0 && stats.opsApplied[k] === 0);
    expect({ enabledButNotApplied, summary }).toEqual({ enabledButNotApplied: [], summary });
    // The x86 engine can enable every kind; a kind it never enables is a coverage hole too.
    const neverEnabled = OP_KINDS.filter((k) => stats.stepsEnabled[k] === 0);
    expect({ neverEnabled, summary }).toEqual({ neverEnabled: [], summary });
  });

  it('reaches every required scenario class', () => {
    const unreached = REQUIRED_SCENARIO_CLASSES.filter((c) => stats.scenarioRuns[c] === 0);
    expect({ unreached, summary }).toEqual({ unreached: [], summary });
    expect(stats.runsWithEngineErrors).toBe(0);
  });
});
