/**
 * The explorer section of the bench (`npm run bench -- --only-explorer` runs it alone; results.json
 * untouched). On a machine shared with other work, absolute states/s swing by 2-3x between runs,
 * so every figure comes with a baseline measured in the same run, next to it:
 * - the monitored step rate: the same engine's `apply` + every property monitored, over recorded
 *   random runs (what one explorer transition must at least do); `transitions per monitored step`
 *   is the explorer's cost in those units, comparable across loads;
 * - state merging on vs off (the plain tree of interleavings, `merge: false`) on the same search:
 *   the states it saves and the rate at which it explores.
 * - reductions off vs partial-order reduction vs symmetry reduction (./reductions.ts) on 2/2/2/1
 *   (docs/explore.md "Reductions");
 * - one worker vs two (./explorer-workers.ts), interleaved, with the cores the process got and the
 *   load average.
 */
import type { ModelConfig } from '../src/engine/contract';
import { createEngine } from '../src/engine/registry';
import type { EngineSpec } from '../src/run/types';
import type { InitEvent } from '../src/trace/events';
import { createTraceChecker } from '../properties';
import { DEFAULT_WEIGHTS } from '../arbitraries/weights';
import { startRun } from '../arbitraries/run';
import { explore } from '../src/explore/explore';
import { cloneJson } from '../src/explore/canonical';
import { compact } from '../src/explore/progress';
import { mulberry32 } from '../src/trace-io/generate-trace';
import { reductionBench, type ReductionBench } from './reductions';
import { ceilingStatesPerSecond, engineCeiling, type EngineCeiling } from './engine-ceiling';
import { reachSection } from './explorer-reach';
import { fixKnobsFor } from '../src/cli/findings';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { WorkersBench } from './explorer-workers';

export interface ExplorerBenchOptions {
  quick: boolean;
  log: (s: string) => void;
  progress: (s: string) => void;
}

/** Mainline x86 with the proposed fix of every open finding (src/findings.ts). */
const CORRECT: EngineSpec = { arch: 'x86', strategy: 'refcount', knobs: fixKnobsFor('x86') };
const configText = (c: ModelConfig) => `${c.cpus}/${c.procs}/${c.threads}/${c.kthreads}`;

