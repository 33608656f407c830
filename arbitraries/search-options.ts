/**
 * What every run-by-run search takes (the coverage-guided search, ./coverage-search.ts, and the
 * PCT search, ./pct-search.ts): the engine, its checker, the budget and where runs come from.
 */
import type { Engine, ModelConfig } from '../src/engine/contract';
import type { ModelConfigConstraints } from './config';
import type { CheckerFactory, MonitoredOutcome } from './monitored-run';
import type { Weights } from './weights';

export interface SearchRunOptions<S> {
  engine: Engine<S>;
  makeChecker: CheckerFactory;
  runs: number;
  seed: number;
  maxOps: number;
  /** A fixed configuration (never changed by the search); drawn within `configConstraints` when absent. */
  config?: ModelConfig;
  configConstraints?: ModelConfigConstraints;
  profiles: readonly Weights[];
  /** Whether a violating outcome counts as a failure (the differential criterion of variants). */
  counts: (config: ModelConfig, out: MonitoredOutcome) => boolean;
}
