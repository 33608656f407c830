/**
 * Mapping one choice (a non-negative integer) to one enabled op.
 *
 * Any integer maps to some enabled op, so every choice list is valid in every state: fast-check
 * never has to discard a run, and shrinking (dropping or lowering choices) keeps sequences valid.
 * The kind is `choice mod (sum of kind weights)` (each kind's weight multiplied by its largest
 * boost, see Weights.boost; a kind whose instances all weigh 0 weighs 0); the instance uses a hash of the choice, because
 * fast-check biases integers towards small values and `floor(choice / total)` would then almost
 * always pick the first instance (CPU 0, the first task).
 */
import { OP_KINDS, type Op, type OpKind } from '../src/engine/ops';
import type { TraceView } from './trace-view';
import type { Weights } from './weights';

const KIND_ORDER = new Map<string, number>(OP_KINDS.map((k, i) => [k, i]));

/** The op `choice` selects among `enabled` (non-empty), or undefined when `enabled` is empty. */
export function pickOp(enabled: readonly Op[], choice: number, weights: Weights, view: TraceView): Op | undefined {
  if (enabled.length === 0) return undefined;
  choice = normaliseChoice(choice);
  const groups = groupByKind(enabled, weights, view);
  const kindTotal = groups.reduce((sum, g) => sum + g.weight, 0);
  if (kindTotal === 0) return enabled[mix(choice) % enabled.length]; // all weights 0: stay valid
  if (onlyReadOnly(groups)) {
    // The weights leave nothing but ops that change no state (NMIs, page walks) while others are
    // enabled: a run would spin there forever. Pick uniformly among the others instead.
    const others = enabled.filter((op) => !READ_ONLY.has(op.op));
    if (others.length > 0) return others[mix(choice) % others.length];
  }
  let r = choice % kindTotal;
  let group = groups[0];
  for (const g of groups) {
    if (r < g.weight) {
      group = g;
      break;
    }
    r -= g.weight;
  }
  const instTotal = group.instanceTotal;
  if (instTotal === 0) return group.ops[mix(choice) % group.ops.length];
  let s = mix(choice) % instTotal;
  for (let i = 0; i < group.ops.length; i++) {
    if (s < group.instanceWeights[i]) return group.ops[i];
    s -= group.instanceWeights[i];
  }
  return group.ops[group.ops.length - 1];
}

/** Op kinds that only read the machine (their events change no state a later op depends on). */
const READ_ONLY: ReadonlySet<string> = new Set(['nmi', 'hw_walk']);

/** Whether every kind with a positive weight is read-only. */
function onlyReadOnly(groups: readonly KindGroup[]): boolean {
  for (const g of groups) if (g.weight > 0 && !READ_ONLY.has(g.kind)) return false;
  return true;
}

interface KindGroup {
  kind: OpKind;
  weight: number;
  /** The largest boost of the group's instances (multiplies `weight`). */
  boost: number;
  ops: Op[];
  instanceWeights: number[];
  /** Sum of `instanceWeights`: a kind whose instances all weigh 0 is not chosen (unless nothing is). */
  instanceTotal: number;
}

/**
 * Enabled ops grouped by kind, in OP_KINDS order (unknown kinds last, in order of appearance),
 * keeping the engine's order within a kind. Runs once per op of every run: no sorting, no Map
 * lookups per op beyond the kind's rank.
 */
function groupByKind(enabled: readonly Op[], weights: Weights, view: TraceView): KindGroup[] {
  const known: (KindGroup | undefined)[] = new Array(OP_KINDS.length);
  const unknown: KindGroup[] = [];
  for (const op of enabled) {
    const rank = KIND_ORDER.get(op.op);
    let g = rank === undefined ? unknown.find((u) => u.kind === op.op) : known[rank];
    if (!g) {
      g = { kind: op.op, weight: kindWeight(op.op, weights), boost: weights.boost ? 0 : 1, ops: [], instanceWeights: [], instanceTotal: 0 };
      if (rank === undefined) unknown.push(g);
      else known[rank] = g;
    }
    g.ops.push(op);
    const w = nonNegativeInt(weights.instance(op, view));
    g.instanceWeights.push(w);
    g.instanceTotal += w;
    if (weights.boost) {
      const b = nonNegativeInt(weights.boost(op, view));
      if (b > g.boost) g.boost = b;
    }
  }
  const groups: KindGroup[] = [];
  for (const g of known) if (g) groups.push(g);
  for (const g of unknown) groups.push(g);
  for (const g of groups) g.weight = g.instanceTotal === 0 ? 0 : g.weight * g.boost;
  return groups;
}

function kindWeight(kind: OpKind, weights: Weights): number {
  return nonNegativeInt(weights.kinds[kind] ?? weights.fallbackKind);
}

// The helpers below avoid Number.* and Math.* on purpose: this is the hottest code of a campaign,
// and under jest (a vm context) every global lookup there cost more than the engine step itself.

const MAX_WEIGHT = 0x7fffffff;

/** Choices come from fast-check (non-negative safe integers) or from hand-written lists: accept any number. */
function normaliseChoice(choice: number): number {
  const c = choice < 0 ? -choice : choice;
  return c < 9007199254740992 ? c - (c % 1) : 0; // NaN and Infinity fail the test: 0
}

/** A weight as a non-negative integer (NaN and negatives: 0; capped at 2^31 - 1). */
function nonNegativeInt(w: number): number {
  if (!(w >= 1)) return 0;
  return w >= MAX_WEIGHT ? MAX_WEIGHT : w | 0;
}

const imul = Math.imul;

/** A 32-bit integer hash (murmur3's finaliser): spreads small choices over all instances. */
function mix(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