/** engine.apply + every property monitored, steps/s, over `runs` recorded random runs of 120 ops (best of 3). */
function monitoredStepRate(config: ModelConfig, runs: number): number {
  const engine = createEngine(CORRECT);
  const rnd = mulberry32(15);
  const recorded = Array.from({ length: runs }, () => {
    const r = startRun(engine, config);
    for (let i = 0; i < 120; i++) if (r.choose(Math.floor(rnd() * 2 ** 31), DEFAULT_WEIGHTS) === undefined) break;
    return r.ops.slice();
  });
  const steps = recorded.reduce((n, ops) => n + ops.length, 0);
  let best = Infinity;
  for (let rep = 0; rep < 3; rep++) {
    const t0 = performance.now();
    for (const ops of recorded) {
      const { state, events } = engine.init(config);
      const s = cloneJson(state);
      const checker = createTraceChecker(events[0] as InitEvent);
      let i = 0;
      for (const ev of events) checker.observe(ev, i++);
      for (const op of ops) for (const ev of engine.apply(s, op)) checker.observe(ev, i++);
      checker.finish();
    }
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return steps / best;
}

/**
 * ./explorer-workers.ts in a child process (the worker threads are asynchronous; this section is
 * not, and the child's CPU time is the search's alone).
 */
function workersBenchInChild(quick: boolean): WorkersBench | null {
  const r = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin'), '--transpile-only', path.join(__dirname, 'explorer-workers.ts'), '--json', ...(quick ? ['--quick'] : [])], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) return null;
  return JSON.parse(r.stdout) as WorkersBench;
}

export function explorerSection(o: ExplorerBenchOptions): {
  monitoredStepsPerSecond: number;
  runs: { statesPerSecond: number }[];
  engineCeiling: EngineCeiling & { statesPerSecond: number };
  merge: unknown;
  reductions: ReductionBench;
  workers: unknown;
  reach: unknown;
} {
  const { log, quick } = o;
  const big: ModelConfig = { cpus: 2, procs: 2, threads: 2, kthreads: 1 };
  const small: ModelConfig = { cpus: 2, procs: 1, threads: 1, kthreads: 0 };
  o.progress('explorer bench: monitored step rate (baseline)...');
  const stepRate = monitoredStepRate(big, quick ? 100 : 300);
  log('');
  log(`Explorer (correct x86/refcount: ${Object.keys(CORRECT.knobs ?? {}).join(', ')}; every property):`);
  log(`  baseline, same run: engine.apply + every property monitored ${compact(stepRate)} steps/s (${configText(big)})`);
  const runs = [
    { config: big, depth: quick ? 5 : 6 },
    { config: small, depth: quick ? 8 : 10 },
  ].map(({ config, depth }) => {
    const r = explore({ engine: CORRECT, config, depth, onProgress: (p) => o.progress(`explorer: ${configText(config)} depth ${p.depth}/${depth}, ${compact(p.states)} states`) });
    const perStep = stepRate / r.transitionsPerSecond;
    log(`  ${configText(config)} depth ${depth}: ${r.result}, ${r.states} states, ${r.transitions} transitions, ${r.seconds.toFixed(1)} s: ${compact(r.statesPerSecond)} states/s, ${compact(r.transitionsPerSecond)} transitions/s = ${perStep.toFixed(1)} monitored steps per transition   (target >= 200k states/s: ${(r.statesPerSecond / 2e5).toFixed(3)}x)`);
    return { config, depth, result: r.result, states: r.states, transitions: r.transitions, seconds: r.seconds, statesPerSecond: r.statesPerSecond, transitionsPerSecond: r.transitionsPerSecond, monitoredStepsPerTransition: perStep };
  });
  // What the engine alone costs of those transitions (./engine-ceiling.ts): the explorer's ceiling.
  o.progress('explorer bench: the engine alone (ceiling)...');
  const c = engineCeiling(CORRECT, big, runs[0].depth);
  const ceiling = { ...c, statesPerSecond: ceilingStatesPerSecond(c, runs[0].states, runs[0].transitions) };
  log(
    `  the engine alone on ${configText(big)} depth ${runs[0].depth} (the same search with no validator, monitors or keys): ${c.applyMicros.toFixed(1)} us per transition (copy-on-write child + apply), ` +
      `${c.enabledMicros.toFixed(1)} us per state (enabled): at most ${compact(ceiling.statesPerSecond)} states/s with everything else free ` +
      `(${(ceiling.statesPerSecond / runs[0].statesPerSecond).toFixed(1)}x the explorer's; target 200k: ${(ceiling.statesPerSecond / 2e5).toFixed(2)}x)`,
  );
  // The plain tree grows as the branching factor to the depth: depth 7 took 949 s on a loaded machine.
  const depth = quick ? 5 : 6;
  const on = explore({ engine: CORRECT, config: small, depth });
  const off = explore({ engine: CORRECT, config: small, depth, merge: false });
  log(`  state merging on vs off (tree), ${configText(small)} depth ${depth}: ${on.states} vs ${off.states} nodes (${(off.states / on.states).toFixed(1)}x fewer), ${on.seconds.toFixed(1)} vs ${off.seconds.toFixed(1)} s (${(off.seconds / on.seconds).toFixed(1)}x faster); same verdict: ${on.result === off.result}`);
  const reductions = reductionBench(big, quick ? 5 : 6, o.progress);
  for (const line of reductions.lines) log(line);
  o.progress('explorer bench: one worker vs two...');
  const workers = workersBenchInChild(quick);
  for (const line of workers?.lines ?? ['  two workers vs one: the child process failed (bench/explorer-workers.ts)']) log(line);
  const reach = reachSection(o);
  return {
    reductions: reductions.bench,
    workers: workers === null ? null : { config: workers.config, depth: workers.depth, medianRatio: workers.medianRatio, sameStates: workers.sameStates, runs: workers.runs },
    reach,
    monitoredStepsPerSecond: stepRate,
    runs,
    engineCeiling: ceiling,
    merge: { config: small, depth, on: { states: on.states, seconds: on.seconds, result: on.result }, off: { states: off.states, seconds: off.seconds, result: off.result } },
  };
}
