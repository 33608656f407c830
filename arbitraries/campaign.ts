/**
 * A campaign: the same check on several engines (the CLI prints the results as a matrix).
 */
import type { CheckResult, EngineSpec } from '../src/run/types';
import { runCheck } from './check';

/** Options of {@link runCampaign}. */
export interface CampaignOptions {
  engines: EngineSpec[];
  /** Random runs per engine. Default 200. */
  runs?: number;
  /** Most ops per run. Default: the search's (160 under `weighted2`, 120 otherwise). */
  maxOps?: number;
  /** One seed for every engine; default: each engine's own derived seed. */
  seed?: number;
  /** Property ids; default: every property that applies to each engine. */
  properties?: string[];
}

/** Run `runCheck` on every engine of `options`, in order. */
export function runCampaign(options: CampaignOptions): CheckResult[] {
  return options.engines.map((engine) =>
    runCheck({
      engine,
      runs: options.runs,
      maxOps: options.maxOps,
      seed: options.seed,
      properties: options.properties,
    }),
  );
}
