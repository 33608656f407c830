/**
 * The checks every input event passes before a property sees it, whatever the container: the
 * validator of src/trace/trace-validator.ts (ordering, the JSON Schema of its kind, and the semantic
 * rules: known CPUs, tasks and mms, balanced paths, user/kernel mode alternation).
 */
import { TraceValidator } from '../trace/trace-validator';
import type { SchemaError } from '../trace/validation';

/** Checks events in trace order. */
export class EventChecks {
  private readonly validator = new TraceValidator();

  /**
   * Problems of `value` as event `index` (paths relative to the event); [] when it is a valid event.
   * A semantic rule's name ends its message (`... [rule path-balance]`).
   */
  check(value: unknown, index: number): SchemaError[] {
    return this.validator.check(value, index).map((p) => ({
      path: p.path,
      message: p.rule === 'schema' || p.rule === 'order' ? p.message : `${p.message} [rule ${p.rule}]`,
    }));
  }
}
