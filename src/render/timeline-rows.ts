/**
 * Turns a trace into timeline rows: one row per meaningful event, in trace order. It decides what a
 * kernel developer needs to see and what is noise:
 *   - `path` begin prints `fn():` and indents the CPU's following rows; `path` end prints nothing
 *     (the indentation ending says it) unless the event is cited;
 *   - barriers (`mb`, `serialize`) are folded as `[mb, serialize]` tags into the row they belong to
 *     (the CR3 write, the IPI handler, mmdrop's atomic...); the IRET's barriers fold into the
 *     `user_enter` they precede (the trace's ordering convention). A barrier with nothing to attach
 *     to gets a compact row of its own, because membarrier ordering is argued from barriers.
 *   - a cited event (highlighted, or the violation's) is never folded: it keeps its own row.
 */
import type { InitEvent, TraceEvent } from '../trace/events';
import { barrierText, belongsBack, forwardStart, isBarrier, tag, type Barrier } from './barriers';
import { describeEvent, type DescribeContext } from './describe-event';
import { groupRuns } from './timeline-group';

export interface Row {
  /** The events this row shows: indices first..last (more than one when barriers were folded). */
  first: number;
  last: number;
  /** Column; null for rows that only use the margin. */
  cpu: number | null;
  /** Path nesting on that CPU (two spaces per level). */
  depth: number;
  text: string;
  /** The kernel function printed before the text as `fn(): ` (absent when the context says it). */
  fn?: string;
  /** Rows that continue the previous one (init's margin lines, group headers) print no index. */
  noLabel?: boolean;
  /** Barrier tags folded in, printed as ` [mb, serialize]`. */
  tags: string[];
  margin?: string;
  /** Per-CPU cells of the init row (initial state), instead of `cpu`/`text`. */
  cells?: string[];
  /** The kind of the event that owns the row (for folding decisions). */
  kind: TraceEvent['k'];
}

const unique = (xs: (string | null)[]): string[] => xs.filter((x, i): x is string => x !== null && xs.indexOf(x) === i);

