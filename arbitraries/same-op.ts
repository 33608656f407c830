/**
 * Op equality by value. Ops are flat JSON records, but a recorded op (from a fixture file, or built
 * by hand) may list its fields in another order than the engine does, so we compare field by field
 * instead of comparing JSON.stringify() output. A field that is `undefined` counts as absent, as in
 * JSON.
 */
import type { Op } from '../src/engine/ops';

/**
 * Whether `a` and `b` are the same op (same fields with the same values, in any order). Hot: the
 * replays match every recorded op against the enabled ops, so scalar fields are compared with ===
 * and only object fields (a cpumask, a list) through their JSON text.
 */
export function sameOp(a: Op, b: Op): boolean {
  const ra = a as unknown as Record<string, unknown>;
  const rb = b as unknown as Record<string, unknown>;
  let n = 0;
  for (const k in ra) {
    const x = ra[k];
    if (x === undefined) continue;
    n++;
    const y = rb[k];
    if (x === y) continue;
    if (y === undefined || typeof x !== 'object' || typeof y !== 'object' || stringify(x) !== stringify(y)) return false;
  }
  for (const k in rb) if (rb[k] !== undefined) n--;
  return n === 0;
}

// Read once: under jest's vm context every global lookup (JSON) is slow in a hot loop.
const stringify = JSON.stringify;
