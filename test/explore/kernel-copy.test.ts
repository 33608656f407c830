/**
 * copyKernelState (src/explore/kernel-copy.ts), the explorer's shape-aware copy of a kernel state:
 * on states reached by random runs of every engine and variant (and x86 with INVLPGB's ASID
 * transition, whose knobs add fields), the copy writes the same JSON text as the state (key order
 * included) and shares no array or object with it (so the engine's writes to a child never reach
 * its parent).
 */
import { createEngine, listEngines } from '../../src/engine/registry';
import { VARIANTS } from '../../src/engine/variants';
import type { KernelState } from '../../src/engine/state';
import type { EngineSpec } from '../../src/run/types';
import { copyKernelState } from '../../src/explore/kernel-copy';
import { mulberry32 } from '../../src/trace-io/generate-trace';

/** Every array or object reachable from `v`. */
function containers(v: unknown, out: Set<object>): Set<object> {
  if (typeof v !== 'object' || v === null) return out;
  out.add(v);
  for (const x of Object.values(v)) containers(x, out);
  return out;
}

const specs: EngineSpec[] = [
  ...listEngines().map((e) => ({ arch: e.arch, strategy: e.strategy }) as EngineSpec),
  ...VARIANTS.map((v) => ({ arch: v.base.arch, strategy: v.base.strategy, variant: v.id }) as EngineSpec),
  { arch: 'x86', strategy: 'refcount', knobs: { invlpgb: true, asidTransition: true, membarrierSwitchMmFix: true } },
];

test('copyKernelState: same JSON text, no shared array or object, on random runs of every engine', () => {
  const rnd = mulberry32(15);
  let checked = 0;
  for (const spec of specs) {
    const engine = createEngine(spec);
    for (let run = 0; run < 1; run++) {
      const s: KernelState = engine.init({ cpus: 5, procs: 2, threads: 2, kthreads: 1 }).state;
      for (let i = 0; i < 48; i++) {
        const c = copyKernelState(s);
        if (i % 4 !== 3) {
          const en = engine.enabled(s);
          if (en.length === 0) break;
          engine.apply(s, en[Math.floor(rnd() * en.length)]);
          continue;
        }
        expect(JSON.stringify(c)).toBe(JSON.stringify(s));
        const mine = containers(s, new Set());
        for (const o of containers(c, new Set())) expect(mine.has(o)).toBe(false);
        checked++;
        const en = engine.enabled(s);
        if (en.length === 0) break;
        engine.apply(s, en[Math.floor(rnd() * en.length)]);
      }
    }
  }
  expect(checked).toBeGreaterThan(200);
});