/** The rows of `events`; `cited` events always get a row of their own. */
export function buildRows(events: readonly TraceEvent[], cited: ReadonlySet<number>): Row[] {
  const rows: Row[] = [];
  const freed = new Set<string>();
  const stacks = new Map<number, string[]>();
  const stack = (cpu: number) => stacks.get(cpu) ?? (stacks.set(cpu, []), stacks.get(cpu)!);
  const ctx: DescribeContext = {
    tasks: new Map(),
    manyCalls: new Set(events.flatMap((e) => (e.k === 'membarrier' ? [e.call] : []))).size > 1,
  };
  /** The `fn` to print before `text`, unless the enclosing path or the text itself names it. */
  const prefix = (cpu: number, fn: string | undefined, text: string) =>
    fn === undefined || fn === stack(cpu).at(-1) || text.startsWith(`${fn}(`) ? undefined : fn;

  /** The row of an ordinary event (index `i`), starting at `first` when barriers folded forward. */
  const pushEvent = (e: Exclude<TraceEvent, { cpu: null }>, i: number, first = i, tags: string[] = []) => {
    const d = describeEvent(e, ctx);
    const depth = stack(e.cpu).length;
    rows.push({ first, last: i, cpu: e.cpu, depth, text: d.text, fn: prefix(e.cpu, d.fn, d.text), tags, margin: d.margin, kind: e.k });
    if (e.k === 'task_mm' || e.k === 'task_new') ctx.tasks.set(e.task, { mm: e.mm, activeMm: e.activeMm });
  };

  /**
   * Rows for the run of barriers starting at `i` on one CPU; returns the index of the last event
   * consumed. The leading barriers that belong to the row before fold into it, the trailing ones
   * that belong to the next event fold into its row, and what is left gets a compact row.
   */
  const pushBarriers = (i: number): number => {
    const cpu = (events[i] as Barrier).cpu;
    let end = i + 1;
    if (!cited.has(i)) while (isBarrier(events[end]) && events[end].cpu === cpu && !cited.has(end)) end++;
    // Forward first: membarrier()'s smp_mb() shares its fn with the row before it, too.
    const next = events[end];
    const foldsForward = next !== undefined && next.k !== 'init' && next.cpu === cpu && !cited.has(end) && !cited.has(i);
    const to = foldsForward ? forwardStart(events.slice(i, end) as Barrier[], next) + i : end;
    let from = i;
    const last = rows.at(-1);
    const carrier = last && last.cpu === cpu && last.last === i - 1 ? events[last.first] : undefined;
    while (carrier && !cited.has(from) && from < to && belongsBack(events[from] as Barrier, carrier, last!.tags)) {
      last!.tags = unique([...last!.tags, tag(events[from] as Barrier, carrier)]);
      last!.last = from++;
    }
    if (to > from) {
      const run = events.slice(from, to) as Barrier[];
      const texts = unique(run.map(barrierText));
      const text = texts.join(' + ');
      // The last barrier's fn names the caller best (sync_core() called by ipi_sync_core()).
      const fn = run[run.length - 1].fn;
      const named = texts.some((t) => t.startsWith(`${fn}(`)) || fn.startsWith('smp_mb');
      rows.push({ first: from, last: to - 1, cpu, depth: stack(cpu).length, text, fn: named ? undefined : prefix(cpu, fn, text), tags: [], kind: run[0].k });
    }
    if (to < end && next !== undefined && next.k !== 'init') {
      pushEvent(next, end, to, unique((events.slice(to, end) as Barrier[]).map((b) => tag(b, next))));
      return end;
    }
    return end - 1;
  };

  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (e.k === 'init') {
      rows.push(...initRows(e, i));
      for (const t of e.tasks) ctx.tasks.set(t.task, { mm: t.mm, activeMm: t.activeMm });
    } else if (isBarrier(e)) {
      i = pushBarriers(i);
    } else if (e.k === 'path' && e.phase === 'begin') {
      rows.push({ first: i, last: i, cpu: e.cpu, depth: stack(e.cpu).length, text: `${e.fn}():  (${e.task})`, tags: [], kind: e.k });
      stack(e.cpu).push(e.fn);
    } else if (e.k === 'path') {
      const s = stack(e.cpu);
      const at = s.lastIndexOf(e.fn);
      if (at >= 0) s.length = at; // an unmatched end closes nothing
      if (cited.has(i)) rows.push({ first: i, last: i, cpu: e.cpu, depth: s.length, text: `${e.fn}() done`, tags: [], kind: e.k });
    } else if (e.k === 'deref' && e.mm !== null && !freed.has(e.mm) && !cited.has(i)) {
      // An NMI or page walk through a live mm is the normal case; only a cited one or one that
      // finds NULL or a freed mm tells the story.
    } else {
      pushEvent(e, i);
      if (e.k === 'mm_free') freed.add(e.mm);
      if (e.k === 'mm_alloc') freed.delete(e.mm);
    }
  }
  return groupRuns(rows);
}

/** Event 0: every CPU's initial task and mm in its column; the mms' counts in the margin. */
function initRows(e: InitEvent, index: number): Row[] {
  const cells: string[] = [];
  for (const c of e.cpus) {
    const state = [c.mode, c.loadedMm, ...(c.isLazy ? ['lazy'] : []), ...(c.online ? [] : ['offline'])];
    cells[c.cpu] = `${c.curr} (${state.join(', ')})`;
  }
  const counts = e.mms.filter((m) => !m.static).map((m) => `${m.mm}.mm_users ${m.users}, mm_count ${m.count}`);
  const base: Row = { first: index, last: index, cpu: null, depth: 0, text: '', tags: [], kind: 'init' };
  return [
    { ...base, cells, margin: counts[0] },
    ...counts.slice(1).map((margin) => ({ ...base, noLabel: true, margin })),
  ];
}
