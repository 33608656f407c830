/**
 * Per-CPU swimlanes as hand-written SVG: one lane per CPU, time running down (one row per step, as
 * the text timeline and kernel/sched/membarrier.c run it), each step a box in its CPU's lane labelled
 * with its kernel function. A lane is shaded by the CPU's mode after the step (user / kernel /
 * offline) and carries an orange strip while its IRQs are off. IPIs are arrows from the sending step
 * to the handling step; the violated clause is marked where it fires, the events its explanation
 * cites with a star, and a variant's first divergence from its base with a dashed line.
 *
 * Every row is a `<g class="row" data-step="N">`, which the page's script selects.
 */
import { clip, esc } from './svg';
import type { RunData, Step } from './types';

export const GEOMETRY = { gutter: 50, lane: 164, row: 36, head: 28, charWidth: 6.7 } as const;
const { gutter, row, head, charWidth } = GEOMETRY;
/** The lane width of the drawing being rendered (a variant's base run is drawn narrower). */
let lane: number = GEOMETRY.lane;
let maxChars = 0;

/** The x of the left edge of `cpu`'s lane, and the y of the top of step `s`'s row. */
const laneX = (cpu: number): number => gutter + cpu * lane;
const rowY = (s: number): number => head + s * row;

function laneCells(s: Step, cpus: number): string {
  let out = '';
  for (let c = 0; c < cpus; c++) {
    const mode = s.values[`cpu${c}.online`] === 'false' ? 'offline' : s.values[`cpu${c}.mode`] === 'user' ? 'user' : 'kernel';
    out += `<rect class="lane ${mode}" x="${laneX(c)}" y="${rowY(s.index)}" width="${lane}" height="${row}"/>`;
    if (s.values[`cpu${c}.irqs`] === 'off') out += `<rect class="irqoff" x="${laneX(c)}" y="${rowY(s.index)}" width="5" height="${row}"><title>CPU${c}: IRQs off</title></rect>`;
  }
  return out;
}

function stepTitle(s: Step): string {
  const head = s.op ? `step ${s.index}: ${s.op}` : `step ${s.index}`;
  return [head, ...s.events.map((e) => `[${e.i}] ${e.fn}: ${e.text}`)].join('\n');
}

function stepRow(run: RunData, s: Step, cpus: number, divergence: number | null): string {
  const y = rowY(s.index);
  const v = run.violation;
  const isViolation = v?.step === s.index;
  const cited = v?.citedSteps.includes(s.index) ?? false;
  const x = s.cpu === null ? laneX(0) + 8 : laneX(s.cpu) + 8;
  const w = s.cpu === null ? cpus * lane - 14 : lane - 14;
  const chars = s.cpu === null ? Math.floor((w - 8) / charWidth) : maxChars;
  const cls = ['box', isViolation ? 'viol' : '', cited ? 'cited' : ''].filter(Boolean).join(' ');
  let out = `<g class="row" data-step="${s.index}"><rect class="hit" x="0" y="${y}" width="${gutter + cpus * lane}" height="${row}"/>`;
  out += laneCells(s, cpus);
  out += `<text class="idx" x="${gutter - 8}" y="${y + 22}">${s.index}</text>`;
  if (isViolation) out += `<text class="vmark" x="4" y="${y + 22}">✗<title>${esc(`${v.property} ${v.clause} fires here (event ${v.event})`)}</title></text>`;
  else if (cited) out += `<text class="cmark" x="6" y="${y + 22}">*<title>cited by the violation's explanation</title></text>`;
  if (divergence === s.index) {
    out += `<line class="diverge" x1="0" y1="${y + 1}" x2="${gutter + cpus * lane}" y2="${y + 1}"/>`;
    out += `<text class="dmark" x="16" y="${y + 13}">≠<title>first divergence from the base engine</title></text>`;
  }
  out += `<rect class="${cls}" x="${x}" y="${y + 3}" width="${w}" height="${row - 6}" rx="3"><title>${esc(stepTitle(s))}</title></rect>`;
  out += `<text class="fn" x="${x + 5}" y="${y + 15}">${esc(clip(s.fn, chars))}</text>`;
  const second = isViolation && v ? `✗ ${v.property} ${v.clause}` : s.text;
  out += `<text class="${isViolation ? 'vtext' : 'what'}" x="${x + 5}" y="${y + 28}">${esc(clip(second, chars))}</text>`;
  return `${out}</g>`;
}

function ipiPaths(run: RunData, arrowId: string): string {
  let out = '';
  for (const a of run.ipis) {
    const x1 = laneX(a.from) + lane - 8;
    const y1 = rowY(a.sendStep) + row / 2;
    const title = `<title>${esc(`IPI#${a.id} ${a.func}: CPU${a.from} -> CPU${a.to}${a.handleStep === null ? ' (not handled in these steps)' : ` (handled at step ${a.handleStep})`}`)}</title>`;
    if (a.handleStep === null) {
      out += `<path class="ipi pending" d="M${x1},${y1} l18,${row / 2}" marker-end="url(#${arrowId})">${title}</path>`;
      continue;
    }
    const x2 = a.to > a.from ? laneX(a.to) + 8 : laneX(a.to) + lane - 8;
    const y2 = rowY(a.handleStep) + row / 2;
    const x1b = a.to > a.from ? x1 : laneX(a.from) + 8;
    const bend = Math.max(20, Math.abs(x2 - x1b) / 3);
    const dir = a.to > a.from ? 1 : -1;
    out += `<path class="ipi" d="M${x1b},${y1} C${x1b + dir * bend},${y1} ${x2 - dir * bend},${y2} ${x2},${y2}" marker-end="url(#${arrowId})">${title}</path>`;
  }
  return out;
}

/** The swimlanes of `run` as one `<svg>` element (`id` names it for the page's script). */
export function renderSwimlanes(run: RunData, id: string, cpus: number, divergence: number | null = null, laneWidth: number = GEOMETRY.lane): string {
  lane = laneWidth;
  maxChars = Math.floor((lane - 20) / charWidth);
  const width = gutter + cpus * lane;
  const height = head + run.steps.length * row + 6;
  const heads = Array.from({ length: cpus }, (_, c) => `<text class="cpu" x="${laneX(c) + lane / 2}" y="18">CPU${c}</text>`).join('');
  const defs = `<defs><marker id="${esc(id)}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrowhead"/></marker></defs>`;
  const rows = run.steps.map((s) => stepRow(run, s, cpus, divergence)).join('');
  return `<svg id="${esc(id)}" class="lanes" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(`swimlanes of ${run.engine}`)}">${defs}${heads}${rows}${ipiPaths(run, `${id}-arrow`)}</svg>`;
}
