/**
 * Op alphabets (`explore({ opKinds })`, `lazymm explore --ops`; src/explore/op-kinds.ts): the search
 * is the one an op filter of the same kinds gives, two workers give the same one (counts up to a
 * counterexample included), symmetry reduction keeps its verdict and minimum, and bad alphabets are
 * refused with the entry and the kinds there are.
 */
import { explore, type ExploreOptions } from '../../src/explore/explore';
import { exploreTarget } from '../../src/explore/command';
import { OpKindsError, opKindFilter, parseOpKinds } from '../../src/explore/op-kinds';
import { OP_KINDS } from '../../src/engine/ops';
import { sameWithTwoWorkers } from './workers-same';

const search = (o: ExploreOptions) => {
  const r = explore(o);
  return { result: r.result, states: r.states, transitions: r.transitions, levels: r.levels, ops: r.counterexample?.ops };
};
const correct = { arch: 'x86', strategy: 'refcount', knobs: { membarrierSwitchMmFix: true, syncCoreOnLazySameMmSwitch: true } } as const;
const small = { cpus: 2, procs: 1, threads: 1, kthreads: 0 };

describe('parseOpKinds', () => {
  it('reads a comma-separated list into a sorted alphabet without repeats', () => {
    expect(parseOpKinds('schedule, exec,schedule,exit')).toEqual(['exec', 'exit', 'schedule']);
  });

  it('refuses an unknown kind, naming it and every kind there is', () => {
    expect(() => parseOpKinds('schedule,frob')).toThrow(OpKindsError);
    expect(() => parseOpKinds('schedule,frob')).toThrow(`"frob" is not an op kind (expected a comma-separated list of: ${OP_KINDS.join(', ')})`);
    expect(() => parseOpKinds('')).toThrow('"" is not an op kind');
  });

  it('always lets a started path go on (step)', () => {
    const allowed = opKindFilter(['exec']);
    expect(allowed({ op: 'step', cpu: 0 })).toBe(true);
    expect(allowed({ op: 'exec', cpu: 1 })).toBe(true);
    expect(allowed({ op: 'syscall', cpu: 0 })).toBe(false);
  });
});

describe('explore with an op alphabet', () => {
  it('is the search an op filter of the same kinds gives, and says it is filtered', () => {
    const kinds = ['schedule', 'syscall', 'return_to_user', 'exit'] as const;
    const o: ExploreOptions = { engine: correct, config: small, depth: 6 };
    const byKinds = explore({ ...o, opKinds: kinds });
    expect(search({ ...o, opKinds: kinds })).toEqual(search({ ...o, opFilter: opKindFilter(kinds) }));
    expect([byKinds.filtered, byKinds.opKinds]).toEqual([true, ['exit', 'return_to_user', 'schedule', 'syscall']]);
    expect(byKinds.states).toBeLessThan(explore(o).states);
    expect(explore(o).filtered).toBe(false);
  });

  it('finds a variant\'s minimum in an alphabet that holds its counterexample, and nothing shorter', () => {
    const t = exploreTarget({ arch: 'x86', strategy: 'refcount', variant: 'no-lazy-mmgrab' }, undefined, false);
    const full = explore({ ...t, config: small, depth: 5 });
    expect(full.result).toBe('counterexample');
    const kinds = [...new Set(full.counterexample?.ops.map((op) => op.op))].filter((k) => k !== 'step');
    const r = explore({ ...t, config: small, depth: 5, opKinds: kinds });
    expect(r.counterexample?.ops.length).toBe(full.counterexample?.ops.length);
  });

  it('keeps the verdict and the minimum under symmetry reduction (kinds name no task, mm or CPU)', () => {
    // Two kthreads: the configuration the symmetry group acts on (test/explore/symmetry.test.ts).
    const config = { cpus: 2, procs: 1, threads: 1, kthreads: 2 };
    const kinds = ['schedule', 'syscall', 'return_to_user', 'exit', 'kthread_use_mm', 'kthread_unuse_mm'] as const;
    const t = exploreTarget({ arch: 'x86', strategy: 'refcount', variant: 'no-lazy-mmgrab' }, undefined, false);
    const plain = explore({ ...t, config, depth: 5, opKinds: kinds });
    const sym = explore({ ...t, config, depth: 5, opKinds: kinds, symmetry: true });
    expect(plain.result).toBe('counterexample');
    expect([sym.result, sym.counterexample?.ops.length]).toEqual([plain.result, plain.counterexample?.ops.length]);
    const clean = explore({ engine: correct, config, depth: 4, opKinds: kinds });
    const cleanSym = explore({ engine: correct, config, depth: 4, opKinds: kinds, symmetry: true });
    expect([cleanSym.result, clean.result]).toEqual(['clean', 'clean']);
    expect(cleanSym.states).toBeLessThan(clean.states);
  });

  it('two workers search the same alphabet: the same levels, counts and counterexample', async () => {
    // nmi-reads-active-mm's 7 ops end in `cpu1 nmi`, which the engine lists after cpu0's exit,
    // membarrier, flush_tlb, ... ops: outside the alphabet, so the count of transitions up to the
    // counterexample must be of the alphabet's ops only.
    const t = exploreTarget({ arch: 'x86', strategy: 'refcount', variant: 'nmi-reads-active-mm' }, undefined, false);
    const r = await sameWithTwoWorkers({ ...t, config: small, depth: 7, opKinds: ['syscall', 'fork', 'schedule', 'nmi'] });
    expect([r.filtered, r.result, r.counterexample?.ops.at(-1)]).toEqual([true, 'counterexample', { op: 'nmi', cpu: 1 }]);
  }, 60_000);
});
