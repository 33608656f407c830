/**
 * The bug-hunting benchmark (`npm run bench`; not a test). In one run, on one machine:
 *
 * 1. Engine throughput on the same recorded ops (x86/refcount, DEFAULT_CONFIG, random runs of the
 *    campaign's weights): a no-op reducer over the ops (the ceiling), the engine alone
 *    (engine.apply), the engine with every property monitored (apply + createTraceChecker.observe),
 *    and the whole random-run loop (enabled + pick + apply + monitor, as a campaign runs it).
 * 2. For every variant (src/engine/variants.ts), over N seeds, lazymm's search (runCheck's wiring,
 *    as `lazymm check --variant` runs it: arbitraries/variant-check.ts, with the first failure
 *    timed through the differential criterion it asks) and the naive baseline
 *    (the same with UNIFORM_WEIGHTS: a uniform choice of enabled op kind, then of instance):
 *    caught (a counterexample of the property the variant must break), runs and seconds to the
 *    first failure, shrink time, shrunk length; and the exhaustive minimum (src/explore) on every
 *    configuration the variant's counterexamples shrank to, searched up to the shortest shrunk
 *    length there with a time budget (cached in bench/explore-cache.json by engine, property,
 *    configuration and a fingerprint of the code the explorer loads, ./code-fingerprint.ts).
 * 3. The explorer's states per second: the correct engine on 2 CPUs, 2 processes x 2 threads and
 *    1 kthread, and on the smallest configuration, with same-run baselines (./explorer.ts).
 *
 * 4. Engine mutants (./mutants.ts): today's generator and the uniform baseline (and any search
 *    registered in src/mutants/search.ts) on the same mechanically generated mutants: kill rate at
 *    100 / 1,000 / 10,000 runs, runs-to-kill, per operator, property and arch (bench/mutants-results.json).
 *
 * Prints a table and writes bench/results.json. Flags: --seeds N (10), --runs N (random runs per
 * seed, 4000), --explore-seconds S (per exhaustive minimum, 8; cached), --variant ID (repeatable),
 * --search NAME (the variant section's lazymm search, arbitraries/search.ts; default `weighted`, the
 * search of runCheck and the campaign and of results.json so far; `weighted2` is `lazymm check`'s; the
 * uniform baseline is unchanged), --no-cache, --quick (3 seeds, 1000 runs, 5 s explores). Mutant section: --mutant-sample K|all
 * (24), --mutant-sample-seed S (1), --mutant-seeds N (5), --mutant-budget N (10000),
 * --mutant-search NAME (repeatable; default DEFAULT_MUTANT_SEARCHES: generator, uniform, coverage, climb), --mutant-engine ARCH/STRATEGY and
 * --mutant-id TEXT (repeatable filters of the mutant instances, before sampling), --mutant-explore-seconds S
 * (5), --no-early-stop, --no-mutants, --only-mutants (that section alone; results.json untouched).
 * --only-explorer: the explorer section of ./explorer.ts alone, with its same-run baselines.
 * Progress goes to stderr on a terminal.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_CONFIG, type ModelConfig } from '../src/engine/contract';
import { createEngine } from '../src/engine/registry';
import type { Op } from '../src/engine/ops';
import { VARIANTS } from '../src/engine/variants';
import type { EngineSpec } from '../src/run/types';
import type { InitEvent } from '../src/trace/events';
import { createTraceChecker } from '../properties';
import type { RunCheckOptions } from '../arbitraries/check';
import { isExpectedBreak, variantCheckOptions } from '../arbitraries/variant-check';
import { DEFAULT_WEIGHTS, UNIFORM_WEIGHTS } from '../arbitraries/weights';
import { SEARCH_NAMES, isSearchName, type SearchName } from '../arbitraries/search';
import { runChoices } from '../arbitraries/interleaving';
import { runChoicesMonitored } from '../arbitraries/monitored-run';
import { explore, type ExploreResult } from '../src/explore/explore';
import { compact, progressLine, progressWanted } from '../src/explore/progress';
import { mutantSection, type MutantBenchOptions } from './mutants';
import { timedCheck } from './timed-check';
import { explorerSection } from './explorer';
import { codeFingerprint } from './code-fingerprint';

const ROOT = path.resolve(__dirname, '..');
const CACHE_FILE = path.join(__dirname, 'explore-cache.json');
const RESULTS_FILE = path.join(__dirname, 'results.json');

// ---------------------------------------------------------------------------------------------
// Flags

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i < 0 ? undefined : argv[i + 1];
};
const quick = argv.includes('--quick');
const SEEDS = Number(flag('seeds') ?? (quick ? 3 : 10));
const RUNS = Number(flag('runs') ?? (quick ? 1000 : 4000));
const EXPLORE_SECONDS = Number(flag('explore-seconds') ?? (quick ? 5 : 8));
const useCache = !argv.includes('--no-cache');
const onlyVariants = argv.flatMap((a, i) => (argv[i - 1] === '--variant' ? [a] : []));
/** The variant section's lazymm search (--search NAME; runCheck's default, `weighted`, when absent). */
const SEARCH: SearchName = searchFlag(flag('search') ?? 'weighted');
function searchFlag(s: string): SearchName {
  if (isSearchName(s)) return s;
  console.error(`bench: --search: expected one of ${SEARCH_NAMES.join(', ')}, got ${s}`);
  process.exit(2);
}
// 4. The engine mutants (./mutants.ts): --only-mutants runs that section alone, --no-mutants skips it.
const onlyMutants = argv.includes('--only-mutants');
const noMutants = argv.includes('--no-mutants');
// 3. --only-explorer runs the explorer section (./explorer.ts) alone, results.json untouched.
const onlyExplorer = argv.includes('--only-explorer');
const mutantSearches = argv.flatMap((a, i) => (argv[i - 1] === '--mutant-search' ? [a] : []));
const mutantEngines = argv.flatMap((a, i) => (argv[i - 1] === '--mutant-engine' ? [a] : []));
const mutantIds = argv.flatMap((a, i) => (argv[i - 1] === '--mutant-id' ? [a] : []));
const MUTANT_OPTIONS: MutantBenchOptions = {
  sample: flag('mutant-sample') === 'all' ? null : Number(flag('mutant-sample') ?? (quick ? 8 : 24)),
  sampleSeed: Number(flag('mutant-sample-seed') ?? 1),
  seeds: Number(flag('mutant-seeds') ?? (quick ? 3 : 5)),
  budget: Number(flag('mutant-budget') ?? (quick ? 1000 : 10000)),
  ...(mutantSearches.length ? { searches: mutantSearches } : {}),
  engines: mutantEngines,
  ids: mutantIds,
  exploreSeconds: Number(flag('mutant-explore-seconds') ?? 5),
  earlyStop: !argv.includes('--no-early-stop'),
};
const bar = progressLine((s) => void process.stderr.write(s), progressWanted(false));
const log = (s: string) => {
  bar.done();
  console.log(s);
};

