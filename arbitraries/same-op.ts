/**
 * Op equality by value. Ops are flat JSON records, but a recorded op (from a fixture file, or built
 * by hand) may list its fields in another order than the engine does, so we compare field by field
 * instead of comparing JSON.stringify() output. A field that is `undefined` counts as absent, as in
 * JSON.
 */
import type { Op } from '../src/engine/ops';

/** Whether `a` and `b` are the same op (same fields with the same values, in any order). */
export function sameOp(a: Op, b: Op): boolean {
  const ra = a as unknown as Record<string, unknown>;
  const rb = b as unknown as Record<string, unknown>;
  const ka = definedKeys(ra);
  const kb = definedKeys(rb);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => rb[k] !== undefined && JSON.stringify(ra[k]) === JSON.stringify(rb[k]));
}

function definedKeys(r: Record<string, unknown>): string[] {
  return Object.keys(r).filter((k) => r[k] !== undefined);
}
