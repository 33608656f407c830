/**
 * One run of an engine driven op by op: the single loop that calls `engine.apply()` for the
 * arbitraries. Choice-driven runs (random campaigns) and recorded-op runs (replay, minimisation)
 * both go through it, so they produce the same trace for the same ops.
 */
import type { Engine, ModelConfig } from '../src/engine/contract';
import { formatOp, type Op } from '../src/engine/ops';
import type { InitEvent, TraceEvent } from '../src/trace/events';
import { EngineOutputCheck, type OutputValidation } from './engine-output';
import { pickOp } from './pick';
import { sameOp } from './same-op';
import { TraceView } from './trace-view';
import type { Weights } from './weights';

/** A recorded op that is not enabled when replayed (the recording does not fit this engine). */
export class ReplayError extends Error {
  constructor(
    message: string,
    /** Index of the offending op in the recorded list. */
    readonly opIndex: number,
  ) {
    super(message);
    this.name = 'ReplayError';
  }
}

/** Called before an op is applied (with the view of the state before it). */
export type OpListener = (op: Op, index: number, view: TraceView) => void;
/** Called for every event after `init`, with its index in the trace, before the view folds it in. */
export type EventListener = (event: TraceEvent, index: number, view: TraceView) => void;

/** A run in progress. */
export interface Run {
  readonly init: InitEvent;
  readonly view: TraceView;
  /** Ops applied so far. */
  readonly ops: Op[];
  /** The trace so far (`init` first). */
  readonly events: TraceEvent[];
  /** The ops enabled now. */
  enabled(): Op[];
  /** Apply the op `choice` selects; returns it, or undefined when no op is enabled. */
  choose(choice: number, weights: Weights): Op | undefined;
  /** Apply a recorded op; throws when it is not enabled now (the message names op number `index`). */
  applyRecorded(op: Op, index: number): void;
  /** Apply `op` if it is enabled now; returns whether it was. */
  applyIfEnabled(op: Op): boolean;
}

/** Listeners of {@link startRun}. */
export interface RunListeners {
  onOp?: OpListener;
  onEvent?: EventListener;
}

/**
 * Start a run of `engine` on `config`. Every event the engine emits is validated first
 * (./engine-output.ts: the schema of its kind and the semantic rules): an invalid event
 * throws EngineOutputError from the call that applied its op.
 */
export function startRun<S>(engine: Engine<S>, config: ModelConfig, listeners: RunListeners = {}, validation: OutputValidation = 'full'): Run {
  const { state, events: initEvents } = engine.init(config);
  const init = initEvents[0];
  if (!init || init.k !== 'init') {
    throw new Error(`engine ${engine.info.id}: init() must return the init event first`);
  }
  const output = validation === 'none' ? null : new EngineOutputCheck(engine.info.id);
  output?.check(init, 0, 0);
  const view = new TraceView(init);
  const ops: Op[] = [];
  const events: TraceEvent[] = [init];
  for (const ev of initEvents.slice(1)) record(ev); // tolerated: engines may emit boot events

  function record(ev: TraceEvent): void {
    output?.check(ev, events.length, ops.length);
    listeners.onEvent?.(ev, events.length, view);
    events.push(ev);
    view.observe(ev);
  }

  function apply(op: Op): void {
    listeners.onOp?.(op, ops.length, view);
    ops.push(op);
    const events = engine.apply(state, op);
    view.noteOp(op);
    for (const ev of events) record(ev);
  }

  return {
    init,
    view,
    ops,
    events,
    enabled: () => engine.enabled(state),
    choose(choice, weights) {
      const op = pickOp(engine.enabled(state), choice, weights, view);
      if (op !== undefined) apply(op);
      return op;
    },
    applyRecorded(op, index) {
      const enabled = engine.enabled(state);
      const match = enabled.find((e) => sameOp(e, op));
      if (match === undefined) {
        throw new ReplayError(
          `replay: op ${index} (${formatOp(op)}) is not enabled on engine ${engine.info.id}; ` +
            `enabled: ${enabled.map(formatOp).join(', ') || 'none'}`,
          index,
        );
      }
      apply(match); // the engine's own object: canonical field order in `ops`
    },
    applyIfEnabled(op) {
      const match = engine.enabled(state).find((e) => sameOp(e, op));
      if (match === undefined) return false;
      apply(match);
      return true;
    },
  };
}
