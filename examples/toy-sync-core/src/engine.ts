/**
 * The toy SYNC_CORE engine behind lazymm's engine contract (lazymm/engines `Engine`): enabled ops,
 * apply one op, the trace events it produced. It imports only lazymm's public types; lazymm's
 * arbitraries drive it and lazymm's properties check its traces.
 */
import type { Engine, ModelConfig } from 'lazymm/engines';
import { applyOp } from './apply';
import { enabledOps } from './enabled';
import { initEvent, initialState, TOY_ARCH, TOY_STRATEGY } from './init';
import type { ToyKnobs, ToyState } from './state';

export type { ToyKnobs, ToyState } from './state';

/** Both serialization points on: membarrier(SYNC_CORE) keeps its promise. */
export const CORRECT: ToyKnobs = { ipiHandlerSyncs: true, lazyReturnSyncs: true };
/** The handler defers its sync to a return that never serializes, and the lazy return skips it. */
export const BUGGY: ToyKnobs = { ipiHandlerSyncs: false, lazyReturnSyncs: false };

/** A toy engine with `knobs`; `name` goes into the engine id (`toy-sync-core/<name>`). */
export function createToyEngine(knobs: ToyKnobs, name = 'custom'): Engine<ToyState> {
  return {
    info: { id: `toy-sync-core/${name}`, arch: TOY_ARCH, strategy: TOY_STRATEGY, knobs: { ...knobs } },
    init(config: ModelConfig) {
      if (config.cpus < 1) throw new Error('toy-sync-core: needs at least one CPU');
      const state = initialState(config);
      return { state, events: [initEvent(state, config, knobs)] };
    },
    enabled: enabledOps,
    apply: (state, op) => applyOp(state, op, knobs),
    clone: (state) => structuredClone(state),
  };
}
