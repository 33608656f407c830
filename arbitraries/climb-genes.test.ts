import type { Op } from '../src/engine/ops';
import { argumentNeighbours, cutAfter, isArgGene, mutateArgument, opOfEvent, resolveArgGene, type ClimbGene } from './climb-genes';
import { FeatureRarity } from './feature-rarity';
import { mulberry32 } from '../src/trace-io/generate-trace';

const enabled: Op[] = [
  { op: 'step', cpu: 0 },
  { op: 'membarrier', cpu: 1, cmd: 'PRIVATE_EXPEDITED' },
  { op: 'membarrier', cpu: 1, cmd: 'GLOBAL_EXPEDITED' },
  { op: 'membarrier', cpu: 0, cmd: 'PRIVATE_EXPEDITED' },
  { op: 'membarrier', cpu: 0, cmd: 'GLOBAL_EXPEDITED' },
  { op: 'return_to_user', cpu: 1, via: 'sysret' },
];

describe('argument mutation', () => {
  it('offers the enabled ops of the same kind that differ in exactly one field, the CPU included', () => {
    const rec: Op = { op: 'membarrier', cpu: 1, cmd: 'GLOBAL_EXPEDITED' };
    expect(argumentNeighbours(enabled, rec)).toEqual([
      { op: 'membarrier', cpu: 1, cmd: 'PRIVATE_EXPEDITED' },
      { op: 'membarrier', cpu: 0, cmd: 'GLOBAL_EXPEDITED' },
    ]);
    expect(resolveArgGene(enabled, { arg: rec, pick: 0 })).toEqual({ op: 'membarrier', cpu: 1, cmd: 'PRIVATE_EXPEDITED' });
    expect(resolveArgGene(enabled, { arg: rec, pick: 3 })).toEqual({ op: 'membarrier', cpu: 0, cmd: 'GLOBAL_EXPEDITED' });
  });

  it('falls back to the recorded op when nothing differs in one field, and to nothing when it is not enabled', () => {
    expect(resolveArgGene(enabled, { arg: { op: 'step', cpu: 0 }, pick: 5 })).toEqual({ op: 'step', cpu: 0 });
    expect(resolveArgGene(enabled, { arg: { op: 'exec', cpu: 2 }, pick: 0 })).toBeUndefined();
  });

  it('replaces one recorded op (never a choice) by an argument gene, deterministically for a PRNG', () => {
    const genes = (): ClimbGene[] => [7, { op: 'syscall', cpu: 0 }, 9, { op: 'step', cpu: 1 }];
    const run = (seed: number) => {
      const rnd = mulberry32(seed);
      const g = genes();
      expect(mutateArgument(g, (n) => Math.floor(rnd() * n))).toBe(true);
      return g;
    };
    const g = run(4);
    expect(g).toEqual(run(4));
    expect(g.filter((x) => isArgGene(x))).toHaveLength(1);
    expect(g[0]).toBe(7);
    expect(g[2]).toBe(9);
    expect(mutateArgument([1, 2, 3], () => 0)).toBe(false);
  });
});

describe('cut at a feature', () => {
  const ops: Op[] = [{ op: 'syscall', cpu: 0 }, { op: 'step', cpu: 0 }, { op: 'syscall', cpu: 1 }, { op: 'step', cpu: 1 }];

  it('keeps the run up to the op that reached the feature, then the inserted choices, then (optionally) the rest', () => {
    expect(cutAfter(ops, 1, [5, 6], false)).toEqual([ops[0], ops[1], 5, 6]);
    expect(cutAfter(ops, 1, [5], true)).toEqual([ops[0], ops[1], 5, ops[2], ops[3]]);
  });

  it('finds the op whose events include an event index', () => {
    const opEnds = [3, 3, 7, 9]; // op 1 emitted nothing
    expect(opOfEvent(opEnds, 0)).toBe(0);
    expect(opOfEvent(opEnds, 2)).toBe(0);
    expect(opOfEvent(opEnds, 3)).toBe(2);
    expect(opOfEvent(opEnds, 8)).toBe(3);
  });
});

describe('rarity schedule', () => {
  it('weighs an entry by 1 / runs of each feature it found, updated as runs reach them', () => {
    const r = new FeatureRarity();
    r.count([1, 2, 3]);
    const a = r.addEntry([{ feature: 1, op: 0 }, { feature: 2, op: 3 }]);
    r.count([4]);
    const b = r.addEntry([{ feature: 4, op: 1 }]);
    expect(r.entryWeight([{ feature: 1, op: 0 }, { feature: 2, op: 3 }])).toBe(2);
    r.count([1, 2, 3]);
    r.count([1, 3]);
    expect(r.runs(1)).toBe(3);
    expect(r.entryWeight([{ feature: 1, op: 0 }, { feature: 2, op: 3 }])).toBeCloseTo(1 / 3 + 1 / 2);
    // Entry a (weight 5/6) against b (weight 1): b is drawn for u past 5/11.
    expect(r.drawEntry(0.4)).toBe(a);
    expect(r.drawEntry(0.5)).toBe(b);
    expect(new FeatureRarity().drawEntry(0.5)).toBe(-1);
  });
});
