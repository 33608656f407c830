/**
 * Searches, pluggable: the mutant bench (bench/mutants.ts) and `lazymm mutants --run` compare them
 * on the same mutants. A search gets a target (the engine under test and how to judge a run) and
 * a seed and a budget of runs, and returns the run that killed the mutant, or null.
 *
 * To add a search: implement `Search` and call `registerSearch()` from a module that
 * ./searches.ts imports (or register it before running the bench). A search must be deterministic
 * given its seed, must count every run it makes against the budget (a run is one engine.init()
 * followed by ops), and must let `target.judge` decide what is a kill (it applies the differential
 * criterion: a violation counts only if the unmutated engine, replaying the same ops, does not
 * share it).
 */
import type { Engine, ModelConfig } from '../engine/contract';
import type { KernelState } from '../engine/state';
import type { EngineSpec } from '../run/types';
import type { CheckerFactory, MonitoredOutcome } from '../../arbitraries/monitored-run';

/** What a search runs against. */
export interface SearchTarget {
  /** The engine under test (a mutant engine), and its spec (arch, strategy, knobs). */
  engine: Engine<KernelState>;
  spec: EngineSpec;
  /** Builds more instances of the engine under test (the mutant's registry), e.g. for an explorer. */
  createEngine(spec: EngineSpec): Engine<KernelState>;
  /** The properties checked (ids) and a fresh incremental checker of them for one run. */
  properties: readonly string[];
  makeChecker: CheckerFactory;
  /**
   * Whether a finished run kills: 'kill' for a property violation the base engine does not share
   * on the same ops, 'error' when the engine threw, null otherwise. Call it on every run.
   */
  judge(config: ModelConfig, outcome: MonitoredOutcome): 'kill' | 'error' | null;
}

export interface SearchOptions {
  seed: number;
  /** Most runs. */
  budget: number;
  /** Called after every run with the number of runs made so far (progress). */
  onRun?: (runs: number) => void;
}

/** The run that killed (or crashed) the engine under test. */
export interface SearchHit {
  /** 1-based: the hit was the `runs`-th run. */
  runs: number;
  kind: 'kill' | 'error';
  config: ModelConfig;
  outcome: MonitoredOutcome;
}

export interface Search {
  /** Short name, used on the command line (`--search NAME`) and in the bench tables. */
  name: string;
  /** One line. */
  description: string;
  run(target: SearchTarget, options: SearchOptions): SearchHit | null;
}

const registry = new Map<string, Search>();

/** Add (or replace) a search by name. */
export function registerSearch(search: Search): void {
  registry.set(search.name, search);
}

/**
 * The searches `lazymm mutants --run` and the bench's mutant section run when none is named: today's
 * generator (the reference of the ratios), the uniform baseline, and the two corpus searches. The
 * others (pct, swarm, the ablations, goexplore) stay one `--search` away: every registered search
 * on every survivor costs budget x seeds runs each.
 */
export const DEFAULT_MUTANT_SEARCHES = ['generator', 'uniform', 'coverage', 'climb'] as const;

/** The searches registered so far, in registration order. */
export function listSearches(): Search[] {
  return [...registry.values()];
}

export function searchByName(name: string): Search | undefined {
  return registry.get(name);
}
