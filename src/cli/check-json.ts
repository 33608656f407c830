/** The `lazymm check --json` document (its shape is documented in docs/cli.md). */
import type { ModelConfig } from '../engine/contract';
import type { Costs } from '../run/costs';
import type { CheckResult, EngineSpec } from '../run/types';
import { normalisedCosts } from './cost-meter';
import { resolvedKnobs } from './engine-spec';

/** The `--json` document of a check (shape documented in docs/cli.md). */
export function checkJson(spec: EngineSpec, config: ModelConfig | undefined, seed: number, maxOps: number, r: CheckResult, fixture?: string, costs?: Costs): Record<string, unknown> {
  const cx = r.counterexample;
  return {
    engine: r.engine,
    arch: spec.arch,
    strategy: spec.strategy,
    variant: spec.variant ?? null,
    knobs: resolvedKnobs(spec),
    config: config ?? null,
    properties: r.properties,
    runs: r.runs,
    maxOps,
    seed,
    opsExecuted: r.opsExecuted,
    seconds: r.seconds,
    result: r.result,
    ...(cx
      ? {
          counterexample: {
            property: cx.property,
            clause: cx.clause,
            eventIndex: cx.eventIndex,
            message: cx.message,
            ops: cx.ops,
            opCount: cx.ops.length,
            config: cx.config,
            seed: cx.seed,
            path: cx.path,
          },
        }
      : {}),
    ...(fixture !== undefined ? { fixture } : {}),
    ...(costs ? { costs: { ...costs, normalised: normalisedCosts(costs) } } : {}),
  };
}
