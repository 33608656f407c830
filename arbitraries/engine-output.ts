/**
 * What an engine emits is checked before a property sees it: the trace validator of
 * src/trace/trace-validator.ts (ordering, the schema of its kind, the semantic rules). A typo in an
 * event kind, an extra field, a CPU out of range or an impossible history is then an error that
 * names the engine, the event and the rule, never a property that silently passes because it did
 * not recognise the event.
 *
 * Cost: every event of every run is checked, with the fast schema interpreter of
 * src/trace/shape-check.ts (ajv only writes the message of an event that fails) and the semantic
 * rules (a few Set lookups). docs/engine-contract.md gives the measured cost.
 */
import type { TraceEvent } from '../src/trace/events';
import { TraceValidator, type RuleProblem } from '../src/trace/trace-validator';

/** Whether a run checks its engine's output ('none' only for measuring the cost of the check). */
export type OutputValidation = 'full' | 'none';

/** An engine emitted an event that breaks the trace format. */
export class EngineOutputError extends Error {
  override readonly name = 'EngineOutputError';

  constructor(
    readonly engineId: string,
    /** Index of the offending event in the run's trace. */
    readonly eventIndex: number,
    readonly event: unknown,
    readonly problem: RuleProblem,
    /** Ops applied when the event was emitted (it came from op `ops - 1`, or from init() when 0). */
    readonly ops: number,
  ) {
    const k = typeof event === 'object' && event !== null ? (event as { k?: unknown }).k : undefined;
    const from = ops === 0 ? 'init()' : `op ${ops - 1}`;
    super(
      `engine ${engineId} emitted an invalid event ${eventIndex} (${JSON.stringify(k ?? null)}, from ${from}): ` +
        `${problem.path || '/'}: ${problem.message} [rule ${problem.rule}]`,
    );
  }
}

/** A per-run checker of engine output: `check(ev, index, ops)` throws EngineOutputError. */
export class EngineOutputCheck {
  private readonly validator = new TraceValidator({ schema: 'fast' });

  constructor(private readonly engineId: string) {}

  check(ev: TraceEvent, index: number, ops: number): void {
    const problems = this.validator.check(ev, index);
    if (problems.length > 0) throw new EngineOutputError(this.engineId, index, ev, problems[0], ops);
  }
}
