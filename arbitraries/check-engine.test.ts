import type { ModelConfig } from '../src/engine/contract';
import type { CheckResult } from '../src/run/types';
import { checkEngine } from './check-engine';
import { replayMonitored } from './monitored-run';
import { deriveSeed } from './seed';
import { createToyEngine } from './test-helpers/toy-engine';
import { alwaysHolds, atMostNmis, oneSchedulerAtATime } from './test-helpers/toy-checker';

const engine = createToyEngine();
const withoutSeconds = (r: CheckResult) => ({ ...r, seconds: 0 });

describe('checkEngine', () => {
  it('passes a property that holds, counting runs and ops', () => {
    const r = checkEngine({ engine, makeChecker: alwaysHolds, propertyIds: ['toy-always'], runs: 50 });
    expect(r).toMatchObject({ engine: 'toy/refcount', properties: ['toy-always'], runs: 50, result: 'pass' });
    expect(r.counterexample).toBeUndefined();
    expect(r.opsExecuted).toBeGreaterThan(50 * 30); // size 'max': runs are long
  });

  it('shrinks a deliberately broken property to a short counterexample that replays', () => {
    // Act
    const r = checkEngine({ engine, makeChecker: oneSchedulerAtATime, propertyIds: ['toy-one-scheduler'] });
    // Assert
    expect(r.result).toBe('fail');
    const cx = r.counterexample!;
    expect(cx).toMatchObject({ property: 'toy-one-scheduler', clause: 'T1 two CPUs in __schedule' });
    expect(cx.ops.length).toBeLessThanOrEqual(3);
    expect(cx.ops.filter((op) => op.op === 'schedule')).toHaveLength(2);
    expect(cx.config).toMatchObject({ cpus: 2 }); // the config shrinks too
    expect(cx.path).toMatch(/^\d+(:\d+)*$/);
    expect(cx.seed).toBe(deriveSeed('toy/refcount'));
    const replay = replayMonitored(engine, cx.config, cx.ops, oneSchedulerAtATime);
    expect(replay.violation).toMatchObject({ property: cx.property, index: cx.eventIndex });
  });

  it('is reproducible: same options, same result apart from seconds', () => {
    const opts = { engine, makeChecker: oneSchedulerAtATime, propertyIds: ['toy-one-scheduler'], runs: 30 };
    expect(withoutSeconds(checkEngine(opts))).toEqual(withoutSeconds(checkEngine(opts)));
    const pass = { engine, makeChecker: alwaysHolds, propertyIds: ['t'], runs: 30 };
    expect(withoutSeconds(checkEngine(pass))).toEqual(withoutSeconds(checkEngine(pass)));
  });

  it('derives the default seed from the engine id, and --seed overrides it', () => {
    const a = checkEngine({ engine, makeChecker: alwaysHolds, propertyIds: [], runs: 20 });
    const b = checkEngine({ engine: createToyEngine('toy/other'), makeChecker: alwaysHolds, propertyIds: [], runs: 20 });
    const c = checkEngine({ engine, makeChecker: alwaysHolds, propertyIds: [], runs: 20, seed: 7 });
    expect(a.opsExecuted).not.toBe(b.opsExecuted);
    expect(a.opsExecuted).not.toBe(c.opsExecuted);
    const c2 = checkEngine({ engine, makeChecker: alwaysHolds, propertyIds: [], runs: 20, seed: 7 });
    expect(c2.opsExecuted).toBe(c.opsExecuted);
  });

  it('reports finish()-time violations and honours a fixed config', () => {
    const config: ModelConfig = { cpus: 3, procs: 1, threads: 1, kthreads: 0 };
    const r = checkEngine({ engine, makeChecker: atMostNmis(3), propertyIds: ['toy-nmis'], config, runs: 100 });
    expect(r.result).toBe('fail');
    expect(r.counterexample!.config).toEqual(config);
    expect(r.counterexample!.ops.filter((op) => op.op === 'nmi')).toHaveLength(3);
    expect(r.counterexample!.ops).toHaveLength(3);
  });
});
