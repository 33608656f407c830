/** The report page's stylesheet (inline: the page loads nothing). Readable at 1280 px, printable. */
export const REPORT_CSS = `
:root { --user: #dff3dc; --kernel: #edf1f8; --offline: #d5d5d5; --irq: #f08c00; --viol: #c62828; --ipi: #6a3fb5; --sel: #fff3b0; --chg: #ffe08a; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1d1d; background: #fff; }
header { padding: 12px 20px 8px; border-bottom: 1px solid #ccc; }
header h1 { font-size: 19px; margin: 0 0 4px; font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
header p { margin: 3px 0; max-width: 110ch; }
.meta { color: #444; font-size: 13px; }
.status { display: inline-block; padding: 0 6px; border-radius: 3px; background: #eee; font-size: 12px; margin-left: 6px; vertical-align: middle; }
.verdict { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 13px; }
.verdict.bad { color: var(--viol); }
main { display: grid; grid-template-columns: minmax(0, 1fr) 500px; gap: 16px; padding: 10px 20px; align-items: start; }
.lanes-wrap { display: flex; gap: 18px; overflow-x: auto; }
figure { margin: 0; }
figcaption { font-size: 13px; font-weight: 600; margin-bottom: 2px; }
.legend { font-size: 12px; color: #333; margin: 4px 0 8px; }
.legend span { display: inline-block; margin-right: 12px; }
.sw { display: inline-block; width: 12px; height: 12px; vertical-align: -2px; border: 1px solid #999; margin-right: 3px; }
svg.lanes { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 11px; display: block; }
svg .cpu { text-anchor: middle; font-weight: 700; font-size: 12px; }
svg .lane { stroke: #fff; stroke-width: 1; }
svg .lane.user { fill: var(--user); } svg .lane.kernel { fill: var(--kernel); } svg .lane.offline { fill: var(--offline); }
svg .irqoff { fill: var(--irq); }
svg .hit { fill: transparent; }
svg .row { cursor: pointer; }
svg .row.sel .hit { fill: var(--sel); }
svg .row.sel .lane { opacity: 0.55; }
svg .box { fill: #fff; stroke: #8a8a8a; }
svg .row.sel .box { stroke: #000; stroke-width: 2; }
svg .box.viol { stroke: var(--viol); stroke-width: 2.5; fill: #fff0f0; }
svg .box.cited { stroke: var(--viol); stroke-dasharray: 3 2; }
svg .fn { font-weight: 700; }
svg .fn, svg .what, svg .vtext, svg .idx { pointer-events: none; }
svg .what { fill: #333; font-size: 10.5px; }
svg .vtext { fill: var(--viol); font-weight: 700; font-size: 10.5px; }
svg .idx { text-anchor: end; fill: #555; }
svg .vmark { fill: var(--viol); font-weight: 700; font-size: 15px; }
svg .cmark { fill: var(--viol); font-weight: 700; font-size: 15px; }
svg .dmark { fill: #b35c00; font-weight: 700; font-size: 12px; }
svg .diverge { stroke: #b35c00; stroke-width: 2; stroke-dasharray: 6 3; }
svg .ipi { fill: none; stroke: var(--ipi); stroke-width: 1.6; }
svg .ipi.pending { stroke-dasharray: 4 3; }
svg .arrowhead { fill: var(--ipi); }
.panel { position: sticky; top: 0; max-height: 100vh; overflow-y: auto; border-left: 1px solid #ddd; padding: 0 0 12px 14px; }
.panel h2 { font-size: 15px; margin: 8px 0 4px; }
.panel h3 { font-size: 13px; margin: 10px 0 3px; }
.nav button { font: inherit; font-size: 13px; padding: 1px 8px; margin-right: 4px; }
.stepinfo { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; margin: 4px 0; }
.stepinfo .op { font-weight: 700; }
ol.events { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 11.5px; margin: 2px 0; padding-left: 0; list-style: none; }
ol.events li.viol { color: var(--viol); font-weight: 700; }
table.state { border-collapse: collapse; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 11.5px; width: 100%; }
table.state th, table.state td { border: 1px solid #d4d4d4; padding: 1px 4px; text-align: left; white-space: nowrap; }
table.state th { background: #f4f4f4; font-weight: 600; }
table.state tr:first-child th { white-space: normal; overflow-wrap: anywhere; }
table.state td.chg { background: var(--chg); font-weight: 700; }
table.state td.diff { background: #ffd9d9; }
table.state td.absent { color: #aaa; }
.help { font-size: 12px; color: #555; }
section { padding: 4px 20px 10px; }
section h2 { font-size: 16px; margin: 12px 0 4px; }
pre { background: #f7f7f7; border: 1px solid #e2e2e2; padding: 8px; overflow-x: auto; font-size: 12px; line-height: 1.3; }
.message { max-width: 110ch; }
@media (max-width: 1100px) { main { grid-template-columns: 1fr; } .panel { position: static; max-height: none; border-left: 0; padding-left: 0; } }
@media print {
  @page { size: A4 landscape; margin: 10mm; }
  body { font-size: 10pt; }
  main { display: block; padding: 0; }
  .lanes-wrap { display: block; overflow: visible; }
  svg.lanes { max-width: 100%; height: auto; page-break-inside: auto; }
  .panel { position: static; max-height: none; overflow: visible; border: 0; padding: 0; break-before: page; }
  .nav, .help { display: none; }
  pre { white-space: pre-wrap; font-size: 7.5pt; border: 0; }
  section { break-inside: avoid-page; padding: 0; }
  svg .row.sel .hit { fill: transparent; }
}
`;
