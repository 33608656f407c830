/**
 * The engine's own share of an explorer transition, as a ceiling on the explorer's rate: a
 * breadth-first search of the same configuration and depth over kernel states only (no validator,
 * no property monitors, no fingerprints: states merged on their JSON text), timing only what the
 * explorer must do per transition whatever the rest costs (a copy-on-write child of the state,
 * `engine.apply`) and per expanded state (`engine.enabled`). With the explorer's own
 * states-per-transition ratio, that is the most states/s the explorer could reach with the rest
 * free: how far the 200k states/s target of issue 15 is from the engine alone.
 */
import type { ModelConfig } from '../src/engine/contract';
import type { Op } from '../src/engine/ops';
import type { KernelState } from '../src/engine/state';
import { createEngine } from '../src/engine/registry';
import { shareKernelState } from '../src/explore/kernel-share';
import type { EngineSpec } from '../src/run/types';

export interface EngineCeiling {
  states: number;
  transitions: number;
  /** Microseconds per transition: the copy-on-write child and engine.apply. */
  applyMicros: number;
  /** Microseconds per expanded state: engine.enabled. */
  enabledMicros: number;
}

export function engineCeiling(spec: EngineSpec, config: ModelConfig, depth: number): EngineCeiling {
  const engine = createEngine(spec);
  const boot = engine.init(config).state as KernelState;
  const seen = new Set<string>([JSON.stringify(boot)]);
  let level: KernelState[] = [boot];
  let transitions = 0;
  let expanded = 0;
  let applyMs = 0;
  let enabledMs = 0;
  for (let d = 0; d < depth; d++) {
    const next: KernelState[] = [];
    for (const s of level) {
      const t0 = performance.now();
      const ops: Op[] = engine.enabled(s);
      enabledMs += performance.now() - t0;
      expanded++;
      for (const op of ops) {
        const t1 = performance.now();
        const child = shareKernelState(s, false);
        engine.apply(child, op);
        applyMs += performance.now() - t1;
        transitions++;
        const key = JSON.stringify(child);
        if (seen.has(key)) continue;
        seen.add(key);
        next.push(child);
      }
    }
    level = next;
  }
  return { states: seen.size, transitions, applyMicros: (applyMs * 1000) / transitions, enabledMicros: (enabledMs * 1000) / expanded };
}

/** The states/s an explorer search with `states` and `transitions` could reach if only the engine cost time. */
export function ceilingStatesPerSecond(c: EngineCeiling, states: number, transitions: number): number {
  const microsPerState = (transitions / states) * c.applyMicros + c.enabledMicros;
  return 1e6 / microsPerState;
}
