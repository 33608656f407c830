import type { Violation } from '../properties/property';
import type { TraceEvent } from '../src/trace/events';
import { Archive, cellWeight } from './goexplore-archive';
import { CellTracker } from './goexplore-cell';
import { goExploreSearch } from './goexplore-search';
import { checkEngine } from './check-engine';
import { replayMonitored, type CheckerFactory } from './monitored-run';
import { startRun } from './run';
import { createToyEngine } from './test-helpers/toy-engine';
import { alwaysHolds } from './test-helpers/toy-checker';
import { DEFAULT_WEIGHTS } from './weights';
import type { ModelConfig } from '../src/engine/contract';
import type { Op } from '../src/engine/ops';

const engine = createToyEngine();
const config: ModelConfig = { cpus: 4, procs: 1, threads: 4, kthreads: 0 };

/** A toy property that fails when `n` CPUs are inside __schedule() at once. */
const schedulersAtOnce = (n: number): CheckerFactory => () => {
  const inFlight = new Set<number>();
  return {
    observe(ev: TraceEvent, index: number): Violation[] {
      if (ev.k !== 'path' || ev.fn !== '__schedule' || ev.cpu === null) return [];
      if (ev.phase === 'end') inFlight.delete(ev.cpu);
      else inFlight.add(ev.cpu);
      if (inFlight.size < n) return [];
      return [{ property: 'toy-schedulers', clause: 'S1 all CPUs in __schedule', index, mm: null, cpus: [...inFlight], message: `${n} CPUs in __schedule`, events: [index] }];
    },
    finish: () => [],
  };
};

/** The cell and bucket after each of `ops` on `cfg`. */
function cellsOf(cfg: ModelConfig, ops: Op[]): { cell: number; bucket: number; text: string }[] {
  const run = startRun(engine, cfg);
  const tracker = new CellTracker(run.init);
  const out = [];
  let folded = 1;
  for (const op of ops) {
    run.applyRecorded(op, 0);
    for (; folded < run.events.length; folded++) tracker.observe(run.events[folded]);
    out.push({ cell: tracker.cell(run.view), bucket: tracker.bucket(run.view), text: tracker.describe(run.view) });
  }
  return out;
}

describe('Go-Explore cells', () => {
  const cfg: ModelConfig = { cpus: 2, procs: 1, threads: 2, kthreads: 0 };

  it('tell a CPU in a syscall, and in the middle of a context switch, from one in user mode', () => {
    const [sys, sched, step, done] = cellsOf(cfg, [{ op: 'syscall', cpu: 0 }, { op: 'schedule', cpu: 0, next: 'idle0' }, { op: 'step', cpu: 0 }, { op: 'step', cpu: 0 }]);
    const [user] = cellsOf(cfg, [{ op: 'syscall', cpu: 1 }]);
    expect(sys.text).toMatch(/^kernel syscall - user shared-mm \| user/);
    expect(sched.text).toMatch(/^kernel syscall __schedule/);
    expect(new Set([sys.cell, sched.cell, done.cell]).size).toBe(3);
    expect(done.text).toMatch(/^kernel - idle lazy shared-mm/);
    // The default grain leaves out the kind of the last event inside a path (FULL_GRAIN keeps it).
    expect(step.cell).toBe(sched.cell);
    expect(user.cell).not.toBe(sys.cell); // the cell keeps which CPU it is
    expect(user.bucket).toBe(sys.bucket); // the bucket does not
  });

  it('are the same for the same ops (no task or mm name, no history beyond the state)', () => {
    const ops: Op[] = [{ op: 'syscall', cpu: 0 }, { op: 'return_to_user', cpu: 0, via: 'sysret' }];
    expect(cellsOf(cfg, ops)).toEqual(cellsOf(cfg, ops));
    const [, back] = cellsOf(cfg, ops);
    const start = startRun(engine, cfg);
    expect(back.cell).toBe(new CellTracker(start.init).cell(start.view));
  });
});

