/**
 * How the seed blocks of one campaign row combine (src/cli/campaign/sections.ts combineBlocks,
 * findings-section.ts combineFindingBlocks): numbers add up; a property cell is the first block's
 * FAIL or ERROR; a variant is caught when any block caught it; a finding is reproduced when any
 * block's search reproduced it.
 */
import { combineBlocks, type Row } from '../../src/cli/campaign/sections';
import { combineFindingBlocks, type FindingRow } from '../../src/cli/campaign/findings-section';
import type { Counterexample } from '../../src/run/types';

const cx = (property: string, eventIndex: number): Counterexample & { engine: string } => ({
  engine: 'x86/refcount', config: { cpus: 2, procs: 1, threads: 1, kthreads: 0 }, ops: [], property, clause: 'C1.1 x', eventIndex, message: 'm', seed: 1, path: '0',
});

function row(over: Partial<Row>): Row {
  return {
    id: 'x86/refcount', kind: 'mainline', spec: { arch: 'x86', strategy: 'refcount' },
    cells: { 'refcount-balance': 'ok', 'tlb-coherence': 'ok', 'sync-core-before-usermode': '-' },
    counterexamples: [], runs: 10, opsExecuted: 100, seconds: 1, ok: true, ...over,
  };
}

describe('combineBlocks', () => {
  it('an engine row: sums, the first failing block per property, failed when a block failed', () => {
    const blocks = [
      row({}),
      row({ cells: { 'refcount-balance': 'FAIL@12', 'tlb-coherence': 'ok', 'sync-core-before-usermode': '-' }, counterexamples: [cx('refcount-balance', 12)], ok: false }),
      row({ cells: { 'refcount-balance': 'FAIL@30', 'tlb-coherence': 'FAIL@7', 'sync-core-before-usermode': '-' }, counterexamples: [cx('refcount-balance', 30), cx('tlb-coherence', 7)], ok: false }),
    ];
    const r = combineBlocks(blocks);
    expect(r.cells).toEqual({ 'refcount-balance': 'FAIL@12', 'tlb-coherence': 'FAIL@7', 'sync-core-before-usermode': '-' });
    expect(r.counterexamples.map((c) => [c.property, c.eventIndex])).toEqual([['refcount-balance', 12], ['tlb-coherence', 7]]);
    expect([r.runs, r.opsExecuted, r.seconds, r.ok]).toEqual([30, 300, 3, false]);
    expect(combineBlocks([row({}), row({})]).ok).toBe(true);
    expect(combineBlocks([blocks[1]])).toBe(blocks[1]);
  });

  it('a counterfactual row never fails the campaign', () => {
    const fail = row({ kind: 'counterfactual', cells: { 'refcount-balance': 'FAIL@3', 'tlb-coherence': 'ok', 'sync-core-before-usermode': '-' }, counterexamples: [cx('refcount-balance', 3)] });
    expect(combineBlocks([row({ kind: 'counterfactual' }), fail]).ok).toBe(true);
  });

  it('a variant row: caught when a block caught it (that block shown); else a note with all the runs', () => {
    const variant = { id: 'no-lazy-mmgrab', kind: 'variant' as const, spec: { arch: 'x86' as const, strategy: 'refcount' as const, variant: 'no-lazy-mmgrab' }, checked: ['refcount-balance'] };
    const missed = row({ ...variant, cells: { 'refcount-balance': '.', 'tlb-coherence': '.', 'sync-core-before-usermode': '-' }, ok: false, note: 'not caught in 10 runs' });
    const caught = row({ ...variant, cells: { 'refcount-balance': 'caught', 'tlb-coherence': '.', 'sync-core-before-usermode': '-' }, counterexamples: [cx('refcount-balance', 8)], ok: true });
    const r = combineBlocks([missed, caught, missed]);
    expect([r.ok, r.cells['refcount-balance'], r.runs, r.note]).toEqual([true, 'caught', 30, undefined]);
    expect(r.counterexamples).toHaveLength(1);
    const none = combineBlocks([missed, missed]);
    expect(none.ok).toBe(false);
    expect(none.note).toMatch(/^not caught in 20 runs \(checked: refcount-balance; expected: /);
  });
});

describe('combineFindingBlocks', () => {
  const f = (over: Partial<FindingRow>): FindingRow => ({
    id: 'f', status: 'open-upstream', engine: 'x86/refcount', property: 'p', clause: 'C', search: null, searchReproduced: false,
    runs: 5, opsExecuted: 50, seconds: 0.5, fixture: 'reproduced', withFix: 'passes', reproduced: true, ...over,
  });
  it('reproduced by the search when a block reproduced it; sums', () => {
    const r = combineFindingBlocks([f({}), f({ search: 'p C@9', searchReproduced: true })]);
    expect([r.search, r.searchReproduced, r.runs, r.opsExecuted, r.reproduced]).toEqual(['p C@9', true, 10, 100, true]);
    const other = combineFindingBlocks([f({ fixture: 'missing', reproduced: false }), f({ search: 'q D@3', fixture: 'missing', reproduced: false })]);
    expect([other.search, other.searchReproduced, other.reproduced]).toEqual(['q D@3', false, false]);
  });
});
