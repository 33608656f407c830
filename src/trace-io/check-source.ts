/**
 * Checking one external trace, streamed: every valid event goes to the incremental checker of the
 * selected properties (createTraceChecker), to the facts the sufficiency rules need, and to a ring
 * buffer of recent events from which a violation's timeline is cut when it is detected. Memory is
 * bounded by the ring and the properties' own state, not by the trace's length.
 */
import { createTraceChecker, type Property, type TraceChecker, type Violation } from '../../properties';
import type { Arch, InitEvent, Strategy } from '../trace/events';
import type { TraceFileFormat } from './detect-format';
import type { TraceInputProblem } from './problems';
import type { ReadItem } from './read-item';
import { RingBuffer, type Indexed } from './ring-buffer';
import { missingKinds, vacuityNote, type MissingKind } from './sufficiency';
import { TraceFacts } from './trace-facts';
import { renderWindow, selectWindow } from './windowed-timeline';

/** Events kept for timelines (the brief's bound; a violation's context is cut from them). */
export const RING_CAPACITY = 2000;

/** The verdict of one property on one trace. */
export type VerdictKind = 'hold' | 'violated' | 'insufficient' | 'not-applicable';

export interface PropertyVerdict {
  property: string;
  verdict: VerdictKind;
  /** For `violated`: the (first) violation. */
  violation?: Violation;
  /** For `insufficient` (and next to a violation): the kinds the property needs and the trace lacks. */
  missing?: MissingKind[];
  /** For `hold`: set when the property had nothing to judge (no call of the kind it checks). */
  note?: string;
  /** For `violated`: the timeline around the violation. */
  timeline?: string;
}

/** What checking one trace found. */
export interface TraceReport {
  file: string;
  format: TraceFileFormat | null;
  /** Valid events read (the init event included). */
  events: number;
  engine?: { arch: Arch; strategy: Strategy; knobs: InitEvent['knobs'] };
  /** Problems that make the input unusable (then `verdicts` is empty). */
  problems: TraceInputProblem[];
  verdicts: PropertyVerdict[];
}

/** Options of {@link checkTraceItems}. */
export interface CheckSourceOptions {
  /** Properties to check (default: all of lazymm's); those that do not apply get `not-applicable`. */
  properties: readonly Property[];
  /** Events kept for timelines (default RING_CAPACITY). */
  ringCapacity?: number;
  /** Called every `progressEvery` events (for long traces). */
  onProgress?: (events: number) => void;
  progressEvery?: number;
}

/** Checks the items of one trace source (./read-trace.ts) and returns the report. */
export async function checkTraceItems(
  file: string,
  format: TraceFileFormat | null,
  items: AsyncIterable<ReadItem> | Iterable<ReadItem>,
  options: CheckSourceOptions,
): Promise<TraceReport> {
  const report: TraceReport = { file, format, events: 0, problems: [], verdicts: [] };
  const ring = new RingBuffer(options.ringCapacity ?? RING_CAPACITY);
  const found = new Map<string, { v: Violation; shown: Indexed[] }>();
  let init: InitEvent | null = null;
  let checker: TraceChecker | null = null;
  let facts: TraceFacts | null = null;
  const record = (vs: readonly Violation[]) => {
    const recent = ring.toArray();
    for (const v of vs) if (!found.has(v.property)) found.set(v.property, { v, shown: selectWindow(recent, v) });
  };
  const every = options.progressEvery ?? 1_000_000;
  for await (const item of items) {
    if ('problem' in item) {
      report.problems.push(item.problem);
      continue;
    }
    if (report.problems.length > 0) continue; // past the first problem only the reader's checks go on
    const { event, index } = item;
    report.events++;
    if (options.onProgress && report.events % every === 0) options.onProgress(report.events);
    if (event.k === 'init') {
      init = event;
      checker = createTraceChecker(init, options.properties);
      facts = new TraceFacts(init);
      report.engine = { arch: init.arch, strategy: init.strategy, knobs: init.knobs };
      continue;
    }
    facts!.observe(event, index);
    ring.push(event, index);
    try {
      const vs = checker!.observe(event, index);
      if (vs.length > 0) record(vs);
    } catch (err) {
      report.problems.push({ file, message: `event ${index}: the properties cannot follow this trace (${(err as Error).message}); is it consistent with the init event and the ordering conventions of docs/trace-format.md?` });
    }
  }
  if (report.problems.length > 0 || init === null || facts === null) return report;
  try {
    record(checker!.finish());
  } catch (err) {
    report.problems.push({ file, message: `end of trace: the properties cannot follow this trace (${(err as Error).message})` });
    return report;
  }
  report.verdicts = options.properties.map((p) => verdictOf(p, init!, facts!, found.get(p.id)));
  return report;
}

function verdictOf(p: Property, init: InitEvent, facts: TraceFacts, hit: { v: Violation; shown: Indexed[] } | undefined): PropertyVerdict {
  if (!p.appliesTo(init)) return { property: p.id, verdict: 'not-applicable', note: `does not apply to ${init.arch}/${init.strategy}` };
  const missing = missingKinds(p.id, facts);
  if (hit) {
    return { property: p.id, verdict: 'violated', violation: hit.v, timeline: renderWindow(init, hit.shown, hit.v), ...(missing.length ? { missing } : {}) };
  }
  if (missing.length > 0) return { property: p.id, verdict: 'insufficient', missing };
  const note = vacuityNote(p.id, facts);
  return { property: p.id, verdict: 'hold', ...(note ? { note } : {}) };
}
