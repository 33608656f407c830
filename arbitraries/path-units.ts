/** The deletion unit of the op-level minimiser (./minimize.ts) and of its moves (./minimize-moves.ts). */
import type { Op } from '../src/engine/ops';

/**
 * The path units of `ops`: each op that is not a `step`, with the steps of its CPU that follow it
 * up to that CPU's next other op. Steps with no such op before them form units of their own.
 */
export function pathUnits(ops: readonly Op[]): number[][] {
  const units: number[][] = [];
  const open = new Map<number, number[]>(); // cpu -> its current unit
  ops.forEach((op, i) => {
    const unit = op.op === 'step' ? open.get(op.cpu) : undefined;
    if (unit) {
      unit.push(i);
      return;
    }
    const fresh = [i];
    units.push(fresh);
    open.set(op.cpu, fresh);
  });
  return units;
}
