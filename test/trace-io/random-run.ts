/**
 * Test helper: a random run of an engine that does not depend on the arbitraries' weights (which
 * are tuned independently): ops are chosen uniformly among the enabled ones with a seeded PRNG.
 */
import type { Engine, ModelConfig, Op } from '../../src/engine';
import { mulberry32 } from '../../src/trace-io/generate-trace';
import type { TraceEvent } from '../../src/trace/events';

/** The trace of `steps` uniformly chosen ops (fewer if nothing is enabled), skipping ops `skip` rejects. */
export function randomRun<S>(engine: Engine<S>, config: ModelConfig, steps: number, seed: number, skip: (op: Op) => boolean = () => false): TraceEvent[] {
  const random = mulberry32(seed);
  const { state, events } = engine.init(config);
  const out = [...events];
  for (let i = 0; i < steps; i++) {
    const enabled = engine.enabled(state).filter((op) => !skip(op));
    if (enabled.length === 0) break;
    out.push(...engine.apply(state, enabled[Math.floor(random() * enabled.length)]));
  }
  return out;
}
