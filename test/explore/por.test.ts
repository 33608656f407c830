/**
 * Partial-order reduction (sleep sets, src/explore/sleep-sets.ts) is sound: on small
 * configurations the reduced search gives the verdicts, the per-clause minima and the shortest
 * counterexample of the unreduced one, with strictly fewer transitions. Sleep sets prune
 * transitions, not states: every state is still reached, at the same depth (the per-level counts
 * are equal), which is what keeps the BFS minimum. The larger cases run in `npm run test:explore-long`
 * (test/explore-long/por.test.ts).
 */
import type { EngineSpec } from '../../src/run/types';
import type { ModelConfig } from '../../src/engine/contract';
import { explore } from '../../src/explore/explore';
import { clauseMinima, type ClauseMinima } from './clause-minima';

const CORRECT: EngineSpec = { arch: 'x86', strategy: 'refcount', knobs: { membarrierSwitchMmFix: true, syncCoreOnLazySameMmSwitch: true } };

const minima = (engine: EngineSpec, config: ModelConfig, depth: number, por: boolean): ClauseMinima => clauseMinima(engine, config, depth, { por });

describe('partial-order reduction (sleep sets) is sound', () => {
  it('a bug that needs two CPUs interleaving (nmi-reads-active-mm, 2/1/1/0): the same 7-op minimum as the unreduced search', () => {
    // Unreduced figures pinned in test/explore/equivalence.test.ts: a 7-op counterexample after
    // every interleaving of up to 6 ops was clean, 2385 states, 8016 transitions.
    const r = explore({
      engine: { arch: 'x86', strategy: 'refcount', variant: 'nmi-reads-active-mm' },
      config: { cpus: 2, procs: 1, threads: 1, kthreads: 0 },
      depth: 7,
      properties: ['no-lazy-use-after-free'],
      por: true,
    });
    expect([r.result, r.counterexample?.ops.length, r.counterexample?.violation.clause, r.depthReached]).toEqual(['counterexample', 7, 'C2.4 NMI dereferenced a NULL active_mm', 6]);
    expect(new Set(r.counterexample?.ops.map((o) => o.cpu))).toEqual(new Set([0, 1]));
    expect(r.states).toBe(2385);
    expect(r.transitions).toBeLessThan(8016);
  });

  it('every violated clause has the same minimum with and without it (every violating transition counted)', () => {
    const cases: { variant: string; config: ModelConfig; depth: number }[] = [
      { variant: 'no-lazy-mmgrab', config: { cpus: 2, procs: 1, threads: 1, kthreads: 0 }, depth: 4 },
    ];
    for (const c of cases) {
      const engine: EngineSpec = { arch: 'x86', strategy: 'refcount', variant: c.variant };
      const plain = minima(engine, c.config, c.depth, false);
      const por = minima(engine, c.config, c.depth, true);
      expect(Object.keys(plain.min).length).toBeGreaterThan(0);
      expect(por.min).toEqual(plain.min);
      expect(por.transitions).toBeLessThan(plain.transitions);
    }
  });
});
