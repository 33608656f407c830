/**
 * Bounded exhaustive search (src/explore): a proof of absence at a bound for the correct engine,
 * the BFS minimum for a variant (checked against the plain tree of interleavings), determinism.
 */
import { explore } from '../../src/explore/explore';
import { shortestCounterexample, toFixture } from '../../src/explore/minimum';
import { replayMonitored } from '../../arbitraries';
import { createEngine } from '../../src/engine/registry';
import { createTraceChecker, propertyById } from '../../properties';
import { validateFixture } from '../../src/fixtures/fixture';
import { variantCheckEngines } from '../../arbitraries/variant-check';

/** The x86/refcount engine with the proposed fixes of the two open findings (src/findings.ts). */
const CORRECT = { arch: 'x86', strategy: 'refcount', knobs: { membarrierSwitchMmFix: true, syncCoreOnLazySameMmSwitch: true } } as const;

describe('explore: correct engine', () => {
  it('x86/refcount with the findings fixed is clean on 2 CPUs, 2 processes of 2 threads, 1 kthread to depth 5', () => {
    const r = explore({ engine: CORRECT, config: { cpus: 2, procs: 2, threads: 2, kthreads: 1 }, depth: 5 });
    expect(r.result).toBe('clean');
    expect(r.depthReached).toBe(5);
    expect(r.warnings).toEqual([]);
    expect(r.properties).toEqual(['refcount-balance', 'no-lazy-use-after-free', 'sync-core-before-usermode', 'membarrier-ordering', 'tlb-coherence']);
    // Merging states pays: far fewer distinct states than transitions.
    expect(r.states).toBeGreaterThan(1000);
    expect(r.transitions).toBeGreaterThan(2 * r.states);
    expect(r.levels.map((l) => l.depth)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(r.levels.reduce((n, l) => n + l.states, 0)).toBe(r.states);
  });

  it('the mainline engine is clean too at a small bound (its findings need longer interleavings)', () => {
    const r = explore({ engine: { arch: 'x86', strategy: 'refcount' }, config: { cpus: 2, procs: 1, threads: 1, kthreads: 0 }, depth: 6 });
    expect(r.result).toBe('clean');
  });
});

describe('explore: variant no-lazy-mmgrab', () => {
  const config = { cpus: 2, procs: 1, threads: 1, kthreads: 0 };
  const { engine, differentialBase } = variantCheckEngines('no-lazy-mmgrab');

  it('finds the shortest counterexample, and no shorter interleaving violates anything (tree search)', () => {
    const { found, search } = shortestCounterexample(engine, config, 8, 'refcount-balance', { differentialBase });
    expect(search.result).toBe('counterexample');
    expect(found).not.toBeNull();
    if (!found) return;
    expect(found.violation).toMatchObject({ property: 'refcount-balance', clause: 'C1.1 lazy holder without reference' });
    expect(found.ops.map((o) => o.op)).toEqual(['preempt', 'step', 'step', 'step']);
    expect(search.depthReached).toBe(found.ops.length - 1);
    // Ground truth without state merging: every interleaving one op shorter is clean...
    const tree = explore({ engine, config, depth: found.ops.length - 1, properties: ['refcount-balance'], differentialBase, merge: false });
    expect(tree.result).toBe('clean');
    // ...and the tree search finds a counterexample of the same length.
    const tree2 = explore({ engine, config, depth: found.ops.length, properties: ['refcount-balance'], differentialBase, merge: false });
    expect(tree2.counterexample?.ops.length).toBe(found.ops.length);
    // The ops replay to the same violation, at the same event, and the base engine does not share it.
    const prop = [propertyById('refcount-balance')!];
    const out = replayMonitored(createEngine(engine), config, found.ops, (init) => createTraceChecker(init, prop));
    expect(out.violation).toMatchObject({ property: 'refcount-balance', clause: found.violation.clause, index: found.violation.index });
    const base = replayMonitored(createEngine(differentialBase), config, found.ops, (init) => createTraceChecker(init, prop));
    expect(base.violation).toBeNull();
  });

  it('is deterministic: the same options give the same search and counterexample', () => {
    const run = () => {
      const r = explore({ engine, config, depth: 8, differentialBase });
      return { result: r.result, states: r.states, transitions: r.transitions, levels: r.levels, cx: r.counterexample };
    };
    expect(run()).toEqual(run());
  });

  it('records the minimum as a valid fixture (seed 0, path "")', () => {
    const { found } = shortestCounterexample(engine, config, 8, 'refcount-balance', { differentialBase });
    const f = toFixture(engine, config, found!, { argv: ['explore', '--variant', 'no-lazy-mmgrab'], now: new Date('2026-01-01T00:00:00Z') });
    expect(validateFixture(f)).toEqual(expect.objectContaining({ ok: true }));
    expect(f).toMatchObject({
      status: 'caught-variant',
      expect: { property: 'refcount-balance', clause: 'C1.1 lazy holder without reference', eventIndex: found!.violation.index },
      provenance: { seed: 0, path: '', command: 'lazymm explore --variant no-lazy-mmgrab', fastCheckVersion: expect.stringMatching(/^\d+\.\d+\.\d+$/) },
    });
    expect(f.name).toMatch(/exhaustive minimum$/);
  });

  it('stops at maxStates with result truncated (not a proof)', () => {
    const r = explore({ engine: CORRECT, config, depth: 20, maxStates: 500 });
    expect(r.result).toBe('truncated');
    expect(r.states).toBe(500);
    expect(r.depthReached).toBeLessThan(20);
  });
});
