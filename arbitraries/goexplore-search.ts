/**
 * Go-Explore (`lazymm check --search goexplore`): Ecoffet, Huizinga, Lehman, Stanley and Clune,
 * "Go-Explore: a New Approach for Hard-Exploration Problems" (2019) and "First return, then
 * explore" (Nature, 2021); the same idea as state-based fuzzing. Nothing here knows a scenario or a
 * bug: the only feedback is which abstract states (cells, ./goexplore-cell.ts) a run's trace went
 * through.
 *
 * The search keeps an archive (./goexplore-archive.ts) of every cell reached so far, each with the
 * shortest op prefix known to reach it. A run either
 * - *returns* to a cell chosen by weight (rarely visited, rarely chosen, or still leading to new
 *   cells: ./goexplore-archive.ts cellWeight) by replaying its prefix on its configuration (the
 *   engines are deterministic: the same ops give the same state and trace), then *explores* from
 *   there: 1..`maxExplore` random choices under a weight profile drawn for the run, archiving every
 *   new cell met on the way (with the prefix that reached it), or
 * - is a fresh random run (the first `warmup` runs, then a `freshRate` share): a new configuration
 *   and `maxOps` random choices, as a generated run, so configurations keep coming in.
 * A sparse sequence of events (a registration, then a call of the same command, then an event of
 * another CPU inside the call's window, then the IPI in kernel mode, ...) is then climbed one link
 * at a time: each link is a cell, archived as soon as one run reaches it, and returned to from then
 * on, rather than having to occur by chance in a single run.
 *
 * Budget: one run = one return plus one exploration, its ops counted in full (the replayed prefix
 * included); a run never has more than `maxOps` ops, the length of a generated run.
 *
 * Deterministic for a seed (its own PRNG; no clock). The failing run (its prefix and explored ops)
 * goes through the same minimisation as the other searches (./check-engine.ts turns its ops back
 * into choices for fast-check to shrink).
 */
import type { ModelConfig } from '../src/engine/contract';
import { mulberry32 as prng } from '../src/trace-io/generate-trace';
import { drawModelConfig, resolveModelConfigConstraints } from './config';
import { Archive } from './goexplore-archive';
import { CellTracker } from './goexplore-cell';
import { monitored } from './monitored-run';
import type { SearchFailure } from './coverage-search';
import type { SearchRunOptions } from './search-options';

/** The knobs of the search itself (not of any scenario). */
export interface GoExploreTuning {
  /** Fresh random runs before the archive is used. */
  warmup: number;
  /** Share of fresh random runs afterwards. */
  freshRate: number;
  /** Most ops explored after a return (drawn uniformly from 1..this, capped by `maxRunOps`). */
  maxExplore: number;
  /** Most ops of a run, prefix included (default: `maxOps`, a generated run's length). */
  maxRunOps?: number;
}

export const DEFAULT_GOEXPLORE_TUNING: GoExploreTuning = { warmup: 20, freshRate: 0.1, maxExplore: 40 };

/** Options of {@link goExploreSearch}. */
export interface GoExploreOptions<S> extends SearchRunOptions<S> {
  tuning?: Partial<GoExploreTuning>;
  /** Called after every run, for measurements. */
  onRun?: (info: { run: number; cells: number; buckets: number; returned: number; explored: number }) => void;
}

export interface GoExploreResult {
  failure: SearchFailure | null;
  /** Runs made (up to and including the failing one). */
  runs: number;
  opsExecuted: number;
  /** Of `opsExecuted`: ops replayed to return to a cell. */
  opsReturned: number;
  /** Cells in the archive. */
  cells: number;
  buckets: number;
}

/** Run the Go-Explore search; stops at the first counting failure. */
export function goExploreSearch<S>(o: GoExploreOptions<S>): GoExploreResult {
  const tuning = { ...DEFAULT_GOEXPLORE_TUNING, ...(o.tuning ?? {}) };
  const rnd = prng(o.seed ^ 0x90e7);
  const int = (n: number) => Math.floor(rnd() * n);
  const bounds = resolveModelConfigConstraints(o.configConstraints);
  const archive = new Archive();
  const maxRunOps = tuning.maxRunOps ?? o.maxOps;
  let opsExecuted = 0;
  let opsReturned = 0;

  for (let r = 1; r <= o.runs; r++) {
    const fresh = archive.size === 0 || r <= tuning.warmup || rnd() < tuning.freshRate;
    const cell = fresh ? null : archive.choose(rnd(), rnd());
    const config: ModelConfig = cell?.config ?? o.config ?? drawModelConfig(bounds, int);
    const profile = int(o.profiles.length);
    const weights = o.profiles[profile];
    const prefix = cell?.prefix ?? [];
    const explore = cell === null ? o.maxOps : Math.min(1 + int(tuning.maxExplore), maxRunOps - prefix.length);
    const choices = Array.from({ length: Math.max(0, explore) }, () => int(0x7fffffff));
    const visited = new Set<number>();
    const visitedBuckets = new Set<number>();
    let found = 0;
    let returned = 0;

    const out = monitored(o.engine, config, o.makeChecker, 'full', (run, stopped) => {
      const tracker = new CellTracker(run.init);
      let folded = 1;
      const fold = () => {
        for (; folded < run.events.length; folded++) tracker.observe(run.events[folded]);
      };
      fold();
      for (const op of prefix) {
        if (stopped() || !run.applyIfEnabled(op)) return;
        fold();
      }
      returned = run.ops.length;
      const arrive = () => {
        const id = tracker.cell(run.view);
        const bucket = tracker.bucket(run.view);
        visited.add(id);
        visitedBuckets.add(bucket);
        // A cell reached at the last op leaves nothing to explore from it: not archived.
        if (run.ops.length < maxRunOps && archive.offer(id, bucket, config, profile, run.ops)) found++;
      };
      if (prefix.length === 0) arrive();
      for (const choice of choices) {
        if (stopped() || run.ops.length >= maxRunOps || run.choose(choice, weights) === undefined) return;
        fold();
        arrive();
      }
    });
    opsExecuted += out.ops.length;
    opsReturned += returned;
    if (out.error !== null || (out.violation !== null && o.counts(config, out))) {
      return { failure: { config, profile, out, run: r }, runs: r, opsExecuted, opsReturned, cells: archive.size, buckets: archive.bucketCount };
    }
    for (const id of visited) {
      const c = archive.get(id);
      if (c !== undefined) c.seen++;
    }
    for (const id of visitedBuckets) {
      const b = archive.getBucket(id);
      if (b !== undefined) b.seen++;
    }
    if (cell !== null && found > 0) {
      cell.chosenSinceNew = 0;
      const b = archive.getBucket(cell.bucket);
      if (b !== undefined) b.chosenSinceNew = 0;
    }
    o.onRun?.({ run: r, cells: archive.size, buckets: archive.bucketCount, returned, explored: out.ops.length - returned });
  }
  return { failure: null, runs: o.runs, opsExecuted, opsReturned, cells: archive.size, buckets: archive.bucketCount };
}
