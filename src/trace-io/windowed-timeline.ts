/**
 * A violation's timeline for a trace that is not held in memory: the init event, the events the
 * violation cites and the last events before it, as far as the ring buffer still has them, rendered
 * by renderTimeline with the trace's own event indices (renderTimeline numbers events by their
 * position, so the labels are rewritten) and `...` where events are left out.
 */
import type { Violation } from '../../properties';
import { renderTimeline } from '../render/timeline';
import type { InitEvent, TraceEvent } from '../trace/events';
import type { Indexed } from './ring-buffer';

/** Events before the violation shown when the whole trace is too long to show. */
export const CONTEXT_EVENTS = 60;
/** Traces up to this many events (still in the buffer) are shown whole. */
export const WHOLE_TRACE_LIMIT = 400;

/** The events to show for `v`, chosen from `recent` (oldest first, the violation's event included). */
export function selectWindow(recent: readonly Indexed[], v: Violation): Indexed[] {
  const upTo = recent.filter((e) => e.index <= v.index);
  if (upTo.length > 0 && upTo[0].index === 1 && upTo.length <= WHOLE_TRACE_LIMIT) return upTo;
  const cited = new Set(v.events);
  const from = v.index - CONTEXT_EVENTS;
  return upTo.filter((e) => e.index > from || cited.has(e.index));
}

const LABEL = /^([ >*]) \[(\d+)(?:-(\d+))?\]/;

/** The timeline of `init` + `shown` (trace indices), with `v` marked and explained. */
export function renderWindow(init: InitEvent, shown: readonly Indexed[], v: Violation): string {
  const events: TraceEvent[] = [init, ...shown.map((e) => e.event)];
  const real = [0, ...shown.map((e) => e.index)];
  const position = new Map(real.map((r, p) => [r, p]));
  const pos = position.get(v.index);
  const text = renderTimeline(events, {
    highlight: v.events.flatMap((i) => (position.has(i) ? [position.get(i)!] : [])),
    violation: pos === undefined ? undefined : { index: pos, message: v.message, property: v.property, clause: v.clause },
  });
  const relabelled = relabel(text.split('\n'), real);
  if (pos !== undefined) return relabelled.join('\n');
  return [...relabelled, '', `VIOLATION ${v.property} ${v.clause} at [${v.index}] (event no longer in the buffer)`, '', v.message].join('\n');
}

/** Rewrites position labels `[p]` / `[p-q]` to trace indices, widening the label column as needed. */
function relabel(lines: string[], real: readonly number[]): string[] {
  const header = lines.findIndex((l) => /^\s+CPU0/.test(l));
  if (header < 0) return lines;
  const oldWidth = lines[header].indexOf('CPU0');
  const end = lines.findIndex((l, i) => i > header && l.trim() === '');
  const tableEnd = end < 0 ? lines.length : end;
  const labels = new Map<number, string>();
  // Positions whose event does not follow the previous position's: events the window left out (the
  // renderer's own omissions, such as path ends, are not gaps).
  const gapAt = (p: number): boolean => p > 0 && real[p] !== real[p - 1] + 1;
  let lastPos = 0;
  const gapBefore = new Set<number>();
  for (let i = header + 1; i < tableEnd; i++) {
    const m = LABEL.exec(lines[i]);
    if (!m) continue;
    const from = Number(m[2]);
    const to = Number(m[3] ?? m[2]);
    const first = real[from];
    const last = real[to];
    labels.set(i, `${m[1]} [${first === last ? first : `${first}-${last}`}]`);
    for (let p = lastPos + 1; p <= from; p++) if (gapAt(p)) gapBefore.add(i);
    lastPos = Math.max(lastPos, to);
  }
  const width = Math.max(oldWidth, ...[...labels.values()].map((l) => l.length + 2));
  const out: string[] = lines.slice(0, header);
  for (let i = header; i < lines.length; i++) {
    const line = lines[i];
    if (i >= tableEnd) {
      out.push(line.replace(/^(\s*VIOLATION .* at \[)(\d+)\]$/, (_, pre: string, p: string) => `${' '.repeat(Math.max(0, width - oldWidth))}${pre}${real[Number(p)]}]`));
      continue;
    }
    if (gapBefore.has(i)) out.push('   ...');
    const label = labels.get(i);
    out.push(label !== undefined ? `${label.padEnd(width)}${line.slice(oldWidth)}`.trimEnd() : line.length > oldWidth || /^\s/.test(line) ? `${' '.repeat(width)}${line.slice(oldWidth)}`.trimEnd() : line);
  }
  return out;
}
