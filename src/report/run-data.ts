/**
 * One engine's run as report steps. Ops reports replay the ops through the engine one at a time and
 * take the state after each from the engine itself (valuesOfState); trace reports take one step per
 * event and mirror the state from the trace (./trace-mirror.ts).
 */
import { checkTrace, type Violation } from '../../properties';
import { sameOp } from '../../arbitraries/same-op';
import type { ModelConfig } from '../engine/contract';
import { formatOp, type Op } from '../engine/ops';
import { createEngine } from '../engine/registry';
import type { KernelState } from '../engine/state';
import type { EngineSpec } from '../run/types';
import type { InitEvent, TraceEvent } from '../trace/events';
import { EventPhraser, stepLabel } from './phrase';
import { changedKeys, valuesOfState } from './snapshot';
import { TraceMirror } from './trace-mirror';
import type { IpiArrow, RunData, Step, ViolationMark } from './types';

/** A run before its violation is chosen: the steps, the trace, and which step holds each event. */
export interface RawRun {
  engine: string;
  cpus: number;
  steps: Step[];
  events: TraceEvent[];
  /** stepOf[i] is the step holding event i (undefined: not shown). */
  stepOf: Map<number, number>;
  stopped: string | null;
}

const bootStep = (phraser: EventPhraser, init: TraceEvent, values: Step['values']): Step => {
  const ev = phraser.phrase(init, 0);
  return { index: 0, cpu: null, op: null, fn: 'start_kernel', text: ev.text, events: [ev], values, changed: [] };
};

/** The kernel path a `step` op advances (the label of a step that emits no event), else the op's name. */
function frameFn(s: KernelState, op: Op): string {
  if (op.op !== 'step') return op.op;
  const c = s.cpus[op.cpu];
  const task = s.tasks[c.current];
  return (c.hotplugFrame ?? c.cpuFrame ?? task?.frames.at(-1))?.fn ?? op.op;
}

/**
 * Replays `ops` on `spec` op by op. An op the engine does not enable ends the run there (`stopped`
 * says which) rather than throwing: a variant's base may not take the variant's ops.
 */
export function runOps(spec: EngineSpec, config: ModelConfig, ops: readonly Op[]): RawRun {
  const engine = createEngine(spec);
  const { state, events } = engine.init(config);
  const bootValues = valuesOfState(state as KernelState);
  const applied: { op: Op; events: TraceEvent[]; values: Step['values']; frame: string }[] = [];
  let stopped: string | null = null;
  for (const [i, op] of ops.entries()) {
    if (!engine.enabled(state).some((e) => sameOp(e, op))) {
      stopped = `${engine.info.id} does not enable op ${i} (${formatOp(op)}): the run stops before it`;
      break;
    }
    const frame = frameFn(state as KernelState, op);
    const evs = engine.apply(state, op);
    events.push(...evs);
    applied.push({ op, events: evs, values: valuesOfState(state as KernelState), frame });
  }
  // The phraser needs the whole trace up front (it numbers membarrier calls when there are several).
  const phraser = new EventPhraser(events);
  const steps: Step[] = [bootStep(phraser, events[0], bootValues)];
  const stepOf = new Map<number, number>([[0, 0]]);
  let next = 1;
  applied.forEach((a, i) => {
    const evs = a.events.map((e, j) => phraser.phrase(e, next + j));
    evs.forEach((e) => stepOf.set(e.i, i + 1));
    next += a.events.length;
    const label = stepLabel(evs, a.frame);
    steps.push({ index: i + 1, cpu: a.op.cpu, op: formatOp(a.op), ...label, events: evs, values: a.values, changed: changedKeys(steps[i].values, a.values) });
  });
  return { engine: engine.info.id, cpus: config.cpus, steps, events, stepOf, stopped };
}

/**
 * One step per event of `events` (a whole trace, `init` first). With `window`, only events
 * `first..last` get steps (the state is still mirrored from event 0).
 */
export function runTrace(events: readonly TraceEvent[], irqEvents: boolean, window?: { first: number; last: number }): RawRun {
  const init = events[0] as InitEvent;
  const mirror = new TraceMirror(init, irqEvents);
  const phraser = new EventPhraser(events);
  const first = window?.first ?? 1;
  const last = window?.last ?? events.length - 1;
  const steps: Step[] = [];
  const stepOf = new Map<number, number>();
  for (let i = 1; i < first; i++) {
    mirror.observe(events[i]);
    phraser.phrase(events[i], i);
  }
  steps.push(bootStep(phraser, init, mirror.values()));
  stepOf.set(0, 0);
  if (first > 1) steps[0].text = `state after events 0..${first - 1} (the trace's first ${first} events are not shown)`;
  for (let i = first; i <= last; i++) {
    const e = events[i];
    mirror.observe(e);
    const ev = phraser.phrase(e, i);
    const values = mirror.values();
    const index = steps.length;
    stepOf.set(i, index);
    steps.push({ index, cpu: e.cpu, op: null, fn: ev.fn, text: ev.text, events: [ev], values, changed: changedKeys(steps[index - 1].values, values) });
  }
  const knobs = Object.entries(init.knobs);
  const variant = knobs.find(([k]) => k === 'variant')?.[1];
  return { engine: `${init.arch}/${init.strategy}${variant !== undefined ? `+${String(variant)}` : ''}`, cpus: init.cpus.length, steps, events: [...events], stepOf, stopped: null };
}

/** The IPIs of a run: each `ipi_send` with the step that handled it (if shown). */
export function ipiArrows(raw: RawRun): IpiArrow[] {
  const arrows = new Map<number, IpiArrow>();
  for (const [i, e] of raw.events.entries()) {
    const step = raw.stepOf.get(i);
    if (step === undefined) continue;
    if (e.k === 'ipi_send') arrows.set(e.id, { id: e.id, func: e.func, from: e.cpu, to: e.target, sendStep: step, handleStep: null });
    else if (e.k === 'ipi_handle' && e.id !== null) {
      const a = arrows.get(e.id);
      if (a) a.handleStep = step;
    }
  }
  return [...arrows.values()];
}

/** The step marks of `v` (null when `v` is undefined or fires outside the steps shown). */
export function violationMark(raw: RawRun, v: Violation | undefined): ViolationMark | null {
  if (!v) return null;
  const step = raw.stepOf.get(v.index);
  if (step === undefined) return null;
  const cited = [...new Set(v.events.flatMap((i) => (raw.stepOf.has(i) ? [raw.stepOf.get(i)!] : [])))].filter((s) => s !== step);
  return { property: v.property, clause: v.clause, event: v.index, step, message: v.message, citedSteps: cited.sort((a, b) => a - b) };
}

/** The violation a report marks: the one of `property` if given and found, else the first. */
export function chooseViolation(violations: readonly Violation[], property?: string): Violation | undefined {
  return (property !== undefined ? violations.find((v) => v.property === property) : undefined) ?? violations[0];
}

/** A finished run: steps, IPIs and the violation (checkTrace over its trace). */
export function finishRun(raw: RawRun, property?: string): { run: RunData; violations: Violation[] } {
  const violations = raw.events.length > 0 ? checkTrace(raw.events) : [];
  const run: RunData = {
    engine: raw.engine, cpus: raw.cpus, steps: raw.steps, ipis: ipiArrows(raw),
    violation: violationMark(raw, chooseViolation(violations, property)), stopped: raw.stopped,
  };
  return { run, violations };
}
