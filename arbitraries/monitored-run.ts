/**
 * A run watched by an incremental trace checker, stopping at the first violation.
 *
 * This is the predicate of every random run, so it is kept cheap: events go to the checker as they
 * are produced and the run stops as soon as one violation is reported (the rest of a campaign's
 * time is not spent on a run that has already failed).
 */
import type { Engine, ModelConfig } from '../src/engine/contract';
import type { Op } from '../src/engine/ops';
import type { InitEvent, TraceEvent } from '../src/trace/events';
import type { Violation } from '../properties/property';
import { ReplayError, startRun, type Run } from './run';
import type { Weights } from './weights';

/** The incremental checker `createTraceChecker(init, properties)` (properties/index.ts) returns. */
export interface TraceChecker {
  observe(event: TraceEvent, index: number): Violation[];
  finish(): Violation[];
}

/** Creates a fresh checker for one run, given the run's init event. */
export type CheckerFactory = (init: InitEvent) => TraceChecker;

/** What a monitored run found. */
export interface MonitoredOutcome {
  ops: Op[];
  events: TraceEvent[];
  /** The first violation, if any. */
  violation: Violation | null;
  /** Number of ops applied up to and including the op whose events produced the violation. */
  opsToViolation: number;
  /** An exception thrown by the engine or the checker (an engine bug rather than a property's). */
  error: Error | null;
}

/** Run `choices` under a fresh checker. */
export function runChoicesMonitored<S>(
  engine: Engine<S>,
  config: ModelConfig,
  choices: readonly number[],
  weights: Weights,
  makeChecker: CheckerFactory,
): MonitoredOutcome {
  return monitored(engine, config, makeChecker, (run, stopped) => {
    for (const choice of choices) {
      if (stopped() || run.choose(choice, weights) === undefined) return;
    }
  });
}

/** Replay recorded `ops` under a fresh checker; throws ReplayError when an op is not enabled. */
export function replayMonitored<S>(
  engine: Engine<S>,
  config: ModelConfig,
  ops: readonly Op[],
  makeChecker: CheckerFactory,
): MonitoredOutcome {
  return monitored(engine, config, makeChecker, (run, stopped) => {
    for (let i = 0; i < ops.length && !stopped(); i++) run.applyRecorded(ops[i], i);
  });
}

function monitored<S>(
  engine: Engine<S>,
  config: ModelConfig,
  makeChecker: CheckerFactory,
  drive: (run: Run, stopped: () => boolean) => void,
): MonitoredOutcome {
  let checker: TraceChecker | null = null;
  let violation: Violation | null = null;
  let opsToViolation = 0;
  let run: Run | null = null;
  let error: Error | null = null;
  try {
    run = startRun(engine, config, {
      onEvent: (ev, i) => {
        if (violation !== null || checker === null) return;
        violation = checker.observe(ev, i)[0] ?? null;
        if (violation !== null) opsToViolation = run === null ? 0 : run.ops.length;
      },
    });
    checker = makeChecker(run.init);
    // Boot events beyond init (if an engine emits any) are checked too.
    for (let i = 1; i < run.events.length && violation === null; i++) {
      violation = checker.observe(run.events[i], i)[0] ?? null;
    }
    const r = run;
    drive(r, () => violation !== null);
    if (violation === null) {
      violation = checker.finish()[0] ?? null;
      opsToViolation = r.ops.length;
    }
  } catch (e) {
    if (e instanceof ReplayError) throw e;
    error = e instanceof Error ? e : new Error(String(e));
  }
  return {
    ops: run?.ops ?? [],
    events: run?.events ?? [],
    violation,
    opsToViolation: violation === null ? (run?.ops.length ?? 0) : opsToViolation,
    error,
  };
}
