/**
 * The properties lazymm checks, and how to run them over a trace: whole (checkTrace) or event by
 * event (createTraceChecker, for runners that stop at the first violation). Properties read only
 * the trace format (src/trace/events.ts); they import nothing from the engines.
 */
import type { InitEvent, TraceEvent } from '../src/trace/events';
import type { Property, PropertyMonitor, Violation } from './property';
import { MirrorDriver, NO_VIOLATIONS } from './lib/driver';
import { isMirrorProperty, type MirrorProperty } from './lib/mirror-property';
import { membarrierOrdering } from './membarrier-ordering';
import { noLazyUseAfterFree } from './no-lazy-use-after-free';
import { refcountBalance } from './refcount-balance';
import { syncCoreBeforeUsermode } from './sync-core-before-usermode';
import { tlbCoherence } from './tlb-coherence';

export type { Property, PropertyMonitor, Violation } from './property';
export { createMembarrierOrdering, type MembarrierOrderingOptions } from './membarrier-ordering';
export { describeEvent, eventSummary } from './lib/describe';
export { membarrierOrdering, noLazyUseAfterFree, refcountBalance, syncCoreBeforeUsermode, tlbCoherence };

/** Every property, in report order. */
export const allProperties: readonly Property[] = [
  refcountBalance,
  noLazyUseAfterFree,
  syncCoreBeforeUsermode,
  membarrierOrdering,
  tlbCoherence,
];

/** The property with this id, or undefined. */
export function propertyById(id: string): Property | undefined {
  return allProperties.find((p) => p.id === id);
}

/** An incremental checker over one trace. */
export interface TraceChecker {
  /**
   * Observes event `index`; returns the violations detected at it (at most one per property, ever).
   * The array is read-only: most events return one shared empty array (no allocation per event).
   */
  observe(event: TraceEvent, index: number): readonly Violation[];
  /** End of trace: the end-of-trace checks (for example leaks at quiescence). Read-only, as observe's. */
  finish(): readonly Violation[];
}

/**
 * A checker running every property of `properties` (default: all) that applies to `init`, in one
 * pass: mirror-based properties share one trace mirror. Each property reports at most its first
 * violation. Feeding it the init event itself is allowed and does nothing.
 */
export function createTraceChecker(init: InitEvent, properties: readonly Property[] = allProperties): TraceChecker {
  const applicable = properties.filter((p) => p.appliesTo(init));
  const shared = applicable.filter(isMirrorProperty) as MirrorProperty[];
  const driver = shared.length > 0 ? new MirrorDriver(init, shared) : null;
  const others: { monitor: PropertyMonitor; done: boolean }[] = applicable
    .filter((p) => !isMirrorProperty(p))
    .map((p) => ({ monitor: p.monitor(init), done: false }));
  const collect = (out: readonly Violation[], f: (m: PropertyMonitor) => Violation | null): readonly Violation[] => {
    for (const o of others) {
      if (o.done) continue;
      const v = f(o.monitor);
      if (v !== null) {
        o.done = true;
        out = out === NO_VIOLATIONS ? [v] : [...out, v];
      }
    }
    return out;
  };
  return {
    observe(event, index) {
      const out = driver === null ? NO_VIOLATIONS : driver.observe(event, index);
      if (event.k === 'init' || others.length === 0) return out;
      return collect(out, (m) => m.observe(event, index));
    },
    finish() {
      const out = driver === null ? NO_VIOLATIONS : driver.finish();
      return collect(out, (m) => m.finish());
    },
  };
}

/**
 * Checks a whole trace (event 0 must be `init`): the first violation of each applicable property,
 * in the order they were detected.
 */
export function checkTrace(events: readonly TraceEvent[], properties: readonly Property[] = allProperties): Violation[] {
  const init = events[0];
  if (init === undefined || init.k !== 'init') throw new Error('checkTrace: event 0 must be the init event');
  const checker = createTraceChecker(init, properties);
  const out: Violation[] = [];
  for (let i = 1; i < events.length; i++) out.push(...checker.observe(events[i], i));
  out.push(...checker.finish());
  return out;
}
