import type { CheckResult } from '../src/run/types';
import { checkEngine } from './check-engine';
import { climbSearch } from './climb-search';
import { replayMonitored } from './monitored-run';
import { createToyEngine } from './test-helpers/toy-engine';
import { alwaysHolds, nmiInLazySwitch } from './test-helpers/toy-checker';
import { DEFAULT_WEIGHTS } from './weights';
import { parseSearch } from '../src/cli/commands/check';

const engine = createToyEngine();
const withoutSeconds = (r: CheckResult) => ({ ...r, seconds: 0 });

describe('climbing search', () => {
  it('keeps a run in the corpus only when it reached new coverage, with each ablation', () => {
    for (const tuning of [{}, { rarity: false }, { cutRate: 0 }, { argMutation: false }]) {
      const seen: { features: number; corpus: number }[] = [];
      const r = climbSearch({
        engine, makeChecker: alwaysHolds, runs: 30, seed: 3, maxOps: 30, profiles: [DEFAULT_WEIGHTS],
        counts: () => true, onRun: (i) => seen.push(i), tuning,
      });
      expect(r.failure).toBeNull();
      expect(seen).toHaveLength(30);
      seen.forEach((s, i) => {
        const prev = i === 0 ? { features: 0, corpus: 0 } : seen[i - 1];
        expect(s.corpus - prev.corpus).toBe(s.features > prev.features ? 1 : 0);
      });
      expect(r.corpus).toBeGreaterThan(2);
    }
  });

  it('is deterministic for a seed, and another seed gives other runs', () => {
    const opts = { engine, makeChecker: alwaysHolds, propertyIds: ['t'], runs: 15, search: 'climb' as const, seed: 11 };
    expect(withoutSeconds(checkEngine(opts))).toEqual(withoutSeconds(checkEngine(opts)));
    expect(checkEngine({ ...opts, seed: 12 }).opsExecuted).not.toBe(checkEngine(opts).opsExecuted);
  });

  it('finds an injected window bug and shrinks it to a replayable counterexample', () => {
    expect(parseSearch('climb')).toBe('climb');
    const r = checkEngine({ engine, makeChecker: nmiInLazySwitch, propertyIds: ['toy-window'], runs: 300, seed: 5, search: 'climb' });
    expect(r.result).toBe('fail');
    const cx = r.counterexample!;
    expect(cx.path).toMatch(/^climb:run=\d+(:\d+)*$/);
    expect(cx.ops.map((op) => op.op)).toEqual(expect.arrayContaining(['schedule', 'step', 'nmi']));
    const replay = replayMonitored(engine, cx.config, cx.ops, nmiInLazySwitch);
    expect(replay.violation).toMatchObject({ property: 'toy-window', index: cx.eventIndex });
  });
});
