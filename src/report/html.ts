/**
 * The report page: one self-contained HTML file (inline CSS, SVG and script; a Content-Security-
 * Policy that forbids every fetch), with the swimlanes, the state panel, the violation, the text
 * timeline for mail and the command that replays the case.
 */
import { REPORT_SCRIPT } from './client';
import { esc } from './svg';
import { REPORT_CSS } from './style';
import { GEOMETRY, renderSwimlanes } from './swimlanes';

/** The width the swimlanes get in a 1280 px window (beside the 500 px state panel). */
const LANES_ROOM = 680;
import type { ReportData } from './types';

/** The policy: nothing may be loaded; only the page's own inline style and script run. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

/** JSON that is safe inside a `<script>` element (no `</script>`, no `<!--`). */
export const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

const IRQ_SOURCE: Record<ReportData['irqSource'], string> = {
  engine: "IRQs off (the engine's state)",
  trace: "IRQs off (the trace's IRQ events)",
  derived: 'IRQs off (derived: inside context_switch; the trace has no IRQ events)',
};

function legend(d: ReportData): string {
  const sw = (color: string) => `<i class="sw" style="background:${color}"></i>`;
  return `<div class="legend"><span>${sw('var(--user)')}user mode</span><span>${sw('var(--kernel)')}kernel mode</span><span>${sw('var(--offline)')}offline</span>`
    + `<span>${sw('var(--irq)')}${esc(IRQ_SOURCE[d.irqSource])}</span><span><b style="color:var(--ipi)">→</b> IPI</span>`
    + `<span><b style="color:var(--viol)">✗</b> violation, <b style="color:var(--viol)">*</b> cited</span>${d.base ? '<span><b style="color:#b35c00">≠</b> first divergence</span>' : ''}</div>`;
}

function lanes(d: ReportData): string {
  const cpus = d.layout.cpus.length;
  const caption = d.kind === 'ops' ? `${esc(d.main.engine)}: ${d.main.steps.length - 1} ops` : `${esc(d.main.engine)}: ${d.main.steps.length - 1} events${d.window ? ` (events ${d.window.first}..${d.window.first + d.main.steps.length - 2} of ${d.window.total})` : ''}`;
  let out = `<figure><figcaption>${caption}</figcaption>${renderSwimlanes(d.main, 'lanes-main', cpus, d.base?.divergence ?? null)}</figure>`;
  if (d.base) {
    const stop = d.base.stopped ? `; ${esc(d.base.stopped)}` : '';
    // Narrower lanes, so that the base fits beside the variant at 1280 px (2 CPUs; more scroll).
    const room = LANES_ROOM - (GEOMETRY.gutter + cpus * GEOMETRY.lane) - 18 - GEOMETRY.gutter;
    const laneWidth = Math.max(110, Math.min(GEOMETRY.lane, Math.floor(room / cpus)));
    out += `<figure><figcaption>base ${esc(d.base.engine)}: the same ops${stop}</figcaption>${renderSwimlanes(d.base, 'lanes-base', cpus, d.base.divergence, laneWidth)}</figure>`;
  }
  return `<div class="lanes-wrap">${out}</div>`;
}

function violationSection(d: ReportData): string {
  const v = d.main.violation;
  if (!v) return `<section id="violation"><h2>Verdict</h2><p>No property is violated on this run.</p></section>`;
  const base = d.base
    ? `<p id="divergence">Base engine ${esc(d.base.engine)}: ${d.base.violation ? `also violates ${esc(d.base.violation.property)} ${esc(d.base.violation.clause)} at step ${d.base.violation.step}` : `no violation of ${esc(v.property)}`}. First divergence: ${esc(d.base.divergenceNote)}.</p>`
    : '';
  return `<section id="violation"><h2>Violation: ${esc(v.property)} ${esc(v.clause)} at event ${v.event} (step ${v.step})</h2><p class="message">${esc(v.message)}</p>${base}</section>`;
}

/** The whole page for `d`. */
export function renderReportHtml(d: ReportData): string {
  const title = `lazymm: ${d.title}`;
  const verdictBad = /CHANGED|FAIL/.test(d.verdict);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
<h1>${esc(d.title)}<span class="status">${esc(d.status)}</span></h1>
<p class="meta">${esc(d.engineLine)}${d.config ? ` · ${esc(d.config)}` : ''}</p>
<p>${esc(d.description)}</p>
<p class="verdict${verdictBad ? ' bad' : ''}" id="verdict">${esc(d.verdict)}</p>
</header>
<main>
<div>
${legend(d)}
${lanes(d)}
</div>
<aside class="panel" aria-live="polite">
<h2>State after the step</h2>
<div class="nav"><button id="prev" type="button">↑ prev</button><button id="next" type="button">next ↓</button></div>
<p class="help">Keys: ↓/→/j next, ↑/←/k previous, Home/End, v the violation${d.base ? ', d the divergence' : ''}. Highlighted cells changed at this step.</p>
<div id="state"></div>
</aside>
</main>
${violationSection(d)}
<section id="replay"><h2>Replay</h2><pre id="replay-command">${esc(d.replayCommand)}</pre></section>
<section id="timeline"><h2>Timeline (for mail)</h2><pre id="timeline-text">${esc(d.timeline)}</pre></section>
${d.opsText !== null ? `<section id="ops"><h2>Ops</h2><pre>${esc(d.opsText)}</pre></section>` : ''}
<script type="application/json" id="report-data">${scriptJson(d)}</script>
<script>${REPORT_SCRIPT}</script>
</body>
</html>
`;
}
