/**
 * Settling at op boundaries (ExploreOptions.settleEachOp, default on) is sound: the explorer ends
 * every monitor's atomic step at every op boundary, so states that differ only in which property
 * checks are pending merge, and the verdicts and per-clause minima stay those of the search that
 * settles a step only at the next event of another CPU (`settleEachOp: false`, as a random check's
 * monitors do). Every violating transition is counted (clause-minima.ts), on named variants and on
 * engine mutants whose violations cover refcount-balance's holder checks and tlb-coherence's marked
 * CPUs (the two properties with pending checks). Wider runs: test/explore-long/settle-each-op.test.ts
 * and docs/explore.md "Settling at op boundaries".
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ModelConfig } from '../../src/engine/contract';
import type { EngineSpec } from '../../src/run/types';
import { explore } from '../../src/explore/explore';
import { ENGINE_DIR, fileSites } from '../../src/mutants/enumerate';
import { instancesOf, mutantFactory } from '../../src/mutants/instances';
import { clauseMinima } from './clause-minima';

const CORRECT: EngineSpec = { arch: 'x86', strategy: 'refcount', knobs: { membarrierSwitchMmFix: true, syncCoreOnLazySameMmSwitch: true, syncRunqueuesFreshState: true } };

function mutant(file: string, id: string): { engine: EngineSpec; factory: (s: EngineSpec) => ReturnType<ReturnType<typeof mutantFactory>['createEngine']> } {
  const inst = instancesOf(fileSites(file, fs.readFileSync(path.join(ENGINE_DIR, file), 'utf8'))).find((x) => x.id === id);
  if (!inst) throw new Error(`no mutant ${id}`);
  const f = mutantFactory(inst.site);
  return { engine: inst.engine, factory: (s) => f.createEngine(s) };
}

describe('settling at op boundaries (settleEachOp) is sound', () => {
  it('the correct engine: clean both ways, in fewer states', () => {
    const config: ModelConfig = { cpus: 2, procs: 1, threads: 2, kthreads: 1 };
    const lazy = explore({ engine: CORRECT, config, depth: 4, settleEachOp: false });
    const eager = explore({ engine: CORRECT, config, depth: 4 });
    expect([eager.result, lazy.result]).toEqual(['clean', 'clean']);
    expect(eager.states).toBeLessThan(lazy.states);
    expect(eager.levels.length).toBe(lazy.levels.length);
  });

  const variants: { variant: string; base: EngineSpec; config: ModelConfig; depth: number }[] = [
    { variant: 'no-lazy-mmgrab', base: { arch: 'x86', strategy: 'refcount' }, config: { cpus: 2, procs: 1, threads: 2, kthreads: 0 }, depth: 5 },
    { variant: 'exec-mmap-irqs-on', base: { arch: 'powerpc', strategy: 'shootdown' }, config: { cpus: 2, procs: 1, threads: 1, kthreads: 0 }, depth: 5 },
    { variant: 'single-thread-short-circuits-sync-core', base: { arch: 'x86', strategy: 'refcount' }, config: { cpus: 2, procs: 1, threads: 1, kthreads: 0 }, depth: 7 },
  ];
  it.each(variants)('$variant: every violated clause has the same minimum both ways', ({ variant, base, config, depth }) => {
    const engine: EngineSpec = { ...base, variant };
    const lazy = clauseMinima(engine, config, depth, { settleEachOp: false });
    const eager = clauseMinima(engine, config, depth);
    expect(Object.keys(lazy.min).length).toBeGreaterThan(0);
    expect(eager.min).toEqual(lazy.min);
    expect(eager.transitions).toBeLessThan(lazy.transitions);
  });

  // Mutants (src/mutants) whose violations are the pending checks' own: refcount-balance's holder
  // checks and tlb-coherence's C6.1 / C6.4 (found by the sweep in docs/explore.md).
  const mutants: { file: string; id: string; config: ModelConfig; depth: number; clauses: string[] }[] = [
    { file: 'kernel/sched.ts', id: 'kernel/sched:stepContextSwitch:drop-store:1@arm64/refcount', config: { cpus: 2, procs: 1, threads: 1, kthreads: 0 }, depth: 6, clauses: ['refcount-balance C1.1 stale lazy reference', 'tlb-coherence C6.1 loaded mm is not the active mm'] },
    { file: 'arch/x86.ts', id: 'arch/x86:flushTlbFunc:force-cond:3:true@x86/refcount', config: { cpus: 2, procs: 1, threads: 1, kthreads: 0 }, depth: 5, clauses: ['tlb-coherence C6.4 stale TLB in user mode'] },
    { file: 'kernel/exit.ts', id: 'kernel/exit:stepExitMm:drop-ref:1@x86/refcount', config: { cpus: 2, procs: 1, threads: 1, kthreads: 0 }, depth: 6, clauses: ['refcount-balance C1.1 lazy holder without reference'] },
  ];
  it.each(mutants)('mutant $id: every violated clause has the same minimum both ways', ({ file, id, config, depth, clauses }) => {
    const m = mutant(file, id);
    const lazy = clauseMinima(m.engine, config, depth, { settleEachOp: false, engineFactory: m.factory });
    const eager = clauseMinima(m.engine, config, depth, { engineFactory: m.factory });
    for (const c of clauses) expect(lazy.min[c]).toBeDefined();
    expect(eager.min).toEqual(lazy.min);
    expect(eager.transitions).toBeLessThan(lazy.transitions);
  });
});
