/**
 * bench/engine-ceiling.ts: the engine-only search behind the bench's ceiling row applies every
 * enabled op of every state it keeps, and the ceiling is the rate of its per-transition and
 * per-state costs at the explorer's states-per-transition ratio.
 */
import { ceilingStatesPerSecond, engineCeiling } from '../../bench/engine-ceiling';
import { explore } from '../../src/explore/explore';
import type { EngineSpec } from '../../src/run/types';

const SPEC: EngineSpec = { arch: 'x86', strategy: 'refcount', knobs: { membarrierSwitchMmFix: true, syncCoreOnLazySameMmSwitch: true } };

describe('engine ceiling', () => {
  it('applies every enabled op of every state it keeps, as the explorer does', () => {
    const config = { cpus: 2, procs: 1, threads: 1, kthreads: 0 };
    // One level: both apply every op enabled at boot.
    expect(engineCeiling(SPEC, config, 1).transitions).toBe(explore({ engine: SPEC, config, depth: 1 }).transitions);
    const c = engineCeiling(SPEC, config, 4);
    expect(c.states).toBeGreaterThan(100);
    expect(c.transitions).toBeGreaterThan(c.states);
    expect(c.applyMicros).toBeGreaterThan(0);
    expect(c.enabledMicros).toBeGreaterThan(0);
  });

  it('turns the costs into states/s at the given states per transition', () => {
    const c = { states: 0, transitions: 0, applyMicros: 10, enabledMicros: 5 };
    // 3 transitions per state: 3 x 10 + 5 = 35 us per state.
    expect(ceilingStatesPerSecond(c, 100, 300)).toBeCloseTo(1e6 / 35, 6);
  });
});
