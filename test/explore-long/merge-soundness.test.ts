/**
 * Is merging states sound? The state key (src/explore/canonical.ts, monitor.ts and every property's
 * MirrorHooks.key()) must cover everything that can change a future verdict. Two checks:
 * - merge vs tree: the search with merging finds the same minimum per violated clause as the plain
 *   tree of interleavings. single-thread-short-circuits-sync-core is the case that needs the
 *   properties' own state (sync-core's floors): a key of the kernel state and the trace mirror alone merges the
 *   state after the short-circuited SYNC_CORE call with one before it, and misses the 6-op
 *   counterexample (measured while building the explorer; docs/explore.md).
 * - merged pairs: states the search merged, continued by the same weighted random ops, give the
 *   same verdict (property, clause, op) and enable the same ops.
 */
import type { EngineSpec } from '../../src/run/types';
import type { ModelConfig } from '../../src/engine/contract';
import { explore } from '../../src/explore/explore';
import { clauseMinima } from '../explore/clause-minima';
import { checkMerges, sampleMerges } from '../explore/merge-check';

const minima = (engine: EngineSpec, config: ModelConfig, depth: number, merge: boolean, properties?: string[]): Record<string, number> =>
  clauseMinima(engine, config, depth, { merge, properties }).min;

describe('state merging is sound', () => {
  it('merged search finds the 7-op minimum and nothing shorter (SYNC_CORE short-circuit variant)', () => {
    const engine = { arch: 'x86', strategy: 'refcount', variant: 'single-thread-short-circuits-sync-core' } as const;
    const config = { cpus: 2, procs: 1, threads: 1, kthreads: 0 };
    // The minimum is 7 ops since issue 12 item 6 (a single-user registration tests mm_users and writes
    // the runqueue in two steps). The tree search took 143 s at depth 7 (measured once: it finds the
    // same 7-op C3.1 minimum), and with the merged search 99 s at depth 6 on a loaded machine, where
    // both find nothing: too long for this suite. Here the merged search, breadth-first to depth 7, finds
    // the 7-op minimum (breadth-first: every interleaving of up to 6 ops was clean first, as
    // depthReached says); the next test compares the two searches on other variants.
    const opts = { engine, config, depth: 7, properties: ['sync-core-before-usermode'], differentialBase: null };
    const merged = explore(opts);
    expect(merged.depthReached).toBe(6);
    expect(merged.counterexample?.violation.clause).toBe('C3.1 user entry without core serialization');
    expect(merged.counterexample?.ops.length).toBe(7);
  });

  it('merge and tree search agree on the minimum of every clause of every property (refcount and NMI variants)', () => {
    const cases = [
      { variant: 'no-lazy-mmgrab', config: { cpus: 2, procs: 1, threads: 1, kthreads: 0 }, depth: 5 },
      { variant: 'nmi-reads-active-mm', config: { cpus: 2, procs: 1, threads: 1, kthreads: 1 }, depth: 4 },
    ];
    for (const c of cases) {
      const engine = { arch: 'x86', strategy: 'refcount', variant: c.variant } as const;
      const merged = minima(engine, c.config, c.depth, true);
      expect(Object.keys(merged).length).toBeGreaterThan(0);
      expect(minima(engine, c.config, c.depth, false)).toEqual(merged);
    }
  });

  it('merged states have the same future under random continuations', () => {
    const cases: { engine: EngineSpec; config: ModelConfig; depth: number }[] = [
      { engine: { arch: 'x86', strategy: 'refcount', variant: 'no-lazy-mmgrab' }, config: { cpus: 2, procs: 1, threads: 2, kthreads: 1 }, depth: 5 },
      { engine: { arch: 'x86', strategy: 'refcount', variant: 'sync-core-skips-caller' }, config: { cpus: 2, procs: 1, threads: 2, kthreads: 0 }, depth: 5 },
      { engine: { arch: 'powerpc', strategy: 'shootdown' }, config: { cpus: 2, procs: 1, threads: 1, kthreads: 1 }, depth: 5 },
    ];
    let violations = 0;
    for (const c of cases) {
      const { pairs, result: r } = sampleMerges({ ...c, differentialBase: null, stopOnViolation: false }, 100);
      expect(pairs.length).toBe(100);
      const stats = { runs: 0, violations: 0 };
      expect(checkMerges(c.engine, c.config, r.properties, pairs, 2, 30, 5, stats)).toEqual([]);
      violations += stats.violations;
    }
    expect(violations).toBeGreaterThan(20); // the continuations do reach violations
  });
});
