/**
 * JSON Schema (draft 2020-12) of the lazymm trace format (./events.ts), and compiled validators.
 *
 * Foreign engines only have to emit JSON that passes `validateTrace`. The field lists live in
 * ./event-schemas.ts; this file assembles them into two published documents (one event; a whole
 * trace) and proves at compile time that they match the TypeScript types:
 *   - EVENT_KINDS lists every `k` of the TraceEvent union, no more and no less;
 *   - the schema of each kind accepts exactly that kind's interface (SameType over Static<...>).
 * Either check failing is a `tsc` error that names the drifting kind.
 */
import type { ValidateFunction } from 'ajv/dist/2020';
import { EVENT_SCHEMAS } from './event-schemas';
import type { EventKind, TraceEvent } from './events';
import type { SameType, Static } from './schema-builder';
import { createAjv, toSchemaErrors, type ValidationResult } from './validation';

export {
  ARCHES, IPI_FUNCS, MEMBARRIER_CMDS, REF_COUNTERS, REF_TOKENS, STRATEGIES, TASK_STATES, TASK_TYPES,
  USER_ENTRY_VIAS, USER_EXIT_VIAS,
} from './event-schemas';
export type { SchemaError, ValidationResult } from './validation';

/** Every event kind, in the order of the TraceEvent union (init first). */
export const EVENT_KINDS = [
  'init', 'ref', 'ref_move', 'mm_alloc', 'mm_teardown', 'mmdrop_begin', 'mm_free', 'task_mm', 'task_new',
  'task_state', 'path', 'rq_curr', 'switch_to', 'prev_mm', 'rq_membarrier_state', 'store_buffered',
  'mm_membarrier_state', 'load_mm', 'lazy', 'cpumask', 'mb', 'serialize', 'user_enter', 'user_exit', 'membarrier',
  'membarrier_scan', 'membarrier_register', 'ipi_send', 'ipi_handle', 'tlb_gen', 'flush_done',
  'local_tlb_gen', 'deref', 'temp_mm', 'kthread_access', 'hazard', 'unlazy_scan', 'cpu_online',
  'irqs', 'irq',
] as const satisfies readonly EventKind[];

// Compile-time exhaustiveness: a kind added to TraceEvent but not to EVENT_KINDS is a type error here
// ("Type 'true' is not assignable to type '"not in EVENT_KINDS: cpu_online"'").
type UnlistedKind = Exclude<EventKind, (typeof EVENT_KINDS)[number]>;
const allKindsListed: [UnlistedKind] extends [never] ? true : `not in EVENT_KINDS: ${UnlistedKind}` = true;

// Compile-time field drift check: every kind's schema (event-schemas.ts) accepts exactly its interface
// in events.ts; otherwise "Type 'true' is not assignable to type '"schema drifts from events.ts: ref"'".
type DriftingKind = {
  [K in EventKind]: SameType<Static<(typeof EVENT_SCHEMAS)[K]>, Extract<TraceEvent, { k: K }>> extends true ? never : K;
}[EventKind];
const noFieldDrift: [DriftingKind] extends [never] ? true : `schema drifts from events.ts: ${DriftingKind}` = true;
void allKindsListed;
void noFieldDrift;

export const TRACE_EVENT_SCHEMA_ID = 'https://lazymm.dev/schema/trace-event.json';
export const TRACE_SCHEMA_ID = 'https://lazymm.dev/schema/trace.json';
const DRAFT = 'https://json-schema.org/draft/2020-12/schema';

/** A discriminated union over `kinds` (ajv's `discriminator` keeps errors to the matching branch). */
const unionOf = (kinds: readonly EventKind[], kDescription?: string) => ({
  type: 'object',
  discriminator: { propertyName: 'k' },
  properties: { k: kDescription ? { enum: [...kinds], description: kDescription } : { enum: [...kinds] } },
  oneOf: kinds.map((k) => ({ $ref: `#/$defs/${k}` })),
});

/** The schema of ONE trace event: a `oneOf` discriminated on `k`, one closed branch per kind. */
export const TRACE_EVENT_SCHEMA = {
  $schema: DRAFT,
  $id: TRACE_EVENT_SCHEMA_ID,
  title: 'lazymm trace event (lazymm-trace/1)',
  $defs: {
    ...EVENT_SCHEMAS,
    // Used by TRACE_SCHEMA: a wrong kind at a position is reported as one error on `k`.
    first: unionOf(['init'], '"init" (event 0 is always init)'),
    later: unionOf(EVENT_KINDS.filter((k) => k !== 'init'), 'an event kind other than init (init is only event 0)'),
  },
  ...unionOf(EVENT_KINDS),
};

/** The schema of a whole trace: `{ format: 'lazymm-trace/1', events }`, event 0 being `init`. */
export const TRACE_SCHEMA = {
  $schema: DRAFT,
  $id: TRACE_SCHEMA_ID,
  title: 'lazymm trace (lazymm-trace/1)',
  type: 'object',
  properties: {
    format: { const: 'lazymm-trace/1' },
    events: {
      type: 'array',
      minItems: 1,
      prefixItems: [{ $ref: `${TRACE_EVENT_SCHEMA_ID}#/$defs/first` }],
      items: { $ref: `${TRACE_EVENT_SCHEMA_ID}#/$defs/later` },
    },
  },
  required: ['format', 'events'],
  additionalProperties: false,
};

// Compiled on first use, so importing this module (e.g. from the CLI) costs nothing until needed.
let compiled: { event: ValidateFunction; trace: ValidateFunction } | undefined;
function validators() {
  if (!compiled) {
    const ajv = createAjv();
    ajv.addSchema(TRACE_EVENT_SCHEMA);
    compiled = { event: ajv.getSchema(TRACE_EVENT_SCHEMA_ID)!, trace: ajv.compile(TRACE_SCHEMA) };
  }
  return compiled;
}

const run = (validate: ValidateFunction, value: unknown): ValidationResult =>
  validate(value) ? { ok: true } : { ok: false, errors: toSchemaErrors(validate.errors) };

/** Checks one event against the schema of its kind; error paths are relative to the event ('/mm'). */
export const validateTraceEvent = (ev: unknown): ValidationResult => run(validators().event, ev);

/** Checks a whole trace; error paths are like '/events/12/mm'. */
export const validateTrace = (trace: unknown): ValidationResult => run(validators().trace, trace);
