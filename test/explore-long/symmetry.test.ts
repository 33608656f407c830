/**
 * Symmetry reduction (src/explore/symmetry.ts) is sound: larger cases of
 * test/explore/symmetry.test.ts, too long for `npm test` (`npm run test:explore-long`).
 * - the correct engine: the same verdict, no more states, on configurations with interchangeable
 *   processes, threads and kthreads;
 * - bug variants: the same minimum per violated clause with and without symmetry;
 * - symmetric merges: two merged states, continued by random ops (renamed for the merged one),
 *   give the same verdicts.
 */
import type { EngineSpec } from '../../src/run/types';
import type { ModelConfig } from '../../src/engine/contract';
import { explore } from '../../src/explore/explore';
import { clauseMinima } from '../explore/clause-minima';
import { sampleMerges } from '../explore/merge-check';
import { checkSymmetricMerges } from '../explore/symmetric-merge-check';
import { sameWithTwoWorkers } from '../explore/workers-same';

const CORRECT: EngineSpec = { arch: 'x86', strategy: 'refcount', knobs: { membarrierSwitchMmFix: true, syncCoreOnLazySameMmSwitch: true } };

describe('symmetry reduction is sound: larger cases', () => {
  it.each([
    { config: { cpus: 2, procs: 2, threads: 2, kthreads: 1 }, depth: 5 },
    { config: { cpus: 2, procs: 1, threads: 1, kthreads: 3 }, depth: 5 },
    { config: { cpus: 2, procs: 2, threads: 1, kthreads: 0 }, depth: 6 },
  ])('correct engine on $config.cpus/$config.procs/$config.threads/$config.kthreads depth $depth: clean both ways, no more states', ({ config, depth }) => {
    const plain = explore({ engine: CORRECT, config, depth });
    const sym = explore({ engine: CORRECT, config, depth, symmetry: true });
    expect([sym.result, plain.result]).toEqual(['clean', 'clean']);
    expect(sym.states).toBeLessThanOrEqual(plain.states);
    // Where the boot state has interchangeable objects that stay interchangeable (threads of a process not running at boot, kthreads): fewer.
    if (config.threads > 1 || config.kthreads > 1) expect(sym.states).toBeLessThan(plain.states);
  });

  it.each([
    { variant: 'no-lazy-mmgrab', config: { cpus: 2, procs: 1, threads: 1, kthreads: 2 }, depth: 4 },
    { variant: 'no-lazy-mmgrab', config: { cpus: 2, procs: 2, threads: 2, kthreads: 0 }, depth: 5 },
    { variant: 'nmi-reads-active-mm', config: { cpus: 2, procs: 1, threads: 1, kthreads: 2 }, depth: 5 },
    { variant: 'text-poke-no-leave-mm', config: { cpus: 2, procs: 1, threads: 1, kthreads: 2 }, depth: 6 },
    { variant: 'single-thread-short-circuits-sync-core', config: { cpus: 2, procs: 2, threads: 1, kthreads: 0 }, depth: 6 },
  ])('$variant on $config.cpus/$config.procs/$config.threads/$config.kthreads depth $depth: every violated clause has the same minimum', ({ variant, config, depth }) => {
    const engine: EngineSpec = { arch: 'x86', strategy: 'refcount', variant };
    const plain = clauseMinima(engine, config as ModelConfig, depth);
    const sym = clauseMinima(engine, config as ModelConfig, depth, { symmetry: true });
    expect(sym.min).toEqual(plain.min);
    expect(sym.transitions).toBeLessThanOrEqual(plain.transitions);
  });

  it('two workers: the same search as one (states, transitions, levels, counterexample)', async () => {
    await sameWithTwoWorkers({ engine: CORRECT, config: { cpus: 2, procs: 1, threads: 1, kthreads: 2 }, depth: 4, symmetry: true });
    const r = await sameWithTwoWorkers({ engine: { arch: 'x86', strategy: 'refcount', variant: 'no-lazy-mmgrab' }, config: { cpus: 2, procs: 2, threads: 2, kthreads: 0 }, depth: 5, symmetry: true, differentialBase: null });
    expect([r.result, r.counterexample?.ops.length]).toEqual(['counterexample', 4]);
  });

  it('symmetric merges have the same future under renamed random continuations', () => {
    const cases: { engine: EngineSpec; config: ModelConfig; depth: number }[] = [
      { engine: { arch: 'x86', strategy: 'refcount', variant: 'no-lazy-mmgrab' }, config: { cpus: 2, procs: 2, threads: 2, kthreads: 1 }, depth: 4 },
      { engine: { arch: 'x86', strategy: 'refcount', variant: 'sync-core-skips-caller' }, config: { cpus: 2, procs: 1, threads: 2, kthreads: 2 }, depth: 4 },
      { engine: { arch: 'powerpc', strategy: 'shootdown' }, config: { cpus: 2, procs: 2, threads: 1, kthreads: 2 }, depth: 4 },
    ];
    let violations = 0;
    let renamed = 0;
    for (const c of cases) {
      const { pairs, result: r } = sampleMerges({ ...c, differentialBase: null, stopOnViolation: false, symmetry: true }, 600);
      expect(pairs.length).toBe(600);
      // Only the merges that needed a renaming (the others are equal states: test/explore-long/merge-soundness.test.ts).
      const stats = { runs: 0, violations: 0, renamed: 0 };
      expect(checkSymmetricMerges(c.engine, c.config, r.properties, pairs, 2, 30, 5, stats, true)).toEqual([]);
      expect(stats.renamed).toBeGreaterThan(10);
      violations += stats.violations;
      renamed += stats.renamed;
    }
    expect(renamed).toBeGreaterThan(100);
    expect(violations).toBeGreaterThan(20); // the continuations do reach violations
  });
});
