/**
 * Options and results of one property check campaign on one engine (shared by the CLI, the
 * arbitraries that run it, and the fixtures that record its counterexamples).
 */
import type { ModelConfig } from '../engine/contract';
import type { Op } from '../engine/ops';
import type { Arch, Strategy } from '../trace/events';

export interface EngineSpec {
  arch: Arch;
  strategy: Strategy;
  variant?: string;
  knobs?: Record<string, string | number | boolean>;
}

export interface CheckOptions {
  engine: EngineSpec;
  /** Property ids to check (default: every property that applies to the engine). */
  properties?: string[];
  /** Number of random runs (default 200). */
  runs?: number;
  /** fast-check seed (default: derived from the engine id, so runs are reproducible). */
  seed?: number;
  /** Maximum ops per run (default: the search's; 160 under `weighted2`, 120 under `weighted`). */
  maxOps?: number;
  /** Fixed model configuration; when absent the configuration is generated too. */
  config?: ModelConfig;
}

export interface Counterexample {
  config: ModelConfig;
  /** The shrunk op sequence. */
  ops: Op[];
  property: string;
  clause: string;
  /** Event index of the violation in the replayed trace. */
  eventIndex: number;
  message: string;
  /** fast-check provenance. */
  seed: number;
  path: string;
}

export interface CheckResult {
  engine: string;
  properties: string[];
  runs: number;
  opsExecuted: number;
  seconds: number;
  result: 'pass' | 'fail';
  counterexample?: Counterexample;
}
