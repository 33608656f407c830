/**
 * A search that learns from what it exercised (`lazymm check --search coverage`): a corpus of runs
 * that reached new interleaving coverage (./coverage.ts), mutated and spliced as AFL and syzkaller
 * do, mixed with fresh random runs. Nothing here knows a scenario or a bug: the only feedback is
 * the set of coverage features a run's trace adds.
 *
 * A candidate run is a configuration, a weight profile and a list of *genes*: a recorded op (applied
 * when it is enabled at its turn, skipped otherwise) or a choice (the k-th enabled op by weight, as
 * in ./interleaving.ts). A fresh run is `maxOps` random choices on a random configuration. A corpus
 * entry keeps the ops its run applied, so mutating one op leaves the rest of the run in place
 * (rather than shifting every later choice). Mutations, 1-3 stacked per run: insert random choices,
 * delete a range, replace an op by a choice, regenerate the tail, move an op a few places (an event
 * of another CPU across a step), duplicate a segment, swap two CPUs from some point on, splice the
 * prefix of one entry with the suffix of another, change the configuration by one (a CPU, a process,
 * a thread, a kthread) or the weight profile; then, half of the time, random choices up to `maxOps`.
 * Entries are picked with weight (1 + new features) / (1 + times picked), a new conjunction
 * feature counting `conjWeight` (tuning).
 *
 * Deterministic for a seed (its own PRNG; no clock). The failing run goes through the same
 * minimisation as the fast-check search (./check-engine.ts).
 */
import type { ModelConfig } from '../src/engine/contract';
import type { Op } from '../src/engine/ops';
import { drawModelConfig, resolveModelConfigConstraints, type ModelConfigConstraints } from './config';
import { InterleavingCoverage } from './coverage';
import type { InitEvent } from '../src/trace/events';
import { cpuTranspositions, relabelOp } from './minimize-moves';
import { monitored, type MonitoredOutcome } from './monitored-run';
import type { SearchRunOptions } from './search-options';
import { mulberry32 as prng } from '../src/trace-io/generate-trace';
import { SWARM_MASKS, swarmWeights } from './swarm';

/** A recorded op (applied if enabled at its turn) or a choice among the enabled ops. */
export type Gene = number | Op;

/** The knobs of the search itself (not of any scenario). */
export interface CoverageSearchTuning {
  /** Fresh random runs before the corpus is used. */
  warmup: number;
  /** Share of fresh random runs afterwards. */
  freshRate: number;
  /**
   * Keep a corpus entry's ops only up to the op whose events reached its last new feature (AFL
   * trims its inputs too): mutating it then starts from where it found something, and the random
   * choices appended run from there rather than re-running what the rest of the run already did.
   */
  trim: boolean;
  /**
   * Add the conjunction features (./coverage-conj.ts) to the coverage. Off by default: no gain
   * measured (docs/search.md "Conjunction features").
   */
  conjunctions: boolean;
  /**
   * Weight of a new conjunction feature in an entry's pick weight, against 1 for any other new
   * feature: (1 + other + conjWeight x conjunction) / (1 + picks). 1: every feature alike.
   */
  conjWeight: number;
}

export const DEFAULT_COVERAGE_TUNING: CoverageSearchTuning = { warmup: 8, freshRate: 0.25, trim: false, conjunctions: false, conjWeight: 1 };

/** Options of {@link coverageSearch}. */
export interface CoverageSearchOptions<S> extends SearchRunOptions<S> {
  tuning?: Partial<CoverageSearchTuning>;
  /**
   * Swarm testing (./swarm.ts): every fresh run draws a swarm mask besides its profile, and the
   * profile mutation may draw another mask instead of another profile. Default false.
   */
  swarm?: boolean;
  /** Called after every run (the corpus size and coverage so far), for measurements. */
  onRun?: (info: { run: number; features: number; corpus: number; fresh: boolean }) => void;
}

/** The first failing run. */
export interface SearchFailure {
  config: ModelConfig;
  profile: number;
  /** The run's swarm mask seed (./swarm.ts; 0 or absent: none). */
  mask?: number;
  out: MonitoredOutcome;
  /** 1-based index of the run. */
  run: number;
}

