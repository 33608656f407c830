/**
 * Argument echo: a weight-profile wrapper against *sequence* starvation (docs/search.md "Argument
 * echo", issue 11).
 *
 * Many behaviours need an op whose effect depends on an earlier op *of another kind with the same
 * argument*: a command registered then called, an mm taken by a kthread then put, a task switched to
 * by one path then by another. A profile draws each op independently of what the run did before, so
 * such a pair is as rare as the product of its two ops' probabilities. syzkaller's dynamic choice
 * table (prog/prio.go) answers the same problem for syscalls that share resources; this is its
 * simplest form, read only off op records, as ./swarm.ts reads its features:
 *
 * - an op's *argument values* are its fields but `op` and `cpu` (`cmd=PRIVATE_EXPEDITED`, `mm=mm2`,
 *   `next=T3`, `freedTables=true`, ...), the field and the value whatever the kind;
 * - once an op of kind K has been applied in a run, each of its argument values is *echoed* for every
 *   kind but K: an enabled op of another kind carrying one of them gets its instance weight
 *   multiplied by {@link ECHO}.instance (and its kind boost by {@link ECHO}.kind, 1 by default:
 *   the choice *among* a kind's instances follows the run, the kinds' mix stays the profile's);
 *   bounded: one factor however many values or earlier ops it shares;
 * - progress ops (`step`, `ipi`: ./swarm.ts PROGRESS_KINDS) advance what is already started: they
 *   neither echo nor are echoed;
 * - a weight of 0 stays 0 (the focus rules' holds are kept), and nothing else changes.
 *
 * No op kind, command, path or bug is named: which pairs echo follows from the engine's op records
 * (today `cmd` pairs membarrier with membarrier_register, `mm` the kthread mm ops, `next` schedule with
 * preempt; fields carried by one kind only, such as `via` or `freedTables`, never echo).
 *
 * The run's state lives beside its trace view (a WeakMap keyed by the view, which each run creates
 * afresh), fed from the ops the view has noted (TraceView.opsNoted), so one wrapped profile serves
 * every run, replays of choice lists give the same ops, and fast-check's shrinking stays
 * deterministic.
 */
import type { Op } from '../src/engine/ops';
import { argumentValues } from './swarm';
import type { TraceView } from './trace-view';
import type { Weights } from './weights';

/** The echo multipliers: of an echoed op's instance weight, and of its kind's boost. */
export interface EchoFactors {
  instance: number;
  kind: number;
}

/**
 * The multipliers of the `weighted2-echo` search: instance weight x8, kind boost unchanged. Measured
 * on bench/ipi-funnel.ts (docs/search.md "Argument echo"): a kind factor above 1 took weight from
 * the rest of the run (fewer runs registering anything, fewer IPIs handled inside a window);
 * instance factors 4, 8 and 16 did about the same, 8 a little best.
 */
export const ECHO: EchoFactors = { instance: 8, kind: 1 };

/** An argument value applied by two or more kinds: echoed for every kind. */
const SEVERAL = '';

/** What a run has applied: argument value -> the one kind that applied it (or SEVERAL). */
interface EchoState {
  learned: number;
  values: Map<string, string>;
}

const states = new WeakMap<TraceView, EchoState>();

/** The echo state of the run `view` watches, brought up to date with the ops it has noted. */
function stateOf(view: TraceView): EchoState {
  let s = states.get(view);
  if (s === undefined) states.set(view, (s = { learned: 0, values: new Map() }));
  const ops = view.opsNoted;
  for (; s.learned < ops.length; s.learned++) learn(s, ops[s.learned]);
  return s;
}

function learn(s: EchoState, op: Op): void {
  for (const key of argumentValues(op)) {
    const prev = s.values.get(key);
    if (prev === undefined) s.values.set(key, op.op);
    else if (prev !== op.op && prev !== SEVERAL) s.values.set(key, SEVERAL);
  }
}

/** Whether `op` carries an argument value an op of another kind applied earlier in the run `view` watches. */
export function echoed(op: Op, view: TraceView): boolean {
  const keys = argumentValues(op);
  if (keys.length === 0) return false;
  const values = stateOf(view).values;
  for (const key of keys) {
    const by = values.get(key);
    if (by !== undefined && by !== op.op) return true;
  }
  return false;
}

/** `base` with argument echo: an echoed op's instance weight and kind boost multiplied by `factors`. */
export function echoWeights(base: Weights, factors: EchoFactors = ECHO): Weights {
  const boost = base.boost;
  return {
    kinds: base.kinds,
    fallbackKind: base.fallbackKind,
    instance: (op, view) => {
      const w = base.instance(op, view);
      return w > 0 && echoed(op, view) ? w * factors.instance : w;
    },
    boost:
      factors.kind === 1
        ? boost
        : (op, view) => {
            const b = boost ? boost(op, view) : 1;
            return b > 0 && echoed(op, view) ? b * factors.kind : b;
          },
  };
}
