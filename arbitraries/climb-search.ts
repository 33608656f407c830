/**
 * A corpus search that climbs chains of coverage (`lazymm check --search climb`): the coverage
 * search of ./coverage-search.ts (same features, ./coverage.ts; same fresh runs and havoc
 * mutations) with three changes, each measured in docs/search.md "Climbing chains":
 *
 * - **rarity schedule** (./feature-rarity.ts): entries are picked by the rarity of the features
 *   they found (sum of 1 / runs that reached each), not by how many they added;
 * - **cut at the feature** (./climb-genes.ts): each entry remembers the op whose events first
 *   reached each of its new features; half of the mutations keep the run up to that op (the feature
 *   drawn by rarity) and go on from there with random choices, or with a few random choices and
 *   then the rest of the recorded run;
 * - **argument mutation** (./climb-genes.ts): a havoc mutation that changes one field of one
 *   recorded op to a value the engine enables for that op kind at that point.
 *
 * Nothing here names an op kind, a path or a command: the only feedback is the coverage features a
 * run's trace reaches, the only values those the engine enables. Deterministic for a seed.
 */
import type { ModelConfig } from '../src/engine/contract';
import type { Op } from '../src/engine/ops';
import type { InitEvent } from '../src/trace/events';
import { drawModelConfig, resolveModelConfigConstraints } from './config';
import { InterleavingCoverage } from './coverage';
import { nudgeModelConfig, type CoverageSearchResult } from './coverage-search';
import { cutAfter, isArgGene, mutateArgument, opOfEvent, resolveArgGene, type ClimbGene } from './climb-genes';
import { FeatureRarity, type FoundFeature } from './feature-rarity';
import { cpuTranspositions, relabelOp } from './minimize-moves';
import { monitored, type MonitoredOutcome } from './monitored-run';
import type { SearchRunOptions } from './search-options';
import { mulberry32 as prng } from '../src/trace-io/generate-trace';

/** The knobs of the search (for ablations; never per scenario). */
export interface ClimbTuning {
  warmup: number;
  freshRate: number;
  /** Pick entries by feature rarity (else by (1 + features added) / (1 + picks), as `coverage`). */
  rarity: boolean;
  /** Share of mutations that cut at a feature (0: none). */
  cutRate: number;
  /** Whether the havoc mutations include argument mutation. */
  argMutation: boolean;
  /** Add the conjunction features (./coverage-conj.ts; docs/search.md "Conjunction features"). */
  conjunctions: boolean;
}

export const DEFAULT_CLIMB_TUNING: ClimbTuning = { warmup: 8, freshRate: 0.25, rarity: true, cutRate: 0.5, argMutation: true, conjunctions: false };

export interface ClimbSearchOptions<S> extends SearchRunOptions<S> {
  tuning?: Partial<ClimbTuning>;
  onRun?: (info: { run: number; features: number; corpus: number; fresh: boolean }) => void;
}

interface Entry {
  config: ModelConfig;
  profile: number;
  ops: Op[];
  found: FoundFeature[];
  picks: number;
}

interface Candidate {
  config: ModelConfig;
  profile: number;
  genes: ClimbGene[];
}

