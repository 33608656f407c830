/**
 * check-trace on traces lazymm's own engines emit: correct runs pass (exit 0, every property holds),
 * and every counterexample -- each fixture under fixtures/ whose expect is not "pass", and the ones
 * recorded in ./counterexamples (named buggy variants, and traces of engines lazymm cannot replay)
 * -- fails with the same property at the same event index, in JSON and in JSON Lines, with the
 * violation's timeline.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { replayOps } from '../../arbitraries';
import { checkTrace as checkEvents } from '../../properties';
import { createEngine, listEngines } from '../../src/engine';
import { isTraceFixture, listFixtureFiles, loadAnyFixture } from '../../src/fixtures';
import type { TraceEvent } from '../../src/trace/events';
import { checkTrace, checkTraceJson, tempDir, writeTrace, type Container } from './helpers';
import { randomRun } from './random-run';

const FIXES = { membarrierSwitchMmFix: true, syncCoreOnLazySameMmSwitch: true };
const fixesFor = (arch: string) => (arch === 'x86' ? FIXES : { membarrierSwitchMmFix: true });

let t: ReturnType<typeof tempDir>;
beforeAll(() => (t = tempDir('lazymm-verdicts-')));
afterAll(() => t.cleanup());


describe('check-trace passes correct runs of lazymm\'s engines', () => {
  // Counterfactual engines (x86 and arm64 with shootdown) are expected to fail: they are not correct configurations.
  const engines = listEngines().filter((e) => e.label !== 'counterfactual' || e.id === 'powerpc/refcount');
  it.each(engines.map((e) => [e.id, e]))('%s (with the open findings\' fixes)', async (_id, e) => {
    const engine = createEngine({ arch: e.arch, strategy: e.strategy, knobs: fixesFor(e.arch) });
    const files: string[] = [];
    for (const seed of [1, 2, 3]) {
      const events = randomRun(engine, { cpus: 3, procs: 2, threads: 2, kthreads: 1 }, 300, seed);
      expect(checkEvents(events)).toEqual([]); // the runs are clean to begin with
      files.push(writeTrace(t.dir, `${e.id.replace('/', '-')}-${seed}`, events, (['json', 'jsonl', 'array'] as Container[])[seed - 1]));
    }
    const { code, json } = await checkTraceJson(...files);
    expect(json.files.map((f) => f.problems)).toEqual([[], [], []]);
    expect(json.files.flatMap((f) => f.verdicts.filter((v) => v.verdict !== 'hold' && v.verdict !== 'not-applicable').map((v) => `${f.file}: ${v.property} ${v.verdict}`))).toEqual([]);
    expect(code).toBe(0);
  });

  it('prints one line per property and a summary', async () => {
    const engine = createEngine({ arch: 'x86', strategy: 'refcount', knobs: FIXES });
    const file = writeTrace(t.dir, 'x86-text', randomRun(engine, { cpus: 2, procs: 1, threads: 2, kthreads: 1 }, 200, 9), 'jsonl');
    const r = await checkTrace(file);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(JSON Lines, \\d+ events, x86/refcount\\):\\n  refcount-balance +hold\\n`));
    expect(r.out).toContain('\nchecked 1 trace: 5 hold, 0 violated, 0 insufficient\n');
  });
});

interface Case {
  name: string;
  events: TraceEvent[];
  property: string;
  eventIndex: number;
}

const ROOT = path.resolve(__dirname, '..', '..');
/** Where counterexamples live: lazymm's fixtures, and this test's recorded ones (variants, foreign traces). */
const FIXTURE_DIRS = [path.join(ROOT, 'fixtures'), path.join(__dirname, 'counterexamples')];

/** Every recorded counterexample (expect is not "pass"): ops replayed on their engine, traces as recorded. */
function counterexamples(): Case[] {
  return FIXTURE_DIRS.filter((d) => fs.existsSync(d)).flatMap((dir) =>
    listFixtureFiles(dir).flatMap((file) => {
      const f = loadAnyFixture(file);
      if (f.expect === 'pass') return [];
      const events = isTraceFixture(f) ? f.trace : replayOps(createEngine(f.engine), f.config, f.ops).events;
      return [{ name: path.relative(ROOT, file), events, property: f.expect.property, eventIndex: f.expect.eventIndex }];
    }),
  );
}

describe('check-trace fails every counterexample with the same property and event index', () => {
  const cases = counterexamples();

  it('covers every property', () => {
    expect(new Set(cases.map((c) => c.property))).toEqual(new Set(['refcount-balance', 'no-lazy-use-after-free', 'sync-core-before-usermode', 'membarrier-ordering', 'tlb-coherence']));
  });

  it.each(cases.map((c) => [c.name, c]))('%s', async (_name, c) => {
    // The property finds it in memory at that index (the case is consistent) ...
    expect(checkEvents(c.events).find((v) => v.property === c.property)?.index).toBe(c.eventIndex);
    for (const container of ['json', 'jsonl'] as Container[]) {
      // ... and check-trace, reading the file, at the same index.
      const file = writeTrace(t.dir, c.name.replace(/[^a-z0-9]+/gi, '-'), c.events, container);
      const { code, json } = await checkTraceJson(file);
      expect(json.files[0].problems).toEqual([]);
      const v = json.files[0].verdicts.find((x) => x.property === c.property)!;
      expect({ verdict: v.verdict, index: v.index }).toEqual({ verdict: 'violated', index: c.eventIndex });
      expect(v.timeline).toContain(`VIOLATION ${c.property} ${v.clause} at [${c.eventIndex}]`);
      expect(code).toBe(1);
    }
  });

  it('prints the timeline of a violation in the text report', async () => {
    const c = cases.find((x) => x.property === 'sync-core-before-usermode')!;
    const file = writeTrace(t.dir, 'text-report', c.events, 'jsonl');
    const r = await checkTrace('--property', 'sync-core-before-usermode', file);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`  sync-core-before-usermode  VIOLATED: `);
    expect(r.out).toContain(`== sync-core-before-usermode violated in ${file}`);
    expect(r.out).toMatch(/CPU0 +CPU1/);
    expect(r.out).toContain(`VIOLATION sync-core-before-usermode`);
    expect(r.out).toContain('checked 1 trace: 0 hold, 1 violated, 0 insufficient');
  });
});
