/**
 * The soundness tests' measure of a search: the shortest violating path per (property, clause),
 * with every violating transition counted (no stop at the first, no differential base), and the
 * number of transitions it took. Shared by the merge and partial-order-reduction soundness tests.
 */
import type { EngineSpec } from '../../src/run/types';
import type { ModelConfig } from '../../src/engine/contract';
import { explore, type ExploreOptions } from '../../src/explore/explore';

export interface ClauseMinima {
  min: Record<string, number>;
  transitions: number;
}

export function clauseMinima(
  engine: EngineSpec,
  config: ModelConfig,
  depth: number,
  extra: Pick<ExploreOptions, 'merge' | 'por' | 'properties' | 'symmetry' | 'settleEachOp' | 'engineFactory'> = {},
): ClauseMinima {
  const min: Record<string, number> = {};
  const r = explore({
    engine, config, depth, ...extra, differentialBase: null, stopOnViolation: false,
    onViolation: (ops, v) => {
      const k = `${v.property} ${v.clause}`;
      min[k] = Math.min(min[k] ?? Infinity, ops.length);
    },
  });
  return { min, transitions: r.transitions };
}
