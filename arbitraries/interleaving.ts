/**
 * Interleavings as choice lists.
 *
 * An interleaving is a list of non-negative integers. Running it against an engine: at each step
 * take the ops `engine.enabled(state)` lists, let the next choice pick one by weight (./pick.ts),
 * apply it and append its events. Every choice list is therefore valid for every engine and state,
 * fast-check discards nothing, and shrinking (dropping or lowering choices) yields valid runs.
 * A run ends when the choices run out or when no op is enabled.
 */
import fc from 'fast-check';
import type { Engine, ModelConfig } from '../src/engine/contract';
import type { Op } from '../src/engine/ops';
import type { TraceEvent } from '../src/trace/events';
import { startRun } from './run';
import { DEFAULT_WEIGHTS, type Weights } from './weights';

/** Options of {@link interleavingArbitrary}. */
export interface InterleavingConstraints {
  /** Most choices (ops) per run. Default 120. */
  maxOps?: number;
  /**
   * Fewest choices per run (default 0). Races need a long set-up (a registration, then a call of
   * several steps while other CPUs act), so a run cut short before it gets there is wasted.
   */
  minOps?: number;
}

/** Default number of ops per run. */
export const DEFAULT_MAX_OPS = 120;

/**
 * Choice lists of 0..maxOps integers. `size: 'max'` matters: fast-check 4's default size ("small")
 * would generate at most about 10 choices whatever maxLength says (see toolchain.md).
 */
export function interleavingArbitrary(constraints: InterleavingConstraints = {}): fc.Arbitrary<number[]> {
  const maxOps = constraints.maxOps ?? DEFAULT_MAX_OPS;
  if (!Number.isInteger(maxOps) || maxOps < 0) {
    throw new Error(`interleavingArbitrary: maxOps must be a non-negative integer (got ${maxOps})`);
  }
  const minOps = Math.min(constraints.minOps ?? 0, maxOps);
  if (!Number.isInteger(minOps) || minOps < 0) {
    throw new Error(`interleavingArbitrary: minOps must be a non-negative integer (got ${minOps})`);
  }
  return fc.array(fc.nat(), { minLength: minOps, maxLength: maxOps, size: 'max' });
}

/** What a run produced: the ops applied and the whole trace (`init` first). */
export interface RunOutput {
  ops: Op[];
  events: TraceEvent[];
}

/**
 * Run `choices` against a fresh state of `engine`. `onEvent` sees every event after `init` with its
 * trace index; returning `true` stops the run after the current op (e.g. at a violation).
 */
export function runChoices<S>(
  engine: Engine<S>,
  config: ModelConfig,
  choices: readonly number[],
  weights: Weights = DEFAULT_WEIGHTS,
  onEvent?: (event: TraceEvent, index: number) => boolean | void,
): RunOutput {
  let stop = false;
  const run = startRun(engine, config, {
    onEvent: onEvent && ((ev, i) => {
      if (onEvent(ev, i) === true) stop = true;
    }),
  });
  for (const choice of choices) {
    if (stop || run.choose(choice, weights) === undefined) break;
  }
  return { ops: run.ops, events: run.events };
}

/**
 * Apply a recorded op list to a fresh state of `engine`, checking that each op is enabled when it
 * is applied (throws an error naming the op's index otherwise). Returns the ops as the engine
 * listed them and the trace.
 */
export function replayOps<S>(engine: Engine<S>, config: ModelConfig, ops: readonly Op[]): RunOutput {
  const run = startRun(engine, config);
  ops.forEach((op, i) => run.applyRecorded(op, i));
  return { ops: run.ops, events: run.events };
}