export interface CoverageSearchResult {
  failure: SearchFailure | null;
  /** Runs made (up to and including the failing one). */
  runs: number;
  opsExecuted: number;
  /** Distinct coverage features reached. */
  features: number;
  corpus: number;
}

interface Entry {
  config: ModelConfig;
  profile: number;
  mask: number;
  ops: Op[];
  /** Pick weight before the picks: 1 + new features, conjunction ones counting `conjWeight`. */
  energy: number;
  picks: number;
}

interface Candidate {
  config: ModelConfig;
  profile: number;
  mask: number;
  genes: Gene[];
}


/** Run the coverage-guided search; stops at the first counting failure. */
/**
 * One configuration field (CPUs, processes, threads, kthreads; uniformly) one up or down (even
 * odds), unchanged when that leaves `bounds`: the corpus searches' "change the configuration by
 * one" mutation. Draws two numbers from `rnd`.
 */
export function nudgeModelConfig(cfg: ModelConfig, bounds: Required<ModelConfigConstraints>, rnd: () => number): ModelConfig {
  const fields = [
    ['cpus', bounds.minCpus, bounds.maxCpus],
    ['procs', bounds.minProcs, bounds.maxProcs],
    ['threads', bounds.minThreads, bounds.maxThreads],
    ['kthreads', bounds.minKthreads, bounds.maxKthreads],
  ] as const;
  const [name, lo, hi] = fields[Math.floor(rnd() * fields.length)];
  const v = cfg[name] + (rnd() < 0.5 ? -1 : 1);
  return v < lo || v > hi ? cfg : { ...cfg, [name]: v };
}

