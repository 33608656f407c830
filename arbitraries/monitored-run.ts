/**
 * A run watched by an incremental trace checker, stopping at the first violation.
 *
 * This is the predicate of every random run, so it is kept cheap: events go to the checker as they
 * are produced and the run stops as soon as one violation is reported (the rest of a campaign's
 * time is not spent on a run that has already failed).
 */
import type { Engine, ModelConfig } from '../src/engine/contract';
import { formatOp, type Op } from '../src/engine/ops';
import type { InitEvent, TraceEvent } from '../src/trace/events';
import type { Violation } from '../properties/property';
import type { OutputValidation } from './engine-output';
import { ReplayError, startRun, type Run } from './run';
import { sameOp } from './same-op';
import type { Weights } from './weights';

/** The incremental checker `createTraceChecker(init, properties)` (properties/index.ts) returns. */
export interface TraceChecker {
  observe(event: TraceEvent, index: number): readonly Violation[];
  finish(): readonly Violation[];
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
  validation: OutputValidation = 'full',
): MonitoredOutcome {
  return monitored(engine, config, makeChecker, validation, (run, stopped) => {
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
  validation: OutputValidation = 'full',
): MonitoredOutcome {
  return monitored(engine, config, makeChecker, validation, (run, stopped) => {
    for (let i = 0; i < ops.length && !stopped(); i++) run.applyRecorded(ops[i], i);
  });
}

/**
 * Replay `ops`, skipping every op that is not enabled when its turn comes (the ops that were
 * applied are the outcome's `ops`). The minimiser uses it: dropping one op often disables the ops
 * that depended on it, which are then dropped too.
 */
export function replayLenientMonitored<S>(
  engine: Engine<S>,
  config: ModelConfig,
  ops: readonly Op[],
  makeChecker: CheckerFactory,
  validation: OutputValidation = 'full',
): MonitoredOutcome {
  return monitored(engine, config, makeChecker, validation, (run, stopped) => {
    for (let i = 0; i < ops.length && !stopped(); i++) run.applyIfEnabled(ops[i]);
  });
}

/**
 * Replay ops recorded on *another* engine (a variant) on `engine` (its base), aligned modulo path
 * lengths: an op the base does not enable yet is preceded by the steps of the path the base still
 * has in flight on that CPU (and by the delivery of IPIs the base waits for, and as a last resort by
 * the steps of other CPUs that must progress to take them), and a `step` or plain
 * `ipi` the base has no counterpart for is skipped. Throws ReplayError when an op cannot be
 * aligned within `maxExtra` extra ops. The differential criterion of variant checks uses it for
 * variants that change which ops are enabled (a short-circuit, IRQs left on, fewer IPIs).
 */
export function replayAlignedMonitored<S>(
  engine: Engine<S>,
  config: ModelConfig,
  ops: readonly Op[],
  makeChecker: CheckerFactory,
  maxExtra = 256,
  validation: OutputValidation = 'full',
): MonitoredOutcome {
  return monitored(engine, config, makeChecker, validation, (run, stopped) => {
    let extra = 0;
    for (let i = 0; i < ops.length && !stopped(); i++) {
      const op = ops[i];
      while (!stopped()) {
        const enabled = run.enabled();
        const match = enabled.find((e) => sameOp(e, op));
        if (match) {
          run.applyRecorded(match, i);
          break;
        }
        const skippable = op.op === 'step' || (op.op === 'ipi' && op.next === undefined);
        const own = enabled.find((e) => e.op === 'step' && e.cpu === op.cpu);
        const ipi = enabled.find((e) => e.op === 'ipi' && e.next === undefined && e.cpu !== op.cpu);
        // Last resort: another CPU's path (e.g. a context switch with IRQs off) must progress before
        // it can take the IPI the base waits for.
        const other = enabled.find((e) => e.op === 'step' && e.cpu !== op.cpu);
        const next = skippable ? ipi : (own ?? ipi ?? other);
        if (next === undefined) {
          if (skippable) break; // the variant's own step or IPI: the base has none
          throw new ReplayError(`replay (aligned): op ${i} (${formatOp(op)}) cannot be aligned on engine ${engine.info.id}`, i);
        }
        if (++extra > maxExtra) throw new ReplayError(`replay (aligned): more than ${maxExtra} extra ops before op ${i}`, i);
        run.applyRecorded(next, i);
      }
    }
  });
}

/**
 * The run loop of every monitored run, driven by `drive` (which applies ops to the run until
 * `stopped()`); also used by searches that choose their ops another way (./coverage-search.ts).
 * The engine's output is validated first (`validation`, ./engine-output.ts): an invalid event stops
 * the run with an EngineOutputError as its `error`. ReplayError propagates.
 */
export function monitored<S>(
  engine: Engine<S>,
  config: ModelConfig,
  makeChecker: CheckerFactory,
  validation: OutputValidation,
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
    }, validation);
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
