/**
 * Costs of a whole random campaign: an engine wrapper that keeps each run's trace and adds its costs
 * (src/run/costs.ts) to a running total when the next run starts.
 */
import type { Engine, ModelConfig } from '../engine/contract';
import { createEngine } from '../engine/registry';
import { COST_COLUMNS, computeCosts, costValue, emptyCosts, type Costs } from '../run/costs';
import type { EngineSpec } from '../run/types';
import type { TraceEvent } from '../trace/events';
import { checkEngine } from '../../arbitraries';

export function costMeter<S>(engine: Engine<S>): { engine: Engine<S>; costs(): Costs } {
  const total = emptyCosts();
  let trace: TraceEvent[] | null = null;
  const flush = () => {
    if (trace) computeCosts(trace, total);
    trace = null;
  };
  const metered: Engine<S> = {
    info: engine.info,
    init(config) {
      flush();
      const r = engine.init(config);
      trace = [...r.events];
      return r;
    },
    enabled: (state) => engine.enabled(state),
    apply(state, op) {
      const events = engine.apply(state, op);
      trace?.push(...events);
      return events;
    },
    clone: (state) => engine.clone(state),
  };
  return {
    engine: metered,
    costs() {
      flush();
      return { ...total };
    },
  };
}

/**
 * The costs of the workloads a check with these options generates (the same configurations and
 * choice lists as runCheck with the same seed), every run played to its end without a checker.
 */
export function measureCosts(spec: EngineSpec, runs: number, seed: number, maxOps: number, config?: ModelConfig): { costs: Costs; opsExecuted: number; seconds: number } {
  const meter = costMeter(createEngine(spec));
  const r = checkEngine({ engine: meter.engine, makeChecker: () => ({ observe: () => [], finish: () => [] }), propertyIds: [], runs, seed, maxOps, config });
  return { costs: meter.costs(), opsExecuted: r.opsExecuted, seconds: r.seconds };
}

/** Costs normalised as `lazymm compare` prints them: per 1,000 context switches, or per mm teardown. */
export function normalisedCosts(c: Costs): Record<string, number> {
  return Object.fromEntries(COST_COLUMNS.map((col) => [col.key, Math.round(costValue(c, col.key, col.perSwitch) * 1000) / 1000]));
}
