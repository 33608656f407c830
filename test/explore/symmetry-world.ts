/**
 * Test helper for symmetry reduction (src/explore/symmetry.ts): a random walk that keeps the
 * kernel state, the trace and the explorer's monitors, and the same walk renamed by a group element
 * (the renamed kernel state, creation order included, and monitors fed the renamed trace from a
 * renamed init event): the state a renamed history would reach. The monitors end their atomic
 * step at every op boundary, as the explorer's do (ExploreOptions.settleEachOp, its default).
 */
import { createEngine } from '../../src/engine/build';
import type { Engine, ModelConfig } from '../../src/engine/contract';
import type { Op } from '../../src/engine/ops';
import type { KernelState } from '../../src/engine/state';
import type { EngineSpec } from '../../src/run/types';
import type { InitEvent, TraceEvent } from '../../src/trace/events';
import { cloneJson } from '../../src/explore/canonical';
import { selectExploreProperties } from '../../src/explore/explore';
import { ExploreMonitor, mirrorPropertiesOf } from '../../src/explore/monitor';
import { renameJson, type Perm } from '../../src/explore/symmetry';
import type { MirrorProperty } from '../../properties/lib/mirror-property';
import { DEFAULT_WEIGHTS, startRun } from '../../arbitraries';
import { prng } from './merge-check';

export interface World {
  engine: Engine<KernelState>;
  init: InitEvent;
  props: MirrorProperty[];
  state: KernelState;
  events: TraceEvent[];
  monitor: ExploreMonitor;
  ops: Op[];
  /** A property reported a violation on the way (the walk stopped there). */
  violated: boolean;
  /** Every violation reported, as `property clause @index`. */
  verdicts: string[];
  /** The number of events after the boot and after each op (where endOp() ran). */
  bounds: number[];
}

/** Feeds event `i` to `w`'s monitors, recording what they report. */
function observe(w: World, ev: TraceEvent, i: number): void {
  for (const v of w.monitor.observe(ev, i)) {
    w.violated = true;
    w.verdicts.push(`${v.property} ${v.clause} @${i}`);
  }
}

/** The end of an op (or of the boot): the explorer's ExploreMonitor.endOp(). */
function endOp(w: World): void {
  for (const v of w.monitor.endOp()) {
    w.violated = true;
    w.verdicts.push(`${v.property} ${v.clause} @${w.events.length - 1} (op end)`);
  }
  w.bounds.push(w.events.length);
}

/** The initial state of `spec` on `config`, monitored by every applicable property. */
export function boot(spec: EngineSpec, config: ModelConfig): World {
  const engine = createEngine(spec);
  const b = engine.init(config);
  const init = b.events[0] as InitEvent;
  const props = mirrorPropertiesOf(selectExploreProperties(undefined, init)).mirror;
  const w: World = { engine, init, props, state: b.state, events: [], monitor: new ExploreMonitor(init, props, undefined, true), ops: [], violated: false, verdicts: [], bounds: [] };
  for (const ev of b.events) {
    observe(w, ev, w.events.length);
    w.events.push(ev);
  }
  endOp(w);
  return w;
}

/** Applies `op` to `w` in place. */
export function step(w: World, op: Op): TraceEvent[] {
  const evs = w.engine.apply(w.state, op);
  for (const ev of evs) {
    observe(w, ev, w.events.length);
    w.events.push(ev);
  }
  endOp(w);
  w.ops.push(op);
  return evs;
}

/** A walk of up to `length` ops chosen with the campaign's op weights (stops at a violation or when nothing is enabled). */
export function randomWalk(spec: EngineSpec, config: ModelConfig, seed: number, length: number): World {
  const w = boot(spec, config);
  const r = startRun(w.engine, config);
  const rnd = prng(seed);
  for (let i = 0; i < length; i++) if (r.choose(Math.floor(rnd() * 2 ** 31), DEFAULT_WEIGHTS) === undefined) break;
  for (const op of r.ops) {
    if (w.violated) break;
    step(w, op);
  }
  return w;
}

/** The same history renamed by `perm`: renamed kernel state, monitors fed the renamed trace. */
export function renamedWorld(w: World, perm: Perm): World {
  const init = renameJson(w.init, perm);
  const r: World = { ...w, init, state: renameJson(cloneJson(w.state), perm), events: [], monitor: new ExploreMonitor(init, w.props, undefined, true), ops: [], violated: false, verdicts: [], bounds: [] };
  const ends = new Set(w.bounds);
  for (const ev of w.events) {
    observe(r, renameJson(ev, perm), r.events.length);
    r.events.push(renameJson(ev, perm));
    if (ends.has(r.events.length)) endOp(r);
  }
  return r;
}
