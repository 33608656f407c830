import fc from 'fast-check';
import { interleavingArbitrary } from './interleaving';
import { LONG_RUN_MAX_OPS, LONG_RUN_MIN_OPS, longRunConstraints } from './long-runs';
import { runCheck } from './check';

describe('weighted2 run lengths', () => {
  it('are 40..160 ops by default, a quarter of --max-ops at least otherwise', () => {
    expect(longRunConstraints()).toEqual({ maxOps: LONG_RUN_MAX_OPS, minOps: LONG_RUN_MIN_OPS });
    expect(longRunConstraints(120)).toEqual({ maxOps: 120, minOps: 30 });
    expect(longRunConstraints(3)).toEqual({ maxOps: 3, minOps: 0 });
  });

  it('draws choice lists within those bounds, the same for the same seed', () => {
    const draw = () => fc.sample(interleavingArbitrary(longRunConstraints()), { seed: 5, numRuns: 40 }).map((c) => c.length);
    const lengths = draw();
    expect(Math.min(...lengths)).toBeGreaterThanOrEqual(40);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(160);
    expect(draw()).toEqual(lengths);
  });

  it('is what check --search weighted2 runs: longer runs than weighted on the same seed', () => {
    const spec = { arch: 'x86', strategy: 'refcount' } as const;
    const long = runCheck({ engine: spec, runs: 4, seed: 7, search: 'weighted2', properties: ['refcount-balance'] });
    const plain = runCheck({ engine: spec, runs: 4, seed: 7, search: 'weighted', properties: ['refcount-balance'] });
    expect(long.result).toBe('pass');
    expect(long.opsExecuted).toBeGreaterThanOrEqual(4 * 40);
    expect(long.opsExecuted).toBeGreaterThan(plain.opsExecuted);
  });
});
