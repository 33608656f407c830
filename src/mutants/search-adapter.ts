/**
 * What every check search (arbitraries/*-search.ts) needs from a mutant search target, and how its
 * first counting failure becomes a SearchHit: the shared glue of the mutant search registries
 * (./coverage-searches.ts, ./pct-searches.ts, ./climb-searches.ts, ./goexplore-searches.ts).
 */
import type { ModelConfig } from '../engine/contract';
import type { MonitoredOutcome } from '../../arbitraries/monitored-run';
import { profilesFor } from '../../arbitraries/check';
import { DEFAULT_MAX_OPS } from '../../arbitraries/interleaving';
import type { SearchHit, SearchOptions, SearchTarget } from './search';

/** The options every check search takes, for `target` with the bench's seed and budget. */
export function searchCommon(target: SearchTarget, options: SearchOptions) {
  return {
    engine: target.engine,
    makeChecker: target.makeChecker,
    runs: options.budget,
    seed: options.seed,
    maxOps: DEFAULT_MAX_OPS,
    profiles: profilesFor(target.properties),
    counts: (config: ModelConfig, out: MonitoredOutcome) => target.judge(config, out) !== null,
  };
}

/** The hit of a search's first counting failure (null: none within the budget). */
export function hitOf(failure: { run: number; config: ModelConfig; out: MonitoredOutcome } | null): SearchHit | null {
  if (failure === null) return null;
  return { runs: failure.run, kind: failure.out.error !== null ? 'error' : 'kill', config: failure.config, outcome: failure.out };
}