/** Run the climbing search; stops at the first counting failure. */
export function climbSearch<S>(o: ClimbSearchOptions<S>): CoverageSearchResult {
  const tuning = { ...DEFAULT_CLIMB_TUNING, ...(o.tuning ?? {}) };
  const rnd = prng(o.seed ^ 0xc11b);
  const int = (n: number) => Math.floor(rnd() * n);
  const bounds = resolveModelConfigConstraints(o.configConstraints);
  const rarity = new FeatureRarity();
  const seen = new Set<number>();
  const corpus: Entry[] = [];
  let opsExecuted = 0;

  const choice = (): number => Math.floor(rnd() * 0x7fffffff);
  const randomChoices = (n: number): number[] => Array.from({ length: Math.max(0, n) }, choice);
  const fresh = (): Candidate => ({ config: o.config ?? drawModelConfig(bounds, int), profile: int(o.profiles.length), genes: randomChoices(o.maxOps) });

  const pick = (): Entry => {
    const i = tuning.rarity ? rarity.drawEntry(rnd()) : FeatureRarity.draw(corpus, (e) => (1 + e.found.length) / (1 + e.picks), rnd());
    return corpus[Math.max(0, i)];
  };

  const mutate = (e: Entry): Candidate => {
    e.picks++;
    if (rnd() < tuning.cutRate && e.found.length > 0) {
      const f = e.found[FeatureRarity.draw(e.found, (x) => rarity.weight(x.feature), rnd())];
      const keepRest = rnd() < 0.5;
      const genes = cutAfter(e.ops, f.op, randomChoices(keepRest ? 1 + int(4) : o.maxOps), keepRest);
      return { config: e.config, profile: e.profile, genes: genes.slice(0, o.maxOps) };
    }
    const c: Candidate = { config: e.config, profile: e.profile, genes: [...e.ops] };
    const times = 1 + int(3);
    for (let m = 0; m < times; m++) havoc(c);
    if (rnd() < 0.5 && c.genes.length < o.maxOps) c.genes.push(...randomChoices(o.maxOps - c.genes.length));
    if (c.genes.length > o.maxOps) c.genes.length = o.maxOps;
    return c;
  };

  /** The coverage search's mutations (./coverage-search.ts), and argument mutation. */
  const havoc = (c: Candidate): void => {
    const g = c.genes;
    const at = () => int(g.length + 1);
    switch (int(tuning.argMutation ? 10 : 9)) {
      case 0:
        g.splice(at(), 0, ...randomChoices(1 + int(3)));
        break;
      case 1:
        g.splice(at(), 1 + int(4));
        break;
      case 2:
        if (g.length) g[int(g.length)] = choice();
        break;
      case 3: {
        if (g.length < 2) break;
        const i = int(g.length);
        const [x] = g.splice(i, 1);
        g.splice(Math.max(0, Math.min(g.length, i + (rnd() < 0.5 ? -1 : 1) * (1 + int(4)))), 0, x);
        break;
      }
      case 4: {
        if (c.config.cpus < 2) break;
        const perms = cpuTranspositions(c.config.cpus);
        const perm = perms[int(perms.length)];
        for (let i = at(); i < g.length; i++) {
          const x = g[i];
          if (typeof x === 'object' && !isArgGene(x)) g[i] = relabelOp(x, perm);
        }
        break;
      }
      case 5: {
        const other = corpus[int(corpus.length)];
        g.splice(at(), g.length, ...other.ops.slice(int(other.ops.length + 1)));
        break;
      }
      case 6:
        c.config = nudgeConfig(c.config);
        break;
      case 7:
        c.profile = int(o.profiles.length);
        break;
      case 9:
        mutateArgument(g, int);
        break;
      default:
        g.splice(at(), 0, choice());
        break;
    }
  };

  const nudgeConfig = (cfg: ModelConfig): ModelConfig => (o.config ? cfg : nudgeModelConfig(cfg, bounds, rnd));

  const execute = (c: Candidate): { out: MonitoredOutcome; opEnds: number[] } => {
    const weights = o.profiles[c.profile] ?? o.profiles[0];
    const opEnds: number[] = [];
    const out = monitored(o.engine, c.config, o.makeChecker, 'full', (run, stopped) => {
      for (const gene of c.genes) {
        if (stopped()) return;
        if (typeof gene === 'number') {
          if (run.choose(gene, weights) === undefined) return;
        } else if (isArgGene(gene)) {
          const op = resolveArgGene(run.enabled(), gene);
          if (op === undefined || !run.applyIfEnabled(op)) continue;
        } else if (!run.applyIfEnabled(gene)) continue;
        opEnds.push(run.events.length);
      }
    });
    return { out, opEnds };
  };

  /** Counts the run's features; returns the ones nobody reached before, with the op that reached each. */
  const learn = (c: Candidate, out: MonitoredOutcome, opEnds: readonly number[]): FoundFeature[] => {
    const found: FoundFeature[] = [];
    let index = 0;
    const cov = new InterleavingCoverage(out.events[0] as InitEvent, c.config, {
      conjunctions: tuning.conjunctions,
      onFeature: (f) => {
        if (seen.has(f)) return;
        seen.add(f);
        found.push({ feature: f, op: Math.min(out.ops.length - 1, opOfEvent(opEnds, index)) });
      },
    });
    for (index = 1; index < out.events.length; index++) cov.observe(out.events[index]);
    rarity.count(cov.features);
    return found;
  };

  for (let r = 1; r <= o.runs; r++) {
    const isFresh = corpus.length === 0 || r <= tuning.warmup || rnd() < tuning.freshRate;
    const cand = isFresh ? fresh() : mutate(pick());
    const { out, opEnds } = execute(cand);
    opsExecuted += out.ops.length;
    if (out.error !== null || (out.violation !== null && o.counts(cand.config, out))) {
      return { failure: { config: cand.config, profile: cand.profile, out, run: r }, runs: r, opsExecuted, features: seen.size, corpus: corpus.length };
    }
    const found = learn(cand, out, opEnds);
    if (found.length > 0) {
      corpus.push({ config: cand.config, profile: cand.profile, ops: out.ops, found, picks: 0 });
      rarity.addEntry(found);
    }
    o.onRun?.({ run: r, features: seen.size, corpus: corpus.length, fresh: isFresh });
  }
  return { failure: null, runs: o.runs, opsExecuted, features: seen.size, corpus: corpus.length };
}
