/**
 * Partial-order reduction (sleep sets, src/explore/sleep-sets.ts) is sound: on small
 * configurations the reduced search gives the verdicts, the per-clause minima and the shortest
 * counterexample of the unreduced one, with strictly fewer transitions. Sleep sets prune
 * transitions, not states: every state is still reached, at the same depth (the per-level counts
 * are equal), which is what keeps the BFS minimum. The larger cases of test/explore/por.test.ts,
 * too long for `npm test`: `npm run test:explore-long`.
 */
import type { EngineSpec } from '../../src/run/types';
import type { ModelConfig } from '../../src/engine/contract';
import { explore } from '../../src/explore/explore';
import { clauseMinima, type ClauseMinima } from '../explore/clause-minima';

const CORRECT: EngineSpec = { arch: 'x86', strategy: 'refcount', knobs: { membarrierSwitchMmFix: true, syncCoreOnLazySameMmSwitch: true } };

const minima = (engine: EngineSpec, config: ModelConfig, depth: number, por: boolean): ClauseMinima => clauseMinima(engine, config, depth, { por });

describe('partial-order reduction (sleep sets) is sound: larger cases', () => {
  it('correct engine, 2 CPUs / 1 process of 2 threads / 1 kthread, depth 4: clean, the same states per level, fewer transitions', () => {
    const config = { cpus: 2, procs: 1, threads: 2, kthreads: 1 };
    const plain = explore({ engine: CORRECT, config, depth: 4 });
    const por = explore({ engine: CORRECT, config, depth: 4, por: true });
    expect([por.result, plain.result]).toEqual(['clean', 'clean']);
    expect(por.levels.map((l) => l.states)).toEqual(plain.levels.map((l) => l.states));
    expect(por.transitions).toBeLessThan(plain.transitions);
    expect(por.por?.pruned).toBe(plain.transitions - por.transitions);
    expect(por.por?.independent).toBeGreaterThan(0);
    expect(plain.por).toBeUndefined();
  });

  it('every violated clause has the same minimum with and without it (every violating transition counted)', () => {
    const cases: { variant: string; config: ModelConfig; depth: number }[] = [
      { variant: 'no-lazy-mmgrab', config: { cpus: 2, procs: 1, threads: 2, kthreads: 0 }, depth: 5 },
      { variant: 'nmi-reads-active-mm', config: { cpus: 2, procs: 1, threads: 1, kthreads: 1 }, depth: 4 },
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
