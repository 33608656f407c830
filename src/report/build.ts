/**
 * Building a report's data (./types.ts) from an ops case (a fixture or a check's counterexample,
 * replayed on lazymm's engine) or a trace case (a recorded trace, mirrored).
 */
import { checkTrace } from '../../properties';
import { defaultDifferentialBase } from '../../arbitraries/variant-check';
import type { ModelConfig } from '../engine/contract';
import { renderOps, renderTimeline } from '../render/timeline';
import type { Op } from '../engine/ops';
import type { EngineSpec } from '../run/types';
import type { InitEvent, TraceEvent } from '../trace/events';
import { chooseViolation, finishRun, runOps, runTrace, type RawRun } from './run-data';
import { CPU_FIELDS, MM_FIELDS, mmsOf } from './snapshot';
import { hasIrqEvents } from './trace-mirror';
import type { ReportData, RunData } from './types';
import type { Violation } from '../../properties/property';

/** What every report states about its case. */
export interface CaseInfo {
  title: string;
  description: string;
  status: string;
  /** The property the case is about (a fixture's expected one); default: the first violated. */
  property?: string;
  verdict: string;
  replayCommand: string;
}

export interface OpsCase extends CaseInfo {
  spec: EngineSpec;
  config: ModelConfig;
  ops: readonly Op[];
}

export interface TraceCase extends CaseInfo {
  events: readonly TraceEvent[];
  /** Most steps to show; a longer trace shows a window that ends just after the violation (default 400). */
  maxSteps?: number;
}

export const configText = (c: ModelConfig): string => `cpus=${c.cpus} procs=${c.procs} threads=${c.threads} kthreads=${c.kthreads}`;

/** `x86/refcount+variant (knob=value, ...)` from the init event. */
function engineLine(events: readonly TraceEvent[]): string {
  const init = events[0] as InitEvent | undefined;
  if (init?.k !== 'init') return 'unknown engine';
  const { variant, ...knobs } = init.knobs;
  const knobText = Object.entries(knobs).map(([k, v]) => `${k}=${String(v)}`).join(', ');
  return `${init.arch}/${init.strategy}${variant !== undefined ? `+${String(variant)}` : ''}${knobText ? ` (${knobText})` : ''}`;
}

function timelineText(events: readonly TraceEvent[], v: Violation | undefined): string {
  if (events.length === 0) return '';
  return renderTimeline(events, v ? { highlight: v.events, violation: { index: v.index, message: v.message, property: v.property, clause: v.clause } } : {});
}

/** The raw events of step `s` (for comparing two runs step by step). */
const stepEvents = (raw: RawRun, s: number): string => JSON.stringify(raw.steps[s].events.map((e) => raw.events[e.i]));

/** The first step at which `base` differs from `main` (different events, or the base stopped), or null. */
export function firstDivergence(main: RawRun, base: RawRun): number | null {
  for (let s = 1; s < main.steps.length; s++) {
    if (s >= base.steps.length || stepEvents(main, s) !== stepEvents(base, s)) return s;
  }
  return base.steps.length > main.steps.length ? main.steps.length : null;
}

function layoutOf(runs: readonly RunData[]): ReportData['layout'] {
  const cpus = Math.max(...runs.map((r) => r.cpus));
  return {
    cpus: Array.from({ length: cpus }, (_, i) => i),
    cpuFields: CPU_FIELDS,
    mms: mmsOf(runs.flatMap((r) => r.steps.map((s) => s.values))),
    mmFields: MM_FIELDS,
  };
}

/** The report of ops replayed on `spec` (and, for a variant, on its base). */
export function buildOpsReport(c: OpsCase): ReportData {
  const raw = runOps(c.spec, c.config, c.ops);
  const { run: main, violations } = finishRun(raw, c.property);
  let base: ReportData['base'] = null;
  const baseSpec = defaultDifferentialBase(c.spec);
  if (baseSpec) {
    const baseRaw = runOps(baseSpec, c.config, c.ops);
    const { run } = finishRun(baseRaw, c.property);
    const divergence = firstDivergence(raw, baseRaw);
    const divergenceNote =
      divergence === null ? 'the base engine produces the same events at every step'
      : divergence >= baseRaw.steps.length ? `step ${divergence}: ${baseRaw.stopped ?? 'the base run ends here'}`
      : `step ${divergence} (${raw.steps[divergence].op}): the variant and its base emit different events`;
    base = { ...run, divergence, divergenceNote };
  }
  const v = chooseViolation(violations, c.property);
  return {
    format: 'lazymm-report/1',
    title: c.title,
    description: c.description,
    status: c.status,
    engineLine: engineLine(raw.events),
    config: configText(c.config),
    kind: 'ops',
    irqSource: 'engine',
    main,
    base,
    layout: layoutOf(base ? [main, base] : [main]),
    initialStep: main.violation?.step ?? main.steps.length - 1,
    timeline: timelineText(raw.events, v),
    opsText: renderOps(c.ops),
    replayCommand: c.replayCommand,
    verdict: c.verdict,
    window: null,
  };
}

/** The report of a recorded trace (state mirrored from its events). */
export function buildTraceReport(c: TraceCase): ReportData {
  const maxSteps = c.maxSteps ?? 400;
  const violations = checkTrace(c.events);
  const v = chooseViolation(violations, c.property);
  const n = c.events.length - 1;
  let window: { first: number; last: number } | undefined;
  if (n > maxSteps) {
    const end = Math.min(n, (v?.index ?? n) + 10);
    window = { first: Math.max(1, end - maxSteps + 1), last: end };
  }
  const irqEvents = hasIrqEvents(c.events);
  const raw = runTrace(c.events, irqEvents, window);
  const { run: main } = finishRun(raw, c.property);
  return {
    format: 'lazymm-report/1',
    title: c.title,
    description: c.description,
    status: c.status,
    engineLine: engineLine(c.events),
    config: null,
    kind: 'trace',
    irqSource: irqEvents ? 'trace' : 'derived',
    main,
    base: null,
    layout: layoutOf([main]),
    initialStep: main.violation?.step ?? main.steps.length - 1,
    timeline: window ? `(a trace of ${n + 1} events: the text timeline of events ${window.first}..${window.last} is in the swimlanes; run the replay command for the whole trace)` : timelineText(c.events, v),
    opsText: null,
    replayCommand: c.replayCommand,
    verdict: c.verdict,
    window: window ? { first: window.first, total: n + 1 } : null,
  };
}
