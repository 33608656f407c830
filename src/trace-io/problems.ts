/**
 * Problems with a trace file as input (unreadable, not JSON, not the trace format, out of order):
 * each names the file, and the line (JSON Lines) or the JSON path, and what was expected.
 */

/** One problem found in an input trace. */
export interface TraceInputProblem {
  file: string;
  /** 1-based line, for JSON Lines input and JSON syntax errors. */
  line?: number;
  /** 1-based column of a JSON syntax error. */
  column?: number;
  /** JSON pointer into the document (JSON) or into the line's event (JSON Lines); '' is the whole value. */
  path?: string;
  message: string;
}

/** `file:line:column: /path: message`, omitting the parts that are not known. */
export function formatProblem(p: TraceInputProblem): string {
  const where = [p.file, p.line, p.line !== undefined ? p.column : undefined].filter((x) => x !== undefined).join(':');
  return p.path !== undefined ? `${where}: ${p.path || '/'}: ${p.message}` : `${where}: ${p.message}`;
}

/** Raised by the readers when an input cannot be used at all (one or more problems). */
export class TraceInputError extends Error {
  override readonly name = 'TraceInputError';

  constructor(readonly problems: readonly TraceInputProblem[]) {
    super(problems.map(formatProblem).join('\n'));
  }
}

/** What a trace must look like, for messages about input that is not a trace at all. */
export const TRACE_SHAPES =
  'a lazymm trace: a JSON object {"format": "lazymm-trace/1", "events": [...]}, a JSON array of events, or JSON Lines (one event per line, init first)';
