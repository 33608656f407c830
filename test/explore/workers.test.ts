/**
 * `explore` on two worker threads (src/explore/parallel.ts) against explore() on one: the same
 * result kind, the same states and transitions per level, the same counterexample (ops and
 * violation), for a correct engine and two named variants; and the shared visited set's priority
 * race on its own. Longer comparisons: test/explore-long/workers.test.ts.
 */
import type { ExploreOptions } from '../../src/explore/explore';
import { exploreTarget } from '../../src/explore/command';
import { exploreWorkers } from '../../src/explore/parallel';
import { Claim, SharedVisitedSet, priority, priorityParts } from '../../src/explore/shared-visited';

import { sameWithTwoWorkers } from './workers-same';

describe('SharedVisitedSet', () => {
  it('keeps the least priority whatever the order of claims, and says who wrote the key', () => {
    const t = SharedVisitedSet.allocate(1 << 16);
    expect(t.claim(7, 9, priority(2, 5, 1))).toBe(Claim.New);
    expect(t.fresh).toBe(true);
    const slot = t.slot;
    expect(t.claim(7, 9, priority(2, 3, 0))).toBe(Claim.Lowered);
    expect(t.fresh).toBe(false);
    expect(t.claim(7, 9, priority(2, 4, 2))).toBe(Claim.Merged);
    expect(t.slot).toBe(slot);
    expect(t.holds(slot, priority(2, 3, 0))).toBe(true);
    expect(t.holds(slot, priority(2, 5, 1))).toBe(false);
    // A state of an earlier level is never taken over.
    expect(t.claim(1, 2, priority(1, 0, 3))).toBe(Claim.New);
    expect(t.claim(1, 2, priority(2, 0, 0))).toBe(Claim.Merged);
    expect(priorityParts(priority(2, 3, 0))).toEqual({ pos: 3, k: 0 });
    // Rebuilding drops the level being built and keeps the others where claim() finds them.
    const r = t.rebuilt(1 << 17, priority(1, 0, 0) + 5n);
    expect(r.countBelow(priority(3, 0, 0))).toBe(1);
    expect(r.claim(1, 2, priority(2, 0, 0))).toBe(Claim.Merged);
    expect(r.claim(7, 9, priority(2, 9, 0))).toBe(Claim.New);
  });
});

describe('explore with two workers', () => {
  // One comparison here (starting the threads costs ~2 s on a loaded machine, ~10 s the first time
  // after the sources change: the transpile cache, src/explore/worker-script.ts); the others are in
  // test/explore-long/workers.test.ts.
  it('no-lazy-mmgrab as `lazymm explore --variant` explores it: the same 4-op counterexample', async () => {
    const t = exploreTarget({ arch: 'x86', strategy: 'refcount', variant: 'no-lazy-mmgrab' }, undefined, false);
    const r = await sameWithTwoWorkers({ ...t, config: { cpus: 2, procs: 1, threads: 1, kthreads: 0 }, depth: 5 });
    expect([r.result, r.counterexample?.ops.length]).toEqual(['counterexample', 4]);
  });

  it('refuses what needs one search (POR, callbacks)', async () => {
    const o: ExploreOptions = { engine: { arch: 'x86', strategy: 'refcount' }, config: { cpus: 2, procs: 1, threads: 1, kthreads: 0 }, depth: 2 };
    await expect(exploreWorkers({ ...o, por: true }, 2)).rejects.toThrow('explore: por is not supported with more than one worker');
    await expect(exploreWorkers({ ...o, onMerge: () => undefined }, 2)).rejects.toThrow('onMerge');
  });
});
