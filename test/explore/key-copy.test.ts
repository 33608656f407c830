/**
 * The kernel state's key is a function of the state's value, not of how its objects are shared:
 * the engine may alias two fields (an x86 flush frame's `sent` becomes its `waitIpis`), and a copy
 * (cloneJson, as the explorer makes for every transition) breaks the aliasing. A state fresh from
 * engine.apply and its copy must get the same key, or the search counts one state twice and the
 * partial-order reduction, which compares copies, disagrees with it (found that way: docs/explore.md).
 */
import { createEngine } from '../../src/engine/registry';
import { cloneJson, kernelFingerprint, newRenamings } from '../../src/explore/canonical';
import { mulberry32 } from '../../src/trace-io/generate-trace';

describe('kernel state key', () => {
  it('is the same for a state fresh from apply() and for its copy (random runs, x86 with flushes)', () => {
    const engine = createEngine({ arch: 'x86', strategy: 'refcount' });
    const rnd = mulberry32(15);
    let compared = 0;
    let flushWaits = 0;
    for (let run = 0; run < 15; run++) {
      let s = engine.init({ cpus: 3, procs: 1, threads: 3, kthreads: 0 }).state;
      for (let i = 0; i < 40; i++) {
        const ops = engine.enabled(s);
        if (ops.length === 0) break;
        // Flushes first, often: they are what aliases sent and waitIpis.
        const flushes = ops.filter((o) => o.op === 'flush_tlb' || o.op === 'step');
        const pool = flushes.length > 0 && rnd() < 0.6 ? flushes : ops;
        const fresh = cloneJson(s);
        engine.apply(fresh, pool[Math.floor(rnd() * pool.length)]);
        const next = cloneJson(fresh);
        if (Object.values(fresh.tasks).some((t) => t.frames.some((f) => f.sent !== undefined && f.sent === f.waitIpis && f.sent.length > 0))) flushWaits++;
        const copy = cloneJson(fresh);
        expect(kernelFingerprint(fresh, newRenamings())).toBe(kernelFingerprint(copy, newRenamings()));
        compared++;
        s = next;
      }
    }
    expect(compared).toBeGreaterThan(400);
    expect(flushWaits).toBeGreaterThan(5);
  });
});
