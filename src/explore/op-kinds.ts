/**
 * An op-kind alphabet for the explorer (`lazymm explore --ops`): explore only the enabled ops of
 * these kinds, and `step`, which only advances a path an op already started (an allowed op's
 * multi-step kernel path could not end without it).
 *
 * A proof under an alphabet speaks of that alphabet only (ExploreResult.opKinds; `filtered`), but
 * unlike an arbitrary op filter it names no task, mm or CPU, so the filtered graph is closed under
 * renaming and symmetry reduction and worker threads stay available.
 */
import { OP_KINDS, type Op, type OpKind } from '../engine/ops';

/** Why an alphabet was refused: the offending entry and the kinds there are. */
export class OpKindsError extends Error {}

/** `text` (comma-separated kinds, e.g. `schedule,exec,exit`) as a sorted, de-duplicated alphabet. */
export function parseOpKinds(text: string): OpKind[] {
  const known = new Set<string>(OP_KINDS);
  const kinds = text.split(',').map((s) => s.trim());
  for (const k of kinds) {
    if (!known.has(k)) throw new OpKindsError(`"${k}" is not an op kind (expected a comma-separated list of: ${OP_KINDS.join(', ')})`);
  }
  return [...new Set(kinds as OpKind[])].sort();
}

/** The predicate explore() applies: the alphabet plus `step`. */
export function opKindFilter(kinds: readonly OpKind[]): (op: Op) => boolean {
  const allowed = new Set<OpKind>([...kinds, 'step']);
  return (op) => allowed.has(op.op);
}
