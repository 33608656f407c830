/**
 * What a campaign actually exercised: how often each op kind was enabled and applied, and how many
 * runs reached each scenario class (./scenarios.ts). A campaign that never reaches a scenario class
 * cannot find the bugs that live there, whatever its run count; these figures are how the weights
 * (./weights.ts) were tuned, and what the coverage tests assert.
 */
import fc from 'fast-check';
import type { Engine, ModelConfig } from '../src/engine/contract';
import { OP_KINDS, formatOp, type OpKind } from '../src/engine/ops';
import { modelConfigArbitrary, type ModelConfigConstraints } from './config';
import { createEngine } from '../src/engine/registry';
import type { EngineSpec } from '../src/run/types';
import { DEFAULT_RUNS, weightProfiles } from './check-engine';
import { DEFAULT_MAX_OPS, interleavingArbitrary } from './interleaving';
import { deriveSeed } from './seed';
import { startRun } from './run';
import { SCENARIO_CLASS_IDS, scenariosOfEvent, scenariosOfOp, type ScenarioClass } from './scenarios';
import type { Weights } from './weights';

/** Figures of one campaign. */
export interface CampaignStatistics {
  engine: string;
  runs: number;
  maxOps: number;
  seed: number;
  opsExecuted: number;
  eventsProduced: number;
  seconds: number;
  /** Ops applied, per kind. */
  opsApplied: Record<OpKind, number>;
  /** Steps at which at least one op of the kind was enabled (whether or not it was chosen). */
  stepsEnabled: Record<OpKind, number>;
  /** Times each scenario class was entered, over all runs. */
  scenarioHits: Record<ScenarioClass, number>;
  /** Runs that entered each scenario class at least once. */
  scenarioRuns: Record<ScenarioClass, number>;
  /** Runs cut short because the engine threw (an engine bug: runCheck reports it as a failure). */
  runsWithEngineErrors: number;
  /** The first such error, with the op that triggered it. */
  firstEngineError: string | null;
}

/** Options of {@link collectCampaignStatistics}. */
export interface StatisticsOptions {
  /** A fixed configuration; generated as by runCheck when absent. */
  config?: ModelConfig;
  configConstraints?: ModelConfigConstraints;
  /** One set of weights or several profiles (one drawn per run). Default DEFAULT_PROFILES. */
  weights?: Weights | readonly Weights[];
}

/**
 * Run `runs` random interleavings of `engine` (an engine or a spec for the registry; up to `maxOps`
 * ops each, generated from `seed` by the same arbitraries as runCheck, but without any property
 * checker) and count what they exercised. `seed` defaults to the one runCheck derives from the
 * engine id.
 */
export function collectCampaignStatistics<S>(
  engineOrSpec: Engine<S> | EngineSpec,
  runs: number = DEFAULT_RUNS,
  maxOps: number = DEFAULT_MAX_OPS,
  seed?: number,
  options: StatisticsOptions = {},
): CampaignStatistics {
  const started = performance.now();
  const engine: Engine<unknown> = 'init' in engineOrSpec ? (engineOrSpec as Engine<unknown>) : createEngine(engineOrSpec);
  seed ??= deriveSeed(engine.info.id);
  const profiles = weightProfiles(options.weights);
  const configArb = options.config ? fc.constant(options.config) : modelConfigArbitrary(options.configConstraints);
  const profileArb = fc.integer({ min: 0, max: profiles.length - 1 });
  const samples = fc.sample(fc.tuple(configArb, profileArb, interleavingArbitrary({ maxOps })), { numRuns: runs, seed });
  const stats: CampaignStatistics = {
    engine: engine.info.id,
    runs,
    maxOps,
    seed,
    opsExecuted: 0,
    eventsProduced: 0,
    seconds: 0,
    opsApplied: zeros(OP_KINDS),
    stepsEnabled: zeros(OP_KINDS),
    scenarioHits: zeros(SCENARIO_CLASS_IDS),
    scenarioRuns: zeros(SCENARIO_CLASS_IDS),
    runsWithEngineErrors: 0,
    firstEngineError: null,
  };
  for (const [config, profile, choices] of samples) {
    const weights = profiles[profile];
    const reached = new Set<ScenarioClass>();
    const hit = (classes: ScenarioClass[]) => {
      for (const c of classes) {
        stats.scenarioHits[c]++;
        reached.add(c);
      }
    };
    const run = startRun(engine, config, {
      onOp: (op, _i, view) => {
        stats.opsApplied[op.op] = (stats.opsApplied[op.op] ?? 0) + 1;
        hit(scenariosOfOp(op, view));
      },
      onEvent: (ev, _i, view) => hit(scenariosOfEvent(ev, view)),
    });
    try {
      for (const choice of choices) {
        const kinds = new Set(run.enabled().map((op) => op.op));
        for (const k of kinds) stats.stepsEnabled[k] = (stats.stepsEnabled[k] ?? 0) + 1;
        if (run.choose(choice, weights) === undefined) break;
      }
    } catch (e) {
      // Keep counting the other runs: statistics are for tuning, the check reports engine errors.
      stats.runsWithEngineErrors++;
      stats.firstEngineError ??=
        `config ${JSON.stringify(config)}, op ${run.ops.length - 1} (${formatOp(run.ops[run.ops.length - 1])}): ` +
        (e instanceof Error ? e.message : String(e));
    }
    stats.opsExecuted += run.ops.length;
    stats.eventsProduced += run.events.length;
    for (const c of reached) stats.scenarioRuns[c]++;
  }
  stats.seconds = (performance.now() - started) / 1000;
  return stats;
}

/** A multi-line human summary of `stats` (used by the tuning script and the tests' failure output). */
export function formatCampaignStatistics(stats: CampaignStatistics): string {
  const lines = [
    `${stats.engine}: ${stats.runs} runs x ${stats.maxOps} ops, seed ${stats.seed}: ` +
      `${stats.opsExecuted} ops, ${stats.eventsProduced} events in ${stats.seconds.toFixed(2)} s ` +
      `(${Math.round(stats.runs / stats.seconds)} runs/s, ${Math.round(stats.opsExecuted / stats.seconds)} ops/s)`,
    ...(stats.runsWithEngineErrors > 0
      ? [`engine errors in ${stats.runsWithEngineErrors} runs; first: ${stats.firstEngineError}`]
      : []),
    'op kind               applied  enabled-steps',
    ...Object.keys(stats.opsApplied).map(
      (k) =>
        `  ${k.padEnd(20)}${String(stats.opsApplied[k as OpKind]).padStart(7)}` +
        `${String(stats.stepsEnabled[k as OpKind]).padStart(15)}`,
    ),
    'scenario class                    runs   hits',
    ...SCENARIO_CLASS_IDS.map(
      (c) => `  ${c.padEnd(30)}${String(stats.scenarioRuns[c]).padStart(6)}${String(stats.scenarioHits[c]).padStart(7)}`,
    ),
  ];
  return lines.join('\n');
}

function zeros<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}
