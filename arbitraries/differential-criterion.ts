/**
 * The differential criterion of a variant check and of `lazymm explore --variant`: does a
 * violation belong to the variant, or does its base engine share it? Its own module because the
 * explorer uses it (src/explore/differential.ts) and does not load the random check around it.
 */
import type { ModelConfig } from '../src/engine/contract';
import type { Op } from '../src/engine/ops';
import { createEngine } from '../src/engine/registry';
import type { EngineSpec } from '../src/run/types';
import { createTraceChecker, propertyById } from '../properties';
import type { Property, Violation } from '../properties/property';
import { replayAlignedMonitored, replayMonitored } from './monitored-run';
import { ReplayError } from './run';

/**
 * The differential criterion against `base`: a violation of P counts when `base`, replaying the
 * same ops, accepts every one of them and does not violate P (checked alone, so that another
 * property failing first on the base cannot hide P). With `align`, the replay is aligned modulo
 * path lengths (replayAlignedMonitored); an op that cannot be aligned still makes the run not count.
 */
export function differentialCriterion(
  base: EngineSpec,
  align = false,
): (config: ModelConfig, ops: readonly Op[], violation: Violation) => boolean {
  const replay = align ? replayAlignedMonitored : replayMonitored;
  const engine = createEngine(base);
  const single = new Map<string, Property[]>();
  return (config, ops, violation) => {
    const property = propertyById(violation.property);
    if (!property) return true; // not a property of the catalogue: nothing to compare
    let props = single.get(property.id);
    if (!props) single.set(property.id, (props = [property]));
    try {
      const out = replay(engine, config, ops, (init) => createTraceChecker(init, props));
      return out.violation === null && out.error === null;
    } catch (e) {
      if (e instanceof ReplayError) return false; // an op the base does not enable: not comparable
      throw e;
    }
  };
}
