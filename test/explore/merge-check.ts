/**
 * Test helper: is merging two op paths sound? Both paths are replayed and then continued with the
 * same random ops; the properties must give the same verdict (property, clause, op of the
 * continuation) on both, and every op must be enabled on both.
 */
import { createEngine } from '../../src/engine/build';
import type { ModelConfig } from '../../src/engine/contract';
import type { Op } from '../../src/engine/ops';
import type { EngineSpec } from '../../src/run/types';
import type { InitEvent } from '../../src/trace/events';
import { createTraceChecker, propertyById, type Property } from '../../properties';
import { DEFAULT_WEIGHTS, ReplayError, replayMonitored, startRun } from '../../arbitraries';
import { mulberry32 } from '../../src/trace-io/generate-trace';

/** A small deterministic PRNG (mulberry32, shared with the trace generator). */
export const prng = mulberry32;

export interface MergeMismatch {
  kept: Op[];
  merged: Op[];
  continuation: Op[];
  why: string;
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
      // Draw a continuation on the kept path's state, with the campaign's op weights.
      const r = startRun(engine, config);
      kept.forEach((op, i) => r.applyRecorded(op, i));
      for (let i = 0; i < length; i++) if (r.choose(Math.floor(rnd() * 2 ** 31), DEFAULT_WEIGHTS) === undefined) break;
      const cont = r.ops.slice(kept.length);
      const run = (prefix: Op[]) => {
        try {
          const o = replayMonitored(engine, config, [...prefix, ...cont], make);
          if (o.error) return `error ${o.error.message}`;
          if (!o.violation) return 'pass';
          return `${o.violation.property} ${o.violation.clause} at continuation op ${o.opsToViolation - prefix.length}`;
        } catch (e) {
          if (e instanceof ReplayError) return `not enabled: continuation op ${e.opIndex - prefix.length}`;
          throw e;
        }
      };
      const a = run(kept);
      const b = run(merged);
      stats.runs++;
      if (a !== 'pass') stats.violations++;
      if (a !== b) out.push({ kept, merged, continuation: cont, why: `kept: ${a}; merged: ${b}` });
    }
  }
  return out;
}
