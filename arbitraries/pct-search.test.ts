import type { Violation } from '../properties/property';
import type { TraceEvent } from '../src/trace/events';
import { checkEngine } from './check-engine';
import { actingCpu, drawSchedule, pctSearch } from './pct-search';
import { replayMonitored, type CheckerFactory } from './monitored-run';
import { createToyEngine } from './test-helpers/toy-engine';
import { nmiInLazySwitch } from './test-helpers/toy-checker';
import { mulberry32 } from '../src/trace-io/generate-trace';
import { DEFAULT_WEIGHTS } from './weights';

const engine = createToyEngine();

describe('PCT search', () => {
  it('draws distinct CPU priorities above the depth and sorted change points inside the run', () => {
    const rnd = mulberry32(4);
    for (let i = 0; i < 50; i++) {
      const s = drawSchedule(rnd, 3, 40, 3);
      expect([...s.priority].sort()).toEqual([s.depth, s.depth + 1, s.depth + 2]);
      expect(s.changePoints).toHaveLength(s.depth - 1);
      expect(s.depth - 1).toBeGreaterThanOrEqual(1);
      expect(s.depth - 1).toBeLessThanOrEqual(3);
      expect([...s.changePoints].sort((a, b) => a - b)).toEqual(s.changePoints);
      for (const c of s.changePoints) expect(c >= 0 && c < 40).toBe(true);
    }
  });

  it('lets the highest CPU that can change state act (an NMI alone is no progress)', () => {
    const ops = [{ op: 'nmi' as const, cpu: 2 }, { op: 'step' as const, cpu: 0 }, { op: 'syscall' as const, cpu: 1 }];
    expect(actingCpu(ops, [5, 4, 9])).toBe(0);
    expect(actingCpu(ops, [3, 4, 9])).toBe(1);
    expect(actingCpu([{ op: 'nmi', cpu: 0 }], [1])).toBeUndefined();
  });

  it('runs one CPU at a time between change points, deterministically for a seed', () => {
    /** Per run: the share of consecutive events on different CPUs. */
    const switchesPerRun: number[] = [];
    const eventsPerRun: number[] = [];
    const countSwitches: CheckerFactory = () => {
      let last: number | null = null;
      switchesPerRun.push(0);
      eventsPerRun.push(0);
      return {
        observe(ev: TraceEvent): Violation[] {
          eventsPerRun[eventsPerRun.length - 1]++;
          if (ev.cpu !== null && last !== null && ev.cpu !== last) switchesPerRun[switchesPerRun.length - 1]++;
          if (ev.cpu !== null) last = ev.cpu;
          return [];
        },
        finish: () => [],
      };
    };
    const run = (seed: number) => pctSearch({ engine, makeChecker: countSwitches, runs: 40, seed, maxOps: 30, profiles: [DEFAULT_WEIGHTS], counts: () => true });
    const a = run(8);
    expect(a.failure).toBeNull();
    const pct = switchesPerRun.splice(0);
    const pctEvents = eventsPerRun.splice(0);
    expect(run(8)).toEqual(a);
    expect(switchesPerRun.splice(0)).toEqual(pct);
    eventsPerRun.length = 0;
    run(9);
    expect(switchesPerRun.splice(0)).not.toEqual(pct);
    eventsPerRun.length = 0;
    // The weighted search interleaves the CPUs op by op; PCT in a few long stretches.
    checkEngine({ engine, makeChecker: countSwitches, propertyIds: ['t'], runs: 40, seed: 8, maxOps: 30 });
    const sum = (xs: number[]) => xs.reduce((x, y) => x + y, 0);
    const rate = { pct: sum(pct) / sum(pctEvents), weighted: sum(switchesPerRun) / sum(eventsPerRun) };
    expect(rate.pct).toBeLessThan(rate.weighted / 2);
  });

  it('finds an injected window bug and shrinks it like the other searches', () => {
    const r = checkEngine({ engine, makeChecker: nmiInLazySwitch, propertyIds: ['toy-window'], runs: 300, seed: 5, search: 'pct' });
    expect(r.result).toBe('fail');
    const cx = r.counterexample!;
    expect(cx.path).toMatch(/^pct:run=\d+(:\d+)*$/);
    expect(cx.ops.map((op) => op.op)).toEqual(expect.arrayContaining(['schedule', 'step', 'nmi']));
    expect(replayMonitored(engine, cx.config, cx.ops, nmiInLazySwitch).violation).toMatchObject({ property: 'toy-window' });
  });
});
