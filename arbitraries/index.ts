/**
 * The arbitraries: random interleavings of an engine, the property check and campaign built on
 * them, and the statistics of what a campaign exercised. Named exports only.
 */
export { modelConfigArbitrary, resolveModelConfigConstraints } from './config';
export type { ModelConfigConstraints } from './config';
export { DEFAULT_MAX_OPS, interleavingArbitrary, replayOps, runChoices } from './interleaving';
export type { InterleavingConstraints, RunOutput } from './interleaving';
export {
  DEFAULT_KIND_WEIGHTS,
  DEFAULT_PROFILES,
  DEFAULT_WEIGHTS,
  MEMBARRIER_KIND_WEIGHTS,
  MEMBARRIER_WEIGHTS,
  UNIFORM_WEIGHTS,
} from './weights';
export { RACE, TLB, defaultInstanceWeight, defaultKindBoost } from './weight-rules';
export { raceFocus, raceOfCall, silentLazyReturn } from './race-focus';
export type { CallRace, RaceFocus } from './race-focus';
export { tlbFocus } from './tlb-focus';
export type { TlbFocus } from './tlb-focus';
export type { Weights } from './weights';
export { pickOp } from './pick';
export { sameOp } from './same-op';
export { ReplayError, startRun } from './run';
export { EngineOutputError } from './engine-output';
export type { OutputValidation } from './engine-output';
export type { EventListener, OpListener, Run, RunListeners } from './run';
export { TraceView } from './trace-view';
export type { MembarrierWindow, SwitchStart, TaskFacts } from './trace-view';
export { replayAlignedMonitored, replayLenientMonitored, replayMonitored, runChoicesMonitored } from './monitored-run';
export type { CheckerFactory, MonitoredOutcome, TraceChecker } from './monitored-run';
export { minimizeOps, minimizeWithConfig, pathUnits } from './minimize';
export type { ConfigMinimizeOptions, MinimizeOptions } from './minimize';
export { deriveSeed } from './seed';
export { DEFAULT_RUNS, DEFAULT_SHRINK_BUDGET, checkEngine, weightProfiles } from './check-engine';
export type { EngineCheckOptions } from './check-engine';
export { differentialCriterion, profilesFor, runCheck } from './check';
export type { RunCheckOptions } from './check';
export {
  KNOWN_FIX_KNOBS,
  PROPERTY_CLAUSE_FAMILY,
  VARIANT_CHECK_RULES,
  VARIANT_SHRINK_BUDGET,
  defaultDifferentialBase,
  expectedProperties,
  findingFixKnobs,
  isExpectedBreak,
  variantCheckEngines,
  variantCheckOptions,
  variantNeedsAlignedReplay,
} from './variant-check';
export type { VariantCheckEngines, VariantCheckRule } from './variant-check';
export { runCampaign } from './campaign';
export type { CampaignOptions } from './campaign';
export { REQUIRED_SCENARIO_CLASSES, SCENARIO_CLASSES, SCENARIO_CLASS_IDS, scenariosOfEvent, scenariosOfOp } from './scenarios';
export type { ScenarioClass } from './scenarios';
export { collectCampaignStatistics, formatCampaignStatistics } from './statistics';
export type { CampaignStatistics, StatisticsOptions } from './statistics';
