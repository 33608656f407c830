/**
 * The arbitraries: random interleavings of an engine, the property check and campaign built on
 * them, and the statistics of what a campaign exercised. Named exports only.
 */
export { modelConfigArbitrary, resolveModelConfigConstraints } from './config';
export type { ModelConfigConstraints } from './config';
export { DEFAULT_MAX_OPS, interleavingArbitrary, replayOps, runChoices } from './interleaving';
export type { InterleavingConstraints, RunOutput } from './interleaving';
export { DEFAULT_KIND_WEIGHTS, DEFAULT_WEIGHTS, UNIFORM_WEIGHTS } from './weights';
export { defaultInstanceWeight, defaultKindBoost } from './weight-rules';
export type { Weights } from './weights';
export { pickOp } from './pick';
export { sameOp } from './same-op';
export { ReplayError, startRun } from './run';
export type { EventListener, OpListener, Run, RunListeners } from './run';
export { TraceView } from './trace-view';
export type { SwitchStart, TaskFacts } from './trace-view';
export { replayMonitored, runChoicesMonitored } from './monitored-run';
export type { CheckerFactory, MonitoredOutcome, TraceChecker } from './monitored-run';
export { minimizeOps, pathUnits } from './minimize';
export type { MinimizeOptions } from './minimize';
export { deriveSeed } from './seed';
export { DEFAULT_RUNS, DEFAULT_SHRINK_BUDGET, checkEngine } from './check-engine';
export type { EngineCheckOptions } from './check-engine';
export { runCheck } from './check';
export { runCampaign } from './campaign';
export type { CampaignOptions } from './campaign';
export { REQUIRED_SCENARIO_CLASSES, SCENARIO_CLASSES, SCENARIO_CLASS_IDS, scenariosOfEvent, scenariosOfOp } from './scenarios';
export type { ScenarioClass } from './scenarios';
export { collectCampaignStatistics, formatCampaignStatistics } from './statistics';
export type { CampaignStatistics, StatisticsOptions } from './statistics';
