/**
 * `runCheck`: the property check of one engine spec, as the CLI and the campaign run it.
 * Wires the engine registry and the property catalogue into the generic core (./check-engine.ts).
 */
import { DEFAULT_CONFIG } from '../src/engine/contract';
import { createEngine } from '../src/engine/registry';
import type { CheckOptions, CheckResult } from '../src/run/types';
import type { InitEvent } from '../src/trace/events';
import { allProperties, createTraceChecker, propertyById } from '../properties';
import type { Property } from '../properties/property';
import { checkEngine } from './check-engine';

/**
 * Check the properties of `options` (default: every property that applies to the engine) on random
 * interleavings of the engine. Same options (including the derived default seed) give the same
 * result apart from `seconds`.
 */
export function runCheck(options: CheckOptions): CheckResult {
  const engine = createEngine(options.engine);
  const init = engine.init(options.config ?? DEFAULT_CONFIG).events[0] as InitEvent;
  const properties = selectProperties(options.properties, init);
  return checkEngine({
    engine,
    makeChecker: (runInit) => createTraceChecker(runInit, properties),
    propertyIds: properties.map((p) => p.id),
    runs: options.runs,
    seed: options.seed,
    maxOps: options.maxOps,
    config: options.config,
  });
}

/** The named properties (unknown ids are an error), or every property that applies to `init`. */
function selectProperties(ids: string[] | undefined, init: InitEvent): Property[] {
  if (ids === undefined) return allProperties.filter((p) => p.appliesTo(init));
  return ids.map((id) => {
    const p = propertyById(id);
    if (!p) throw new Error(`runCheck: unknown property "${id}"`);
    return p;
  });
}