/** Variants done, the rate and the time left, for the progress line. */
const benchProgress = {
  total: 0,
  done: -1,
  startedAt: 0,
  start(total: number) {
    Object.assign(this, { total, done: -1, startedAt: performance.now() });
  },
  next() {
    this.done++;
  },
  text(): string {
    if (this.done < 0) return '';
    const spent = seconds(this.startedAt);
    const left = this.done > 0 ? ` ~${((spent / this.done) * (this.total - this.done)).toFixed(0)} s left` : '';
    return ` (variant ${this.done + 1}/${this.total}, ${spent.toFixed(0)} s,${left || ' estimating'})`;
  },
};

const median = (xs: readonly number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const seconds = (t0: number) => (performance.now() - t0) / 1000;
const configText = (c: ModelConfig) => `${c.cpus}/${c.procs}/${c.threads}/${c.kthreads}`;

// ---------------------------------------------------------------------------------------------
// 1. Engine throughput

interface Throughput {
  engine: string;
  config: ModelConfig;
  runs: number;
  steps: number;
  noopReducerStepsPerSecond: number;
  engineStepsPerSecond: number;
  monitoredStepsPerSecond: number;
  randomRunStepsPerSecond: number;
  eventsPerStep: number;
}

function throughput(): Throughput {
  const spec: EngineSpec = { arch: 'x86', strategy: 'refcount' };
  const engine = createEngine(spec);
  const config = DEFAULT_CONFIG;
  // Record the ops of random runs (the campaign's default weights; 120 choices each).
  let seed = 12345;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  const runs: Op[][] = [];
  const choiceLists: number[][] = [];
  for (let r = 0; r < 400; r++) {
    const choices = Array.from({ length: 120 }, () => Math.floor(rnd() * 2 ** 31));
    choiceLists.push(choices);
    runs.push(runChoices(engine, config, choices, DEFAULT_WEIGHTS).ops);
  }
  const steps = runs.reduce((n, r) => n + r.length, 0);
  const best = (f: () => void, reps = 5): number => {
    f(); // warm up
    let min = Infinity;
    for (let i = 0; i < reps; i++) {
      const t = performance.now();
      f();
      min = Math.min(min, seconds(t));
    }
    return min;
  };
  let sink = 0;
  const noop = best(() => {
    for (const ops of runs) sink += ops.reduce((acc, op) => acc + op.cpu, 0);
  });
  let events = 0;
  const plain = best(() => {
    events = 0;
    for (const ops of runs) {
      const { state } = engine.init(config);
      for (const op of ops) events += engine.apply(state, op).length;
    }
  });
  const monitored = best(() => {
    for (const ops of runs) {
      const { state, events: boot } = engine.init(config);
      const checker = createTraceChecker(boot[0] as InitEvent);
      let i = boot.length;
      for (const op of ops) for (const ev of engine.apply(state, op)) checker.observe(ev, i++);
      checker.finish();
    }
  });
  const full = best(() => {
    for (const choices of choiceLists) runChoicesMonitored(engine, config, choices, DEFAULT_WEIGHTS, (init) => createTraceChecker(init));
  }, 3);
  if (sink === 0.5) console.log(''); // keep the reducer's work observable
  return {
    engine: engine.info.id,
    config,
    runs: runs.length,
    steps,
    noopReducerStepsPerSecond: steps / noop,
    engineStepsPerSecond: steps / plain,
    monitoredStepsPerSecond: steps / monitored,
    randomRunStepsPerSecond: steps / full,
    eventsPerStep: events / steps,
  };
}

// ---------------------------------------------------------------------------------------------
// 2. Variants: random search, baseline, exhaustive minimum

interface SeedResult {
  seed: number;
  caught: boolean;
  /** Runs and seconds to the first failure (no shrinking), or the whole budget. */
  runsToFailure: number;
  secondsToFailure: number;
  /** Shrinking (fast-check's, the op-level pass, the search-based pass and the restarts), seconds. */
  shrinkSeconds: number | null;
  /** The restarts' share of shrinkSeconds (arbitraries/restart-shrink.ts). */
  restartSeconds: number;
  /** Time to the first failure plus shrinking. */
  totalSeconds: number;
  shrunkLength: number | null;
  config: ModelConfig | null;
  property: string | null;
  clause: string | null;
  /** The exhaustive minimum on this counterexample's configuration (null: unknown). */
  exhaustiveMinimum: number | null;
  /** The explorer showed there is nothing shorter than this (when the minimum is unknown). */
  minimumAbove: number | null;
}

interface ModeResult {
  caught: number;
  seeds: number;
  medianRunsToFailure: number | null;
  medianSecondsToFailure: number | null;
  medianTotalSeconds: number | null;
  medianShrinkSeconds: number | null;
  /** The restarts' part of the shrinking (arbitraries/restart-shrink.ts). */
  medianRestartSeconds: number | null;
  /** Time to the first failure plus shrinking without the restarts. */
  medianTotalWithoutRestarts: number | null;
  medianShrunkLength: number | null;
  atMinimum: number;
  minimumKnown: number;
  results: SeedResult[];
}

interface MinimumRecord {
  key: string;
  engine: EngineSpec;
  config: ModelConfig;
  property: string;
  bound: number;
  result: ExploreResult['result'];
  minimum: number | null;
  depthReached: number;
  states: number;
  transitions: number;
  seconds: number;
  statesPerSecond: number;
  ops?: Op[];
  clause?: string;
  /**
   * The minimum on this configuration: the explorer's, or the shortest shrunk length L when the
   * explorer proved nothing of at most L - 1 ops fails (addMinimum).
   */
  provenMinimum?: number | null;
}

const FINGERPRINT = codeFingerprint();
const cache: Record<string, MinimumRecord> = useCache && fs.existsSync(CACHE_FILE) ? JSON.parse(fs.readFileSync(CACHE_FILE, 'utf8')) : {};

/** The exhaustive minimum of `property` on `config`, searching up to `bound` ops (cached). */
function exhaustiveMinimum(engine: EngineSpec, differentialBase: EngineSpec | null, config: ModelConfig, property: string, bound: number): MinimumRecord {
  const key = JSON.stringify({ engine, differentialBase, config, property, FINGERPRINT });
  const hit = cache[key];
  // A cached search to a larger bound (or one that found the minimum) answers a smaller bound too.
  if (hit && (hit.minimum !== null || hit.bound >= bound) && (hit.result !== 'truncated' || hit.seconds >= EXPLORE_SECONDS * 0.9)) return hit;
  const r = explore({
    engine, config, depth: bound, properties: [property], differentialBase, maxSeconds: EXPLORE_SECONDS,
    onProgress: (p) => bar.update(`  explore ${engine.variant ?? ''} ${configText(config)}: depth ${p.depth}/${bound}, ${compact(p.states)} states, ${p.seconds.toFixed(0)} s`),
  });
  const rec: MinimumRecord = {
    key, engine, config, property, bound, result: r.result,
    minimum: r.counterexample ? r.counterexample.ops.length : null,
    depthReached: r.depthReached, states: r.states, transitions: r.transitions, seconds: r.seconds, statesPerSecond: r.statesPerSecond,
    ...(r.counterexample ? { ops: r.counterexample.ops, clause: r.counterexample.violation.clause } : {}),
  };
  cache[key] = rec;
  fs.writeFileSync(CACHE_FILE, `${JSON.stringify(cache, null, 1)}\n`);
  return rec;
}

function runMode(id: string, weights: 'lazymm' | 'baseline'): { mode: ModeResult; opts: RunCheckOptions } {
  const v = VARIANTS.find((x) => x.id === id)!;
  const results: SeedResult[] = [];
  // The baseline stays the naive one whatever --search says: uniform weights, runs of 0..120 ops.
  let opts: RunCheckOptions = variantCheckOptions(id, { runs: RUNS });
  opts = weights === 'baseline' ? { ...opts, weights: UNIFORM_WEIGHTS } : { ...opts, search: SEARCH };
  for (let seed = 1; seed <= SEEDS; seed++) {
    bar.update(`${id} ${weights}: seed ${seed}/${SEEDS}${benchProgress.text()}`);
    const { result: b, runsToFailure, secondsToFailure, restartSeconds } = timedCheck({ ...opts, seed });
    const cx = b.counterexample;
    const caught = cx !== undefined && isExpectedBreak(v, cx.property, cx.clause);
    results.push({
      seed,
      caught,
      runsToFailure: runsToFailure ?? b.runs,
      secondsToFailure: secondsToFailure ?? b.seconds,
      shrinkSeconds: secondsToFailure === null ? null : Math.max(0, b.seconds - secondsToFailure),
      restartSeconds,
      totalSeconds: b.seconds,
      shrunkLength: cx ? cx.ops.length : null,
      config: cx ? cx.config : null,
      property: cx?.property ?? null,
      clause: cx?.clause ?? null,
      exhaustiveMinimum: null,
      minimumAbove: null,
    });
  }
  return { mode: summarize(results), opts };
}

function summarize(results: SeedResult[]): ModeResult {
  const c = results.filter((r) => r.caught);
  return {
    caught: c.length,
    seeds: results.length,
    medianRunsToFailure: median(c.map((r) => r.runsToFailure)),
    medianSecondsToFailure: median(c.map((r) => r.secondsToFailure)),
    medianTotalSeconds: median(c.map((r) => r.totalSeconds)),
    medianShrinkSeconds: median(c.map((r) => r.shrinkSeconds ?? 0)),
    medianRestartSeconds: median(c.map((r) => r.restartSeconds)),
    medianTotalWithoutRestarts: median(c.map((r) => r.totalSeconds - r.restartSeconds)),
    medianShrunkLength: median(c.map((r) => r.shrunkLength as number)),
    atMinimum: c.filter((r) => r.exhaustiveMinimum !== null && r.shrunkLength === r.exhaustiveMinimum).length,
    /** Caught seeds whose shrunk length could be compared with a known exhaustive minimum. */
    minimumKnown: c.filter((r) => r.exhaustiveMinimum !== null).length,
    results,
  };
}

/** The smallest configuration (fewest CPUs, then tasks) among the caught seeds' counterexamples. */
function smallestConfig(mode: ModeResult): ModelConfig | null {
  const size = (c: ModelConfig) => [c.cpus, c.procs * c.threads + c.kthreads, c.procs, c.kthreads];
  let best: { c: ModelConfig; len: number } | null = null;
  for (const r of mode.results) {
    if (!r.caught || !r.config) continue;
    if (best === null) best = { c: r.config, len: r.shrunkLength as number };
    else {
      const a = size(r.config);
      const b = size(best.c);
      const k = a.findIndex((x, i) => x !== b[i]);
      if (k >= 0 ? a[k] < b[k] : (r.shrunkLength as number) < best.len) best = { c: r.config, len: r.shrunkLength as number };
    }
  }
  return best?.c ?? null;
}

/**
 * The exhaustive minimum on every configuration the variant's counterexamples shrank to (the
 * smallest first; another machine can have a different, even shorter, minimum, so a seed is only
 * compared with the minimum of its own configuration). Each search goes up to the shortest shrunk
 * length L on its configuration (cached). The minimum is known when the explorer finds it, or when
 * it proved that nothing of at most L - 1 ops fails (depthReached >= L - 1): then L, which a seed
 * reached, is the minimum. Returns the records, the smallest configuration's first.
 */
function addMinimum(opts: RunCheckOptions, property: string, mode: ModeResult, smallest: ModelConfig | null): MinimumRecord[] {
  if (smallest === null) return [];
  const configs = [...new Set(mode.results.filter((r) => r.caught && r.config).map((r) => JSON.stringify(r.config)))];
  configs.sort((a, b) => (a === JSON.stringify(smallest) ? -1 : b === JSON.stringify(smallest) ? 1 : a.localeCompare(b)));
  return configs.map((text) => {
    const config = JSON.parse(text) as ModelConfig;
    const same = mode.results.filter((r) => r.caught && JSON.stringify(r.config) === text);
    const bound = Math.min(...same.map((r) => r.shrunkLength as number));
    const rec = exhaustiveMinimum(opts.engine, opts.differentialBase ?? null, config, property, bound);
    if (rec.minimum === null && rec.result === 'clean') {
      log(`  WARNING: ${opts.engine.variant} on ${configText(config)}: the explorer finds no counterexample up to ${bound} ops, but the random search shrank one to ${bound}`);
    }
    const minimum = rec.minimum ?? (rec.depthReached >= bound - 1 ? bound : null);
    for (const r of same) {
      if (minimum !== null) r.exhaustiveMinimum = minimum;
      else r.minimumAbove = rec.depthReached;
    }
    return { ...rec, provenMinimum: minimum };
  });
}

// 3. Explorer speed: ./explorer.ts

// ---------------------------------------------------------------------------------------------
// Main

function main(): void {
  if (onlyExplorer) {
    explorerSection({ quick, log, progress: (t) => bar.update(t) });
    bar.done();
    return;
  }
  if (onlyMutants) {
    mutantSection(MUTANT_OPTIONS, { log, progress: (t) => bar.update(t) });
    bar.done();
    return;
  }
  const t0 = performance.now();
  log(`lazymm bench: ${SEEDS} seeds, ${RUNS} runs per seed, search ${SEARCH}, ${EXPLORE_SECONDS} s per exhaustive search; node ${process.version}, ${require('node:os').cpus().length} CPUs`);

  bar.update('engine throughput...');
  const tp = throughput();
  log('');
  log(`Engine throughput (${tp.engine}, ${configText(tp.config)}, ${tp.runs} recorded random runs, ${tp.steps} steps, ${tp.eventsPerStep.toFixed(2)} events/step):`);
  log(`  no-op reducer over the same ops (ceiling)   ${compact(tp.noopReducerStepsPerSecond).padStart(8)} steps/s`);
  log(`  engine.apply, no monitoring                 ${compact(tp.engineStepsPerSecond).padStart(8)} steps/s`);
  log(`  engine.apply + every property monitored     ${compact(tp.monitoredStepsPerSecond).padStart(8)} steps/s   (target >= 1M)`);
  log(`  random run (enabled + pick + apply + monitor) ${compact(tp.randomRunStepsPerSecond).padStart(6)} steps/s`);

  const variants: Record<string, unknown>[] = [];
  const minima: MinimumRecord[] = [];
  log('');
  const head = `${'variant'.padEnd(40)} ${'search'.padEnd(8)} caught  med-runs  med-first-s  med-shrink-s  (restarts)  med-total-s  med-len       exh-min  =min`;
  log(head);
  log('-'.repeat(head.length));
  const ids = onlyVariants.length ? onlyVariants : VARIANTS.map((v) => v.id);
  benchProgress.start(ids.length);
  for (const id of ids) {
    benchProgress.next();
    const v = VARIANTS.find((x) => x.id === id);
    if (!v) throw new Error(`unknown variant ${id}`);
    const row: Record<string, unknown> = { id, base: `${v.base.arch}/${v.base.strategy}`, property: v.property };
    let config: ModelConfig | null = null;
    for (const w of ['lazymm', 'baseline'] as const) {
      const { mode, opts } = runMode(id, w);
      if (w === 'lazymm') config = smallestConfig(mode);
      const recs = addMinimum(opts, v.property, mode, config ?? smallestConfig(mode));
      const rec = recs[0] ?? null;
      if (rec && w === 'lazymm') {
        minima.push(...recs);
        row.exhaustiveMinimum = { ...rec, key: undefined };
        row.exhaustiveMinima = recs.map(({ key, ...m }) => m);
      }
      const m = summarize(mode.results);
      row[w] = m;
      if (w === 'lazymm') row.engine = opts.engine;
      const f = (x: number | null, d = 2) => (x === null ? '-' : x.toFixed(d));
      const min = rec === null ? '-' : rec.provenMinimum != null ? `${rec.provenMinimum}@${configText(rec.config)}` : `>${rec.depthReached}@${configText(rec.config)}`;
      log(
        `${(w === 'lazymm' ? id : '').padEnd(40)} ${w.padEnd(8)} ${`${m.caught}/${m.seeds}`.padStart(6)}  ${f(m.medianRunsToFailure, 0).padStart(8)}  ${f(m.medianSecondsToFailure).padStart(11)}  ${f(m.medianShrinkSeconds).padStart(12)}  ${f(m.medianRestartSeconds).padStart(10)}  ${f(m.medianTotalSeconds).padStart(11)}  ${f(m.medianShrunkLength, 0).padStart(7)}  ${min.padStart(12)}  ${m.minimumKnown ? `${m.atMinimum}/${m.minimumKnown}` : '-'}`,
      );
    }
    variants.push(row);
  }

  const explorerBench = explorerSection({ quick, log, progress: (t) => bar.update(t) });
  const speed = explorerBench.runs as { statesPerSecond: number }[];
  const exploreRates = minima.filter((m) => m.seconds > 1).map((m) => m.statesPerSecond);
  if (exploreRates.length) log(`  exhaustive-minimum searches: median ${compact(median(exploreRates) as number)} states/s over ${exploreRates.length} searches`);

  // Targets.
  const lazy = variants.map((r) => ({ id: r.id as string, m: r.lazymm as ModeResult }));
  const all10 = lazy.filter((x) => x.m.caught === x.m.seeds).length;
  const fast = lazy.filter((x) => x.m.caught === x.m.seeds && (x.m.medianTotalSeconds ?? Infinity) < 1).length;
  const fastWithoutRestarts = lazy.filter((x) => x.m.caught === x.m.seeds && (x.m.medianTotalWithoutRestarts ?? Infinity) < 1).length;
  const atMin = lazy.filter((x) => x.m.atMinimum >= Math.ceil(0.9 * x.m.seeds)).length;
  const minKnown = lazy.filter((x) => x.m.minimumKnown > 0).length;
  log('');
  log('Targets:');
  log(`  every variant caught in ${SEEDS}/${SEEDS} seeds: ${all10}/${lazy.length} variants${all10 < lazy.length ? ` (missed: ${lazy.filter((x) => x.m.caught < x.m.seeds).map((x) => `${x.id} ${x.m.caught}/${x.m.seeds}`).join(', ')})` : ''}`);
  log(`  median time to first failure, shrink included, < 1 s: ${fast}/${lazy.length} variants (${fastWithoutRestarts}/${lazy.length} without the restarts of arbitraries/restart-shrink.ts, which only shorten)`);
  log(`  shrunk length == exhaustive minimum in >= 9/10 seeds: ${atMin}/${lazy.length} variants (a minimum to compare with for ${minKnown}; =min is a/b: at the minimum / seeds whose configuration's minimum is known)`);
  log(`  >= 1,000,000 steps/s with every property monitored: ${compact(tp.monitoredStepsPerSecond)} (${(tp.monitoredStepsPerSecond / 1e6).toFixed(2)}x of the target)`);
  log(`  explorer >= 200,000 states/s: ${speed.map((s) => compact(s.statesPerSecond)).join(', ')} (${(Math.max(...speed.map((s) => s.statesPerSecond)) / 2e5).toFixed(3)}x of the target)`);
  const mutants = noMutants ? null : mutantSection(MUTANT_OPTIONS, { log, progress: (t) => bar.update(t) });
  const total = seconds(t0);
  log(`bench: ${total.toFixed(0)} s; results in ${path.relative(ROOT, RESULTS_FILE)}`);

  fs.writeFileSync(
    RESULTS_FILE,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        cpus: require('node:os').cpus().length,
        settings: { seeds: SEEDS, runs: RUNS, search: SEARCH, exploreSeconds: EXPLORE_SECONDS, fingerprint: FINGERPRINT },
        throughput: tp,
        variants,
        exhaustiveMinima: minima.map(({ key, ...m }) => m),
        explorer: explorerBench,
        mutants,
        targets: { caughtAllSeeds: all10, fastUnder1s: fast, atMinimum9of10: atMin, variants: lazy.length },
        seconds: total,
      },
      null,
      1,
    )}\n`,
  );
}

main();
