/**
 * `check-trace --html DIR`: a report page per usable trace (src/report, state mirrored from the
 * trace; a long trace shows the window that ends at its violation) and an index page. The trace is
 * read into memory again for this (the check itself streams).
 */
import * as path from 'node:path';
import { HtmlReports } from '../cli/html-output';
import { commandLine } from '../fixtures/provenance';
import { buildTraceReport } from '../report/build';
import type { TraceReport } from './check-source';
import { readTraceEvents } from './read-trace';

/** Writes the pages and the index; returns the index path. */
export async function writeTraceReports(dir: string, reports: readonly TraceReport[]): Promise<string> {
  const html = new HtmlReports(dir);
  for (const r of reports) {
    if (r.problems.length > 0) continue;
    const events = await readTraceEvents(r.file);
    const violated = r.verdicts.filter((v) => v.verdict === 'violated');
    const verdict = r.verdicts.map((v) => `${v.property}: ${v.verdict}${v.violation ? ` (${v.violation.clause} at event ${v.violation.index})` : ''}`).join('; ');
    const data = buildTraceReport({
      title: path.basename(r.file),
      description: `A trace of ${r.events} events checked by lazymm check-trace${r.engine ? ` (${r.engine.arch}/${r.engine.strategy})` : ''}.`,
      status: violated.length ? 'violated' : 'trace',
      property: violated[0]?.property,
      verdict: violated.length ? `FAIL: ${verdict}` : verdict,
      replayCommand: commandLine(['check-trace', r.file]),
      events,
    });
    html.add(path.basename(r.file), violated.length ? 'violated' : 'trace', data);
  }
  return html.writeIndex('lazymm check-trace', `Reports of ${html.count} trace${html.count === 1 ? '' : 's'} checked by lazymm check-trace.`);
}
