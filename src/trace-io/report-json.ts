/**
 * The `--json` report of `lazymm check-trace`: one document for all files, stable field names, for
 * scripts and CI. Timelines are included as text.
 */
import type { TraceReport } from './check-source';
import { describeMissing } from './sufficiency';
import { formatProblem } from './problems';

/** The JSON document printed by `lazymm check-trace --json`. */
export interface CheckTraceJson {
  format: 'lazymm-check-trace/1';
  exitCode: number;
  files: {
    file: string;
    format: string | null;
    events: number;
    engine?: TraceReport['engine'];
    /** `file:line: /path: message` strings; non-empty when the file was unusable. */
    problems: string[];
    verdicts: {
      property: string;
      verdict: string;
      clause?: string;
      index?: number;
      message?: string;
      events?: number[];
      missing?: { kind: string; evidenceIndex: number; text: string }[];
      note?: string;
      timeline?: string;
    }[];
  }[];
}

export function toJson(reports: readonly TraceReport[], exitCode: number): CheckTraceJson {
  return {
    format: 'lazymm-check-trace/1',
    exitCode,
    files: reports.map((r) => ({
      file: r.file,
      format: r.format,
      events: r.events,
      ...(r.engine ? { engine: r.engine } : {}),
      problems: r.problems.map(formatProblem),
      verdicts: r.verdicts.map((v) => ({
        property: v.property,
        verdict: v.verdict,
        ...(v.violation ? { clause: v.violation.clause, index: v.violation.index, message: v.violation.message, events: v.violation.events } : {}),
        ...(v.missing ? { missing: v.missing.map((m) => ({ kind: m.kind, evidenceIndex: m.evidence.index, text: describeMissing(m) })) } : {}),
        ...(v.note ? { note: v.note } : {}),
        ...(v.timeline ? { timeline: v.timeline } : {}),
      })),
    })),
  };
}
