/**
 * Counterexample timelines, laid out the way kernel/sched/membarrier.c draws its ordering scenarios
 * so that they can be pasted into an email: one fixed-width column per CPU, time running down, one
 * row per meaningful event, kernel function names, `fn():` opening an indented kernel path,
 * reference-count changes in a right margin, event indices on the left, and the violated rule as a
 * centred last line (like membarrier.c's `BUG_ON(r1 == 0 && r2 == 0)`), followed by the property's
 * explanation wrapped at 100 columns.
 *
 *          CPU0                               CPU1
 *    [0]   T1 (user, mm1)                     K1 (kernel, init_mm, lazy)     init x86/refcount
 *    [4]                                      context_switch():  (K1)
 *  > [5]                                        rq->curr = T2
 *    ...
 *                     VIOLATION sync-core-before-usermode C3.1 ... at [5]
 *
 * Markers: `>` the violation's event, `*` a highlighted (cited) event. `[3-5]` is a row that shows
 * events 3 to 5 (barriers folded into the row as `[mb, serialize]` tags).
 */
import { formatOp, type Op } from '../engine/ops';
import type { TraceEvent } from '../trace/events';
import { center, wrap } from './text';
import { buildRows, type Row } from './timeline-rows';

export interface TimelineOptions {
  /** Number of CPU columns (default: from the init event, or the highest CPU seen). */
  cpus?: number;
  /** Event indices to mark with `*` (for example the events a violation cites). */
  highlight?: number[];
  /** The violation to state on the last line (marked `>`), with its explanation below. */
  violation?: { index: number; message: string; property: string; clause: string };
}

const MIN_COLUMN = 12;
/** Wider cells overflow into the next (empty) column rather than being cut. */
const MAX_COLUMN = 36;
const GAP = 2;
const INDENT = 2;

/** The timeline of `events` as text (lines joined by '\n', no trailing newline). */
export function renderTimeline(events: readonly TraceEvent[], opts: TimelineOptions = {}): string {
  const highlight = new Set(opts.highlight ?? []);
  const violationAt = opts.violation?.index;
  const cited = new Set([...highlight, ...(violationAt !== undefined ? [violationAt] : [])]);
  const rows = buildRows(events, cited);

  const cpus = Math.max(opts.cpus ?? 0, columnsNeeded(events));
  const cellWidth = (r: Row) => r.depth * INDENT + cellText(r).length;
  const widest = Math.max(0, ...rows.filter((r) => r.cpu !== null).map(cellWidth), ...rows.flatMap((r) => (r.cells ?? []).map((c) => c.length)));
  const column = Math.min(MAX_COLUMN, Math.max(MIN_COLUMN, widest + GAP));

  const label = (r: Row) => {
    const inRow = (i: number) => i >= r.first && i <= r.last;
    const marker = violationAt !== undefined && inRow(violationAt) ? '>' : [...highlight].some(inRow) ? '*' : ' ';
    return `${marker} [${r.first === r.last ? r.first : `${r.first}-${r.last}`}]`;
  };
  const labelWidth = Math.max(0, ...rows.filter((r) => !r.noLabel).map((r) => label(r).length)) + GAP;
  const tableWidth = labelWidth + cpus * column;

  const lines = [...preamble(events), (' '.repeat(labelWidth) + Array.from({ length: cpus }, (_, c) => `CPU${c}`.padEnd(column)).join('')).trimEnd()];
  rows.forEach((r) => {
    let line = (r.noLabel ? '' : label(r)).padEnd(labelWidth);
    if (r.cells) line += r.cells.map((c) => (c ?? '').padEnd(column)).join('');
    else if (r.cpu !== null) line += ' '.repeat(r.cpu * column + r.depth * INDENT) + cellText(r);
    if (r.margin) {
      // The margin is a column of its own; a cell that overflows pushes it right, never overlaps it.
      const text = line.trimEnd();
      line = text.padEnd(Math.max(tableWidth + GAP, text.length + GAP)) + r.margin;
    }
    lines.push(line.trimEnd());
  });

  if (opts.violation) {
    // Centred under the whole diagram, margin included, as membarrier.c centres its BUG_ON().
    const v = opts.violation;
    const width = Math.max(...lines.map((l) => l.length));
    lines.push('', center(`VIOLATION ${v.property} ${v.clause} at [${v.index}]`, width), '', ...wrap(v.message, 100));
  }
  return lines.join('\n');
}

/** The engine line above the columns: `x86/refcount+variant (pti=false, ...)`, wrapped at 100. */
function preamble(events: readonly TraceEvent[]): string[] {
  const init = events[0]?.k === 'init' ? events[0] : undefined;
  if (!init) return [];
  const { variant, ...knobs } = init.knobs;
  const id = `${init.arch}/${init.strategy}${variant !== undefined ? `+${String(variant)}` : ''}`;
  const knobText = Object.entries(knobs).map(([k, v]) => `${k}=${String(v)}`).join(', ');
  return [...wrap(knobText ? `${id} (${knobText})` : id, 100), ''];
}

const cellText = (r: Row): string => `${r.fn ? `${r.fn}(): ` : ''}${r.text}${r.tags.length ? ` [${r.tags.join(', ')}]` : ''}`;

function columnsNeeded(events: readonly TraceEvent[]): number {
  let n = 0;
  for (const e of events) {
    if (e.k === 'init') n = Math.max(n, e.cpus.length);
    else n = Math.max(n, e.cpu + 1);
  }
  return n;
}

/** The ops of a counterexample, one per line with its index: `  3  cpu1 schedule(next=T2)`. */
export function renderOps(ops: readonly Op[]): string {
  const width = String(Math.max(0, ops.length - 1)).length;
  return ops.map((op, i) => `${String(i).padStart(width + 2)}  ${formatOp(op)}`).join('\n');
}
