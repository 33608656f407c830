import fc from 'fast-check';
import type { ModelConfig } from '../src/engine/contract';
import { interleavingArbitrary, replayOps, runChoices } from './interleaving';
import { modelConfigArbitrary } from './config';
import { createToyEngine } from './test-helpers/toy-engine';
import { UNIFORM_WEIGHTS } from './weights';

const engine = createToyEngine();
const config: ModelConfig = { cpus: 3, procs: 2, threads: 2, kthreads: 1 };

describe('runChoices', () => {
  it('is deterministic: the same choices give the same ops and events', () => {
    fc.assert(
      fc.property(modelConfigArbitrary(), interleavingArbitrary({ maxOps: 60 }), (cfg, choices) => {
        // Arrange / Act
        const a = runChoices(engine, cfg, choices);
        const b = runChoices(engine, cfg, choices);
        // Assert
        expect(b).toEqual(a);
      }),
      { numRuns: 100 },
    );
  });

  it('accepts every choice list: one op per choice while any op is enabled', () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { maxLength: 80 }), (choices) => {
        const out = runChoices(engine, config, choices, UNIFORM_WEIGHTS);
        expect(out.ops).toHaveLength(choices.length); // the toy engine always enables nmi
        expect(out.events[0].k).toBe('init');
      }),
    );
  });

  it('stops when onEvent returns true', () => {
    const out = runChoices(engine, config, [1, 2, 3, 4, 5, 6, 7, 8], undefined, (_ev, i) => i >= 2);
    expect(out.events.length).toBeGreaterThanOrEqual(3);
    expect(out.ops.length).toBeLessThan(8);
  });
});

describe('replayOps', () => {
  it('round-trips: replaying the ops of a run gives the same ops and trace', () => {
    fc.assert(
      fc.property(modelConfigArbitrary(), interleavingArbitrary({ maxOps: 60 }), (cfg, choices) => {
        const run = runChoices(engine, cfg, choices);
        // Recorded ops go through JSON (as in a fixture file), which may reorder nothing but
        // must not matter either way.
        const recorded = JSON.parse(JSON.stringify(run.ops));
        expect(replayOps(engine, cfg, recorded)).toEqual(run);
      }),
      { numRuns: 100 },
    );
  });

  it('accepts the fields of an op in any order', () => {
    const out = replayOps(engine, { cpus: 2, procs: 1, threads: 1, kthreads: 1 }, [
      { next: 'K1', cpu: 1, op: 'schedule' } as never,
    ]);
    expect(out.ops).toEqual([{ op: 'schedule', cpu: 1, next: 'K1' }]);
  });

  it('names the index of an op that is not enabled', () => {
    const ops = runChoices(engine, config, [0, 5, 9, 3]).ops;
    expect(() => replayOps(engine, config, [...ops, { op: 'cpu_down', cpu: 0 }])).toThrow(
      new RegExp(`op ${ops.length} \\(cpu0 cpu_down\\) is not enabled`),
    );
  });
});

describe('interleavingArbitrary', () => {
  it('generates long lists (size "max"), not fast-check 4\'s default small ones', () => {
    const lengths = fc.sample(interleavingArbitrary({ maxOps: 120 }), { numRuns: 200, seed: 42 }).map((c) => c.length);
    expect(Math.max(...lengths)).toBeGreaterThan(100);
    expect(lengths.filter((n) => n > 30).length).toBeGreaterThan(100);
  });

  it('rejects a bad maxOps', () => {
    expect(() => interleavingArbitrary({ maxOps: -1 })).toThrow(/^interleavingArbitrary/);
  });
});
