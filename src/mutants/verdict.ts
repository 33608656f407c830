/**
 * The verdict on one mutant instance, differential as variant checks are (arbitraries/check.ts
 * differentialCriterion): a run kills the mutant when the mutant engine violates a property P and
 * the unmutated engine of the same spec, replaying the same ops (aligned modulo path lengths: a
 * split step adds ops the base does not have), does not violate P. Methods in order: each search
 * with the run budget, then the bounded explorer (src/explore) on a small configuration. A mutant
 * none of them kills is "not killed -- possibly equivalent", with the bound each method reached.
 */
import { DEFAULT_CONFIG, type ModelConfig } from '../engine/contract';
import type { InitEvent } from '../trace/events';
import { allProperties, createTraceChecker } from '../../properties';
import { differentialCriterion } from '../../arbitraries/check';
import { explore } from '../explore/explore';
import { divergingRuns } from './divergence';
import { mutantFactory, type MutantInstance } from './instances';
import type { Search, SearchHit, SearchTarget } from './search';

/** The judged target of an instance: its mutant engine, every property that applies, the differential base. */
export function searchTarget(inst: MutantInstance): SearchTarget {
  const factory = mutantFactory(inst.site);
  const engine = factory.createEngine(inst.engine);
  const init = engine.init(DEFAULT_CONFIG).events[0] as InitEvent;
  const properties = allProperties.filter((p) => p.appliesTo(init));
  const criterion = differentialCriterion(inst.engine, true);
  return {
    engine,
    spec: inst.engine,
    createEngine: (spec) => factory.createEngine(spec),
    properties: properties.map((p) => p.id),
    makeChecker: (runInit) => createTraceChecker(runInit, properties),
    judge(config, out) {
      if (out.error) return 'error';
      if (!out.violation) return null;
      return criterion(config, out.ops, out.violation) ? 'kill' : null;
    },
  };
}

/** The configuration and bound of the explorer fallback. */
export interface ExploreBound {
  config: ModelConfig;
  depth: number;
  maxSeconds: number;
}
export const DEFAULT_EXPLORE: ExploreBound = { config: { cpus: 2, procs: 1, threads: 2, kthreads: 1 }, depth: 14, maxSeconds: 5 };

export interface MutantVerdict {
  id: string;
  site: string;
  operator: string;
  engine: string;
  description: string;
  status: 'killed' | 'not-killed' | 'crashed';
  /** The method that killed (a search's name or `explorer`), null when none did. */
  killedBy: string | null;
  /** Runs of the killing search (null for the explorer or when not killed). */
  runs: number | null;
  property: string | null;
  clause: string | null;
  /** Ops of the killing run (or the explorer's counterexample). */
  ops: number | null;
  message: string | null;
  /** What was tried: each search's runs and the explorer's bound. */
  tried: { search: string; runs: number; seed: number }[];
  explorer: { config: ModelConfig; depthReached: number; result: string; states: number; seconds: number } | null;
  /** For a mutant not killed: of DIVERGENCE_RUNS generated runs, how many gave a trace other than the base's. */
  diverged: number | null;
  seconds: number;
}

/** Runs of the behaviour-change check of a mutant not killed (./divergence.ts). */
export const DIVERGENCE_RUNS = 100;

export interface JudgeOptions {
  searches: readonly Search[];
  seed: number;
  budget: number;
  /** null: no explorer fallback. */
  explore: ExploreBound | null;
  onProgress?: (text: string) => void;
  /** Check whether a mutant not killed changes behaviour at all (default true). */
  divergence?: boolean;
}

function hitFields(hit: SearchHit) {
  const v = hit.outcome.violation;
  return {
    property: hit.kind === 'error' ? 'engine-contract' : (v?.property ?? null),
    clause: hit.kind === 'error' ? 'apply() threw' : (v?.clause ?? null),
    ops: hit.outcome.ops.length,
    message: hit.kind === 'error' ? (hit.outcome.error?.message ?? null) : (v?.message ?? null),
  };
}

export function judgeInstance(inst: MutantInstance, opts: JudgeOptions): MutantVerdict {
  const t0 = performance.now();
  const target = searchTarget(inst);
  const verdict: MutantVerdict = {
    id: inst.id, site: inst.site.id, operator: inst.site.operator, engine: target.engine.info.id, description: inst.site.description,
    status: 'not-killed', killedBy: null, runs: null, property: null, clause: null, ops: null, message: null, tried: [], explorer: null, diverged: null, seconds: 0,
  };
  const done = () => ({ ...verdict, seconds: (performance.now() - t0) / 1000 });
  for (const search of opts.searches) {
    let made = 0;
    const hit = search.run(target, {
      seed: opts.seed,
      budget: opts.budget,
      onRun: (runs) => {
        made = runs;
        if (runs % 50 === 0) opts.onProgress?.(`${search.name} run ${runs}/${opts.budget}`);
      },
    });
    verdict.tried.push({ search: search.name, runs: hit ? hit.runs : made, seed: opts.seed });
    if (hit) {
      Object.assign(verdict, { status: hit.kind === 'kill' ? 'killed' : 'crashed', killedBy: search.name, runs: hit.runs, ...hitFields(hit) });
      return done();
    }
  }
  if (opts.explore) {
    const b = opts.explore;
    try {
      const r = explore({
        engine: inst.engine, engineFactory: target.createEngine, config: b.config, depth: b.depth, maxSeconds: b.maxSeconds,
        differentialBase: inst.engine, differentialAlign: true,
        onProgress: (p) => opts.onProgress?.(`explorer depth ${p.depth}/${b.depth}, ${p.states} states`),
      });
      verdict.explorer = { config: b.config, depthReached: r.depthReached, result: r.result, states: r.states, seconds: r.seconds };
      if (r.counterexample) {
        const v = r.counterexample.violation;
        const crashed = v.property === 'engine-contract';
        Object.assign(verdict, { status: crashed ? 'crashed' : 'killed', killedBy: 'explorer', property: v.property, clause: v.clause, ops: r.counterexample.ops.length, message: v.message });
      }
    } catch (e) {
      verdict.explorer = { config: b.config, depthReached: 0, result: `error: ${(e as Error).message}`, states: 0, seconds: 0 };
    }
  }
  if (verdict.status === 'not-killed' && opts.divergence !== false) verdict.diverged = divergingRuns(inst, DIVERGENCE_RUNS, opts.seed);
  return done();
}

/** "not killed -- possibly equivalent (20000 runs of generator, uniform; explorer clean to depth 9 on 2/1/2/1)". */
export function boundText(v: MutantVerdict): string {
  const runs = v.tried.map((t) => `${t.runs} runs of ${t.search}`).join(', ');
  const ex = v.explorer;
  const c = ex ? `${ex.config.cpus}/${ex.config.procs}/${ex.config.threads}/${ex.config.kthreads}` : '';
  const exText = ex ? `; explorer ${ex.result === 'clean' ? 'clean' : ex.result} to depth ${ex.depthReached} on ${c}` : '';
  const div = v.diverged === null ? '' : v.diverged === 0 ? `; no behaviour change in ${DIVERGENCE_RUNS} runs (not reached?)` : `; behaviour changed in ${v.diverged}/${DIVERGENCE_RUNS} runs`;
  return `${runs}${exText}${div}`;
}
