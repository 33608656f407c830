/**
 * `lazymm/trace`: the trace format (types), its JSON Schema and validators, one example of every
 * event kind, and the timeline renderer. Everything a foreign engine or tracer needs to emit and
 * inspect lazymm traces; nothing here depends on lazymm's engines.
 */
export * from './events';
export {
  ARCHES, EVENT_KINDS, IPI_FUNCS, MEMBARRIER_CMDS, REF_COUNTERS, REF_TOKENS, STRATEGIES, TASK_STATES, TASK_TYPES,
  TRACE_EVENT_SCHEMA, TRACE_EVENT_SCHEMA_ID, TRACE_SCHEMA, TRACE_SCHEMA_ID, USER_ENTRY_VIAS, USER_EXIT_VIAS,
  validateTrace, validateTraceEvent,
} from './schema';
export type { SchemaError, ValidationResult } from './schema';
export { formatSchemaError } from './validation';
export { EXAMPLE_EVENTS } from './examples';
export { formatRuleProblem, TraceValidator } from './trace-validator';
export type { RuleProblem, TraceValidatorOptions } from './trace-validator';
export { RULES } from './trace-rules';
export type { KindRules } from './trace-rules';
export type { EventOfKind } from './examples';
export { renderTimeline } from '../render/timeline';
export type { TimelineOptions } from '../render/timeline';
