/**
 * `lazymm/trace-io`: reading external traces (JSON, or JSON Lines streamed in bounded memory) and
 * checking them with lazymm's properties, with a verdict per property: hold, violated, insufficient
 * (the trace lacks events the property needs) or not applicable. What `lazymm check-trace` does.
 */
export { checkTraceCommand, checkTraceFiles, exitStatus, CHECK_TRACE_FLAGS, CHECK_TRACE_USAGE } from './check-trace-command';
export { checkTraceItems, RING_CAPACITY } from './check-source';
export type { CheckSourceOptions, PropertyVerdict, TraceReport, VerdictKind } from './check-source';
export { openTraceFile, readTraceEvents } from './read-trace';
export type { TraceFileSource } from './read-trace';
export { detectFormat } from './detect-format';
export type { TraceFileFormat } from './detect-format';
export { formatProblem, TraceInputError } from './problems';
export type { TraceInputProblem } from './problems';
export type { ReadItem } from './read-item';
export { describeMissing, missingKinds, vacuityNote } from './sufficiency';
export type { MissingKind } from './sufficiency';
export { SUFFICIENCY_RULES, EVIDENCE_TEXT } from './sufficiency-rules';
export type { SufficiencyRule } from './sufficiency-rules';
export { TraceFacts } from './trace-facts';
export type { Evidence, EvidenceKey } from './trace-facts';
export { toJson } from './report-json';
export type { CheckTraceJson } from './report-json';
