/**
 * The human-readable report of `lazymm check-trace`: one line per property and trace, the missing
 * event kinds under an insufficient (or violated) verdict, then the timeline of every violation.
 */
import { describeMissing } from './sufficiency';
import type { PropertyVerdict, TraceReport } from './check-source';

const FORMAT_NAMES = { json: 'JSON', jsonl: 'JSON Lines' } as const;

function verdictLine(v: PropertyVerdict, width: number): string {
  const id = v.property.padEnd(width);
  switch (v.verdict) {
    case 'hold': return `  ${id}  hold${v.note ? ` (${v.note})` : ''}`;
    case 'not-applicable': return `  ${id}  n/a (${v.note ?? 'does not apply'})`;
    case 'insufficient': return `  ${id}  INSUFFICIENT: the trace cannot support a verdict`;
    case 'violated': return `  ${id}  VIOLATED: ${v.violation!.clause} at event ${v.violation!.index}`;
  }
}

/** The summary lines of one usable trace (verdicts and missing kinds). */
export function summaryLines(r: TraceReport): string[] {
  const engine = r.engine ? `, ${r.engine.arch}/${r.engine.strategy}` : '';
  const lines = [`${r.file} (${r.format ? FORMAT_NAMES[r.format] : '?'}, ${r.events} events${engine}):`];
  const width = Math.max(0, ...r.verdicts.map((v) => v.property.length));
  for (const v of r.verdicts) {
    lines.push(verdictLine(v, width));
    const missing = v.missing ?? [];
    if (v.verdict === 'violated' && missing.length) lines.push(`      (the trace lacks events this property reads; the violation may come from that:)`);
    for (const m of missing) lines.push(`      ${describeMissing(m)}`);
  }
  return lines;
}

/** The timelines of the violations of one trace. */
export function timelineSections(r: TraceReport): string[] {
  return r.verdicts
    .filter((v) => v.verdict === 'violated')
    .flatMap((v) => ['', `== ${v.property} violated in ${r.file}`, '', v.timeline ?? '']);
}