export function coverageSearch<S>(o: CoverageSearchOptions<S>): CoverageSearchResult {
  const tuning = { ...DEFAULT_COVERAGE_TUNING, ...(o.tuning ?? {}) };
  const rnd = prng(o.seed ^ 0x5eed);
  const int = (n: number) => Math.floor(rnd() * n);
  const bounds = resolveModelConfigConstraints(o.configConstraints);
  const seen = new Set<number>();
  const corpus: Entry[] = [];
  let opsExecuted = 0;

  const choice = (): number => Math.floor(rnd() * 0x7fffffff);
  const randomChoices = (n: number): number[] => Array.from({ length: n }, choice);
  const freshConfig = (): ModelConfig => o.config ?? drawModelConfig(bounds, int);
  const drawMask = (): number => (o.swarm ? 1 + int(SWARM_MASKS - 1) : 0);
  const fresh = (): Candidate => {
    const config = freshConfig();
    const profile = int(o.profiles.length);
    return { config, profile, mask: drawMask(), genes: randomChoices(o.maxOps) };
  };

  const pick = (): Entry => {
    let total = 0;
    for (const e of corpus) total += e.energy / (1 + e.picks);
    let r = rnd() * total;
    for (const e of corpus) {
      r -= e.energy / (1 + e.picks);
      if (r <= 0) return e;
    }
    return corpus[corpus.length - 1];
  };

  const mutate = (e: Entry): Candidate => {
    e.picks++;
    const c: Candidate = { config: e.config, profile: e.profile, mask: e.mask, genes: [...e.ops] };
    const times = 1 + int(3);
    for (let m = 0; m < times; m++) mutateOnce(c);
    if (rnd() < 0.5 && c.genes.length < o.maxOps) c.genes.push(...randomChoices(o.maxOps - c.genes.length));
    if (c.genes.length > o.maxOps) c.genes.length = o.maxOps;
    return c;
  };

  const mutateOnce = (c: Candidate): void => {
    const g = c.genes;
    const at = () => int(g.length + 1);
    switch (int(11)) {
      case 0: // insert 1-3 random choices
        g.splice(at(), 0, ...randomChoices(1 + int(3)));
        break;
      case 1: // delete a range of 1-4 ops
        g.splice(at(), 1 + int(4));
        break;
      case 2: // replace one op by a random choice
        if (g.length) g[int(g.length)] = choice();
        break;
      case 3: // regenerate the tail
        g.splice(at(), g.length, ...randomChoices(o.maxOps));
        break;
      case 4: { // move one op 1-4 places
        if (g.length < 2) break;
        const i = int(g.length);
        const [x] = g.splice(i, 1);
        const j = Math.max(0, Math.min(g.length, i + (rnd() < 0.5 ? -1 : 1) * (1 + int(4))));
        g.splice(j, 0, x);
        break;
      }
      case 5: { // duplicate a segment of 1-8 ops elsewhere
        if (!g.length) break;
        const i = int(g.length);
        const seg = g.slice(i, i + 1 + int(8));
        g.splice(at(), 0, ...seg);
        break;
      }
      case 6: { // swap two CPUs from some point on
        const cpus = c.config.cpus;
        if (cpus < 2) break;
        const perms = cpuTranspositions(cpus);
        const perm = perms[int(perms.length)];
        for (let i = at(); i < g.length; i++) {
          const x = g[i];
          if (typeof x !== 'number') g[i] = relabelOp(x, perm);
        }
        break;
      }
      case 7: { // splice: this prefix, another entry's suffix
        const other = corpus[int(corpus.length)];
        const i = at();
        const j = int(other.ops.length + 1);
        g.splice(i, g.length, ...other.ops.slice(j));
        break;
      }
      case 8: // change the configuration by one
        c.config = nudgeConfig(c.config);
        break;
      case 9: // another weight profile (swarm: or another mask)
        if (o.swarm && rnd() < 0.5) c.mask = drawMask();
        else c.profile = int(o.profiles.length);
        break;
      default: // insert one random choice (the commonest move: one more op in a window)
        g.splice(at(), 0, choice());
        break;
    }
  };

  const nudgeConfig = (cfg: ModelConfig): ModelConfig => (o.config ? cfg : nudgeModelConfig(cfg, bounds, rnd));

  /** The outcome, and the trace length after each op applied. */
  const execute = (c: Candidate): { out: MonitoredOutcome; opEnds: number[] } => {
    const weights = swarmWeights(o.profiles[c.profile] ?? o.profiles[0], c.mask);
    const opEnds: number[] = [];
    const out = monitored(o.engine, c.config, o.makeChecker, 'full', (run, stopped) => {
      for (const gene of c.genes) {
        if (stopped()) return;
        if (typeof gene === 'number') {
          if (run.choose(gene, weights) === undefined) return;
        } else if (!run.applyIfEnabled(gene)) continue;
        opEnds.push(run.events.length);
      }
    });
    return { out, opEnds };
  };

  /** Adds the run's features to `seen`; returns how many were new and the ops to keep (trimmed). */
  const learn = (c: Candidate, out: MonitoredOutcome, opEnds: readonly number[]): { added: number; energy: number; keep: number } => {
    let added = 0;
    let energy = 1;
    let lastNew = -1;
    let index = 0;
    const cov = new InterleavingCoverage(out.events[0] as InitEvent, c.config, {
      conjunctions: tuning.conjunctions,
      onFeature: (f, conjunction) => {
        if (seen.has(f)) return;
        seen.add(f);
        added++;
        energy += conjunction ? tuning.conjWeight : 1;
        lastNew = index;
      },
    });
    for (index = 1; index < out.events.length; index++) cov.observe(out.events[index]);
    if (!tuning.trim) return { added, energy, keep: out.ops.length };
    let keep = 0;
    while (keep < opEnds.length && opEnds[keep] <= lastNew) keep++;
    return { added, energy, keep: Math.min(out.ops.length, keep + 1) };
  };

  for (let r = 1; r <= o.runs; r++) {
    const isFresh = corpus.length === 0 || r <= tuning.warmup || rnd() < tuning.freshRate;
    const cand = isFresh ? fresh() : mutate(pick());
    const { out, opEnds } = execute(cand);
    opsExecuted += out.ops.length;
    if (out.error !== null || (out.violation !== null && o.counts(cand.config, out))) {
      return { failure: { config: cand.config, profile: cand.profile, mask: cand.mask, out, run: r }, runs: r, opsExecuted, features: seen.size, corpus: corpus.length };
    }
    const { added, energy, keep } = learn(cand, out, opEnds);
    if (added > 0) corpus.push({ config: cand.config, profile: cand.profile, mask: cand.mask, ops: out.ops.slice(0, keep), energy, picks: 0 });
    o.onRun?.({ run: r, features: seen.size, corpus: corpus.length, fresh: isFresh });
  }
  return { failure: null, runs: o.runs, opsExecuted, features: seen.size, corpus: corpus.length };
}
