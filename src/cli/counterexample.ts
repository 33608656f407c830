/**
 * A counterexample as a kernel developer reads it: a fast-check style header, the shrunk ops, then
 * the membarrier.c-style timeline of the replayed trace ending with the violated rule.
 */
import { createEngine } from '../engine/registry';
import { renderOps, renderTimeline } from '../render/timeline';
import type { Counterexample, EngineSpec } from '../run/types';
import type { TraceEvent } from '../trace/events';
import { checkTrace, type Violation } from '../../properties';
import { replayOps } from '../../arbitraries';
import type { ModelConfig } from '../engine/contract';
import type { Op } from '../engine/ops';

/** The trace of `ops` on `spec`, and the violations every applicable property reports on it. */
export function replayAndCheck(spec: EngineSpec, config: ModelConfig, ops: readonly Op[]): { events: TraceEvent[]; violations: Violation[] } {
  const { events } = replayOps(createEngine(spec), config, ops);
  return { events, violations: checkTrace(events) };
}

/** The timeline of `events`, with `violation` (if any) as its last line and its cited events marked. */
export function timelineOf(events: readonly TraceEvent[], violation?: Violation): string {
  if (!violation) return renderTimeline(events);
  return renderTimeline(events, {
    highlight: violation.events,
    violation: { index: violation.index, message: violation.message, property: violation.property, clause: violation.clause },
  });
}

const configText = (c: ModelConfig): string => `cpus=${c.cpus} procs=${c.procs} threads=${c.threads} kthreads=${c.kthreads}`;

/** The printed counterexample: header, ops, timeline (lines, no trailing newline). */
export function renderCounterexample(spec: EngineSpec, engine: string, cx: Counterexample): string[] {
  const lines = [
    `${cx.property} ${cx.clause}  VIOLATED at event ${cx.eventIndex}  engine=${engine}`,
    `{ seed: ${cx.seed}, path: ${JSON.stringify(cx.path)} }  config: ${configText(cx.config)}`,
    '',
    `Shrunk ops (${cx.ops.length}):`,
    renderOps(cx.ops),
    '',
  ];
  let replayed: { events: TraceEvent[]; violations: Violation[] };
  try {
    replayed = replayAndCheck(spec, cx.config, cx.ops);
  } catch (err) {
    // An engine-contract counterexample: the engine threw, so there is no trace to draw.
    return [...lines, cx.message, `(no timeline: the replay throws: ${(err as Error).message})`];
  }
  const violation = replayed.violations.find((v) => v.property === cx.property);
  if (!violation) lines.push(`(the replayed trace no longer violates ${cx.property}; the message was: ${cx.message})`);
  lines.push(timelineOf(replayed.events, violation));
  return lines;
}
