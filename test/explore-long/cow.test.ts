/**
 * Copy-on-write kernel states and mirror views (issue 15; test/explore/cow.test.ts has the cheap
 * checks): on every arch and strategy, the search with every shared record and view frozen (a
 * write that bypasses Kctx's or the mirror's accessors throws) and every cached hash recomputed
 * (a stale one throws) is the search with whole copies: the same states per level, the same
 * violations and the same first counterexample.
 */
import { listEngines } from '../../src/engine/registry';
import type { EngineSpec } from '../../src/run/types';
import { explore } from '../../src/explore/explore';

describe.each(listEngines().map((e) => [e.id, e] as const))('%s', (_id, e) => {
  it('explores 2/1/2/1 to depth 4 with frozen shared records as with whole copies', () => {
    const base = { engine: { arch: e.arch, strategy: e.strategy } as EngineSpec, config: { cpus: 2, procs: 1, threads: 2, kthreads: 1 }, depth: 4 };
    const cow = explore({ ...base, freezeShared: true, stopOnViolation: false });
    const plain = explore({ ...base, cow: false, stopOnViolation: false });
    expect(cow.levels).toEqual(plain.levels);
    expect(cow.violations).toBe(plain.violations);
    expect(cow.counterexample?.ops).toEqual(plain.counterexample?.ops);
  });
});
