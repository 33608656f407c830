/**
 * The index page of a directory of reports (`campaign --html DIR`, `replay --html DIR`): one line per
 * counterexample, linking its report. Self-contained like the reports.
 */
import { REPORT_CSP } from './html';
import { esc } from './svg';
import { REPORT_CSS } from './style';

export interface IndexEntry {
  /** The report's file name, relative to the index. */
  href: string;
  /** Row, variant or fixture name. */
  name: string;
  /** What kind of case (engine row, variant, finding, fixture status). */
  kind: string;
  /** `refcount-balance C1.1 ... at event 8`. */
  verdict: string;
  /** Ops (or events) in the counterexample. */
  size: string;
}

export function renderIndexHtml(title: string, intro: string, entries: readonly IndexEntry[]): string {
  const rows = entries
    .map((e) => `<tr><td><a href="${esc(encodeURI(e.href))}">${esc(e.name)}</a></td><td>${esc(e.kind)}</td><td>${esc(e.verdict)}</td><td>${esc(e.size)}</td></tr>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<title>${esc(title)}</title>
<style>${REPORT_CSS}
table.index { border-collapse: collapse; font-size: 13px; } table.index th, table.index td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; }
table.index td:nth-child(4) { white-space: nowrap; }
table.index td:nth-child(3) { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; }</style>
</head>
<body>
<header><h1>${esc(title)}</h1><p>${esc(intro)}</p></header>
<section>
${entries.length === 0 ? '<p id="none">No counterexample: nothing to show.</p>' : `<table class="index" id="index"><tr><th>case</th><th>kind</th><th>violation</th><th>size</th></tr>\n${rows}\n</table>`}
</section>
</body>
</html>
`;
}