describe('Go-Explore archive', () => {
  const op: Op = { op: 'syscall', cpu: 0 };

  it('keeps the shortest prefix known to reach a cell', () => {
    const a = new Archive();
    expect(a.offer(7, 1, config, 0, [op, op, op])).toBe(true);
    expect(a.offer(7, 1, config, 1, [op, op, op, op])).toBe(false);
    expect(a.get(7)!.prefix).toHaveLength(3);
    expect(a.offer(7, 1, config, 1, [op])).toBe(false);
    expect(a.get(7)).toMatchObject({ prefix: [op], profile: 1 });
    expect(a.size).toBe(1);
  });

  it('chooses a bucket, then a cell, each favouring the rarely chosen and rarely seen', () => {
    const a = new Archive();
    a.offer(1, 10, config, 0, []);
    a.offer(2, 10, config, 0, []);
    a.offer(3, 20, config, 0, []);
    // Bucket 10 holds two cells, bucket 20 one: bucket 20's cell is drawn as often as both others together.
    const counts = new Map<number, number>();
    for (let i = 0; i < 300; i++) {
      const c = a.choose((i * 0.618) % 1, (i * 0.414) % 1);
      counts.set(c.id, (counts.get(c.id) ?? 0) + 1);
    }
    expect(counts.get(3)! / 300).toBeGreaterThan(0.4);
    expect(counts.get(3)! / 300).toBeLessThan(0.6);
    a.get(1)!.seen = 1000;
    expect(cellWeight(a.get(1)!)).toBeLessThan(cellWeight(a.get(2)!));
  });
});

describe('Go-Explore search', () => {
  it('returns to archived cells: a returning run starts with the cell\'s prefix and stays within maxOps', () => {
    const infos: { returned: number; explored: number; cells: number }[] = [];
    const r = goExploreSearch({ engine, makeChecker: alwaysHolds, runs: 80, seed: 2, maxOps: 30, profiles: [DEFAULT_WEIGHTS], counts: () => true, onRun: (i) => infos.push(i) });
    expect(r.failure).toBeNull();
    expect(infos.slice(0, 20).every((i) => i.returned === 0 && i.explored > 0)).toBe(true); // warmup: fresh runs
    expect(infos.filter((i) => i.returned > 0).length).toBeGreaterThan(30);
    expect(infos.every((i) => i.returned + i.explored <= 30)).toBe(true);
    expect(r.opsReturned).toBe(infos.reduce((s, i) => s + i.returned, 0));
    expect(r.cells).toBe(infos[infos.length - 1].cells);
    // maxRunOps lets a returning run go past maxOps (a measurement knob).
    const longer: number[] = [];
    goExploreSearch({ engine, makeChecker: alwaysHolds, runs: 80, seed: 2, maxOps: 30, profiles: [DEFAULT_WEIGHTS], counts: () => true, tuning: { maxRunOps: 50 }, onRun: (i) => longer.push(i.returned + i.explored) });
    expect(Math.max(...longer)).toBeGreaterThan(30);
    expect(Math.max(...longer)).toBeLessThanOrEqual(50);
  });

  it('is deterministic for a seed, and another seed gives other runs', () => {
    const opts = { engine, makeChecker: alwaysHolds, propertyIds: ['t'], runs: 40, search: 'goexplore' as const, seed: 11 };
    const a = checkEngine(opts);
    expect({ ...checkEngine(opts), seconds: 0 }).toEqual({ ...a, seconds: 0 });
    expect(checkEngine({ ...opts, seed: 12 }).opsExecuted).not.toBe(a.opsExecuted);
  });

  it('climbs to a state a run rarely reaches in one go (all four CPUs inside __schedule) and shrinks it', () => {
    // 16-op runs on 4 CPUs: the weighted search needs 300 / 755 / 75 runs (seeds 1-3), coverage 1194 / 181 / 844.
    const check = (seed: number, search: 'goexplore' | 'weighted') =>
      checkEngine({ engine, makeChecker: schedulersAtOnce(4), propertyIds: ['toy-schedulers'], runs: 150, seed, search, config, maxOps: 16 });
    expect(check(1, 'weighted').result).toBe('pass');
    for (const seed of [1, 2, 3]) {
      const r = check(seed, 'goexplore');
      expect(r.result).toBe('fail');
      const cx = r.counterexample!;
      expect(cx.path).toMatch(/^goexplore:run=\d+:\d+(:\d+)*$/); // fast-check shrank it: the choices replayed it
      expect(cx.ops.filter((o) => o.op === 'schedule')).toHaveLength(4);
      expect(replayMonitored(engine, cx.config, cx.ops, schedulersAtOnce(4)).violation).toMatchObject({ property: 'toy-schedulers' });
    }
  });
});
