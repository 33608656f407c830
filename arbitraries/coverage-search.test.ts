import type { CheckResult } from '../src/run/types';
import { checkEngine } from './check-engine';
import { coverageSearch } from './coverage-search';
import { replayMonitored } from './monitored-run';
import { createToyEngine } from './test-helpers/toy-engine';
import { alwaysHolds, nmiInLazySwitch, oneSchedulerAtATime } from './test-helpers/toy-checker';
import { DEFAULT_WEIGHTS } from './weights';
import { parseSearch } from '../src/cli/commands/check';
import { UsageError } from '../src/cli/errors';

const engine = createToyEngine();
const withoutSeconds = (r: CheckResult) => ({ ...r, seconds: 0 });

describe('coverage-guided search', () => {
  it('keeps a run in the corpus only when it reached new coverage', () => {
    const seen: { features: number; corpus: number }[] = [];
    const r = coverageSearch({
      engine, makeChecker: alwaysHolds, runs: 60, seed: 3, maxOps: 40, profiles: [DEFAULT_WEIGHTS],
      counts: () => true, onRun: (i) => seen.push(i),
    });
    expect(r.failure).toBeNull();
    expect(seen).toHaveLength(60);
    let grew = 0;
    seen.forEach((s, i) => {
      const prev = i === 0 ? { features: 0, corpus: 0 } : seen[i - 1];
      expect(s.corpus - prev.corpus).toBe(s.features > prev.features ? 1 : 0);
      if (s.corpus > prev.corpus) grew++;
    });
    expect(grew).toBeGreaterThan(2);
    expect(grew).toBeLessThan(60); // later runs mostly repeat what the corpus has
  });

  it('with tuning.conjunctions reaches more features than without, and conjWeight changes only the picks', () => {
    const base = { engine, makeChecker: alwaysHolds, runs: 15, seed: 3, maxOps: 30, profiles: [DEFAULT_WEIGHTS], counts: () => true };
    const off = coverageSearch(base);
    const on = coverageSearch({ ...base, tuning: { conjunctions: true } });
    expect(on.features).toBeGreaterThan(off.features);
    expect(coverageSearch({ ...base, tuning: { conjWeight: 16 } })).toEqual(off); // no conjunction feature to weigh
  });

  it('is deterministic for a seed, and another seed gives other runs', () => {
    const opts = { engine, makeChecker: alwaysHolds, propertyIds: ['t'], runs: 25, search: 'coverage' as const, seed: 11 };
    expect(withoutSeconds(checkEngine(opts))).toEqual(withoutSeconds(checkEngine(opts)));
    expect(checkEngine({ ...opts, seed: 12 }).opsExecuted).not.toBe(checkEngine(opts).opsExecuted);
  });

  it('finds an injected window bug within a small budget and shrinks it to a replayable counterexample', () => {
    const r = checkEngine({ engine, makeChecker: nmiInLazySwitch, propertyIds: ['toy-window'], runs: 300, seed: 5, search: 'coverage' });
    expect(r.result).toBe('fail');
    const cx = r.counterexample!;
    expect(cx.path).toMatch(/^coverage:run=\d+(:\d+)*$/); // the run, then fast-check's shrink path
    expect(r.runs).toBeLessThanOrEqual(300);
    // The minimum: a switch to K1 on one CPU, its first step, an NMI on another (plus a syscall when both start in user mode).
    expect(cx.ops.length).toBeLessThanOrEqual(4);
    expect(cx.ops.map((op) => op.op)).toEqual(expect.arrayContaining(['schedule', 'step', 'nmi']));
    expect(cx.config.cpus).toBe(2);
    const replay = replayMonitored(engine, cx.config, cx.ops, nmiInLazySwitch);
    expect(replay.violation).toMatchObject({ property: 'toy-window', index: cx.eventIndex });
  });

  it('shrinks as the fast-check search does (same minimiser)', () => {
    const r = checkEngine({ engine, makeChecker: oneSchedulerAtATime, propertyIds: ['toy-one-scheduler'], search: 'coverage-nofocus', seed: 2 });
    const cx = r.counterexample!;
    expect(cx.ops.filter((op) => op.op === 'schedule')).toHaveLength(2);
    expect(cx.ops.length).toBeLessThanOrEqual(3);
    expect(cx.config).toMatchObject({ cpus: 2 });
  });

  it('is chosen by name on the command line (--search), anything else is bad input', () => {
    expect(parseSearch(undefined)).toBe('weighted2');
    expect(parseSearch('coverage')).toBe('coverage');
    expect(() => parseSearch('afl')).toThrow(UsageError);
    expect(() => parseSearch('afl')).toThrow(/--search: expected one of weighted, weighted2, weighted2-echo, uniform, coverage, coverage-nofocus, pct, swarm, coverage-swarm, climb, goexplore, got "afl"/);
  });
});
