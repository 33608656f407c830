import fc from 'fast-check';
import { modelConfigArbitrary, resolveModelConfigConstraints } from './config';

describe('modelConfigArbitrary', () => {
  it('stays within the documented defaults', () => {
    fc.assert(
      fc.property(modelConfigArbitrary(), (c) => {
        expect(c.cpus).toBeGreaterThanOrEqual(2);
        expect(c.cpus).toBeLessThanOrEqual(4);
        expect(c.procs).toBeGreaterThanOrEqual(1);
        expect(c.procs).toBeLessThanOrEqual(2);
        expect(c.threads).toBeGreaterThanOrEqual(1);
        expect(c.threads).toBeLessThanOrEqual(3);
        expect(c.kthreads).toBeGreaterThanOrEqual(0);
        expect(c.kthreads).toBeLessThanOrEqual(2);
      }),
    );
  });

  it('honours constraints', () => {
    fc.assert(
      fc.property(modelConfigArbitrary({ minCpus: 4, maxCpus: 4, maxKthreads: 0 }), (c) => {
        expect(c.cpus).toBe(4);
        expect(c.kthreads).toBe(0);
      }),
    );
  });

  it('rejects bounds outside ModelConfig limits or in the wrong order', () => {
    expect(() => resolveModelConfigConstraints({ maxCpus: 9 })).toThrow(/^modelConfigArbitrary: cpus/);
    expect(() => resolveModelConfigConstraints({ minThreads: 3, maxThreads: 2 })).toThrow(/threads/);
    expect(resolveModelConfigConstraints({ maxCpus: undefined }).maxCpus).toBe(4);
  });
});
