/**
 * The properties on a converted real-kernel trace (./to-lazymm.ts). A property gets a verdict only
 * where the trace can feed it: the kinds the project's sufficiency rules find missing
 * (src/trace-io/sufficiency.ts, from evidence in the trace) and those the 6.1 probes cannot see at
 * all (UNOBSERVABLE) make it `insufficient`, with each missing kind named. A property with nothing
 * missing is checked (hold / violated).
 */
import { allProperties, createTraceChecker } from '../../properties';
import type { InitEvent, TraceEvent } from '../trace/events';
import { describeMissing, missingKinds } from '../trace-io/sufficiency';
import { TraceFacts } from '../trace-io/trace-facts';
import { UNOBSERVABLE } from './to-lazymm';

export interface KernelPropertyVerdict {
  property: string;
  verdict: 'hold' | 'violated' | 'insufficient';
  missing: string[];
  violation?: string;
}

export function propertyVerdicts(events: readonly TraceEvent[]): KernelPropertyVerdict[] {
  const init = events[0] as InitEvent;
  const facts = new TraceFacts(init);
  events.forEach((e, i) => { if (i > 0) facts.observe(e, i); });
  return allProperties.map((p) => {
    const missing = [...missingKinds(p.id, facts).map(describeMissing), ...(UNOBSERVABLE[p.id] ?? [])];
    if (missing.length > 0) return { property: p.id, verdict: 'insufficient' as const, missing };
    const checker = createTraceChecker(init, [p]);
    const found = events.slice(1).flatMap((e, i) => checker.observe(e, i + 1));
    found.push(...checker.finish());
    return found.length ? { property: p.id, verdict: 'violated' as const, missing, violation: found[0].message } : { property: p.id, verdict: 'hold' as const, missing };
  });
}
