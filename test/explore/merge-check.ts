/**
 * Test helper: is merging two op paths sound? Both paths are replayed and then continued with the
 * same random ops; the properties must give the same verdict (property, clause, op of the
 * continuation) on both, and every op must be enabled on both.
 */
import { createEngine } from '../../src/engine/build';
import type { Engine, ModelConfig } from '../../src/engine/contract';
import type { Op } from '../../src/engine/ops';
import type { EngineSpec } from '../../src/run/types';
import type { InitEvent } from '../../src/trace/events';
import { createTraceChecker, propertyById, type Property, type TraceChecker } from '../../properties';
import { DEFAULT_WEIGHTS, ReplayError, replayMonitored, startRun } from '../../arbitraries';
import { mulberry32 } from '../../src/trace-io/generate-trace';
import { explore, type ExploreOptions, type ExploreResult } from '../../src/explore/explore';

/** A small deterministic PRNG (mulberry32, shared with the trace generator). */
export const prng = mulberry32;

export interface MergeMismatch {
  kept: Op[];
  merged: Op[];
  continuation: Op[];
  why: string;
}

/**
 * A random continuation of `length` ops drawn on the state `kept` reaches, with the campaign's op
 * weights.
 */
export function drawContinuation(engine: Engine<unknown>, config: ModelConfig, kept: readonly Op[], length: number, rnd: () => number): Op[] {
  const r = startRun(engine, config);
  kept.forEach((op, i) => r.applyRecorded(op, i));
  for (let i = 0; i < length; i++) if (r.choose(Math.floor(rnd() * 2 ** 31), DEFAULT_WEIGHTS) === undefined) break;
  return r.ops.slice(kept.length);
}

/** The verdict of `prefix` then `ops`, as text: pass, the violation and its continuation op, or why it did not run. */
export function continuationVerdict(engine: Engine<unknown>, config: ModelConfig, prefix: readonly Op[], ops: readonly Op[], make: (init: InitEvent) => TraceChecker): string {
  try {
    const o = replayMonitored(engine, config, [...prefix, ...ops], make);
    if (o.error) return `error ${o.error.message}`;
    if (!o.violation) return 'pass';
    return `${o.violation.property} ${o.violation.clause} at continuation op ${o.opsToViolation - prefix.length}`;
  } catch (e) {
    if (e instanceof ReplayError) return `not enabled: continuation op ${e.opIndex - prefix.length}`;
    throw e;
  }
}

/**
 * A uniform sample (reservoir, seed 3) of `size` of the (kept path, merged path) pairs that the search
 * with `options` merges, and the search's result.
 */
export function sampleMerges(options: ExploreOptions, size: number): { pairs: [Op[], Op[]][]; result: ExploreResult } {
  const pairs: [Op[], Op[]][] = [];
  const rnd = prng(3);
  let seen = 0;
  const result = explore({
    ...options,
    onMerge: (kept, merged) => {
      seen++;
      if (pairs.length < size) pairs.push([kept, merged]);
      else if (rnd() * seen < size) pairs[Math.floor(rnd() * size)] = [kept, merged];
    },
  });
  return { pairs, result };
}

/** Check `pairs` with `continuations` random continuations of `length` ops each. */
export function checkMerges(
  spec: EngineSpec,
  config: ModelConfig,
  propertyIds: string[],
  pairs: readonly [Op[], Op[]][],
  continuations: number,
  length: number,
  seed = 1,
  stats: { runs: number; violations: number } = { runs: 0, violations: 0 },
): MergeMismatch[] {
  const engine = createEngine(spec);
  const props = propertyIds.map((id) => propertyById(id) as Property);
  const make = (init: InitEvent) => createTraceChecker(init, props);
  const rnd = prng(seed);
  const out: MergeMismatch[] = [];
  for (const [kept, merged] of pairs) {
    for (let c = 0; c < continuations; c++) {
      const cont = drawContinuation(engine, config, kept, length, rnd);
      const a = continuationVerdict(engine, config, kept, cont, make);
      const b = continuationVerdict(engine, config, merged, cont, make);
      stats.runs++;
      if (a !== 'pass') stats.violations++;
      if (a !== b) out.push({ kept, merged, continuation: cont, why: `kept: ${a}; merged: ${b}` });
    }
  }
  return out;
}
