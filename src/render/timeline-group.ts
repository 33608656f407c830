/**
 * Groups a CPU's consecutive rows that run in the same kernel function, the way membarrier.c writes
 * `exit_mm():` over its indented steps: a run of rows on one CPU, uninterrupted by other CPUs, with
 * at least MIN_GROUP rows prefixed by the same `fn():` gets one `fn():` header and loses the
 * prefixes. Rows of other functions inside the run (a handler the function called) stay in it,
 * indented and with their own prefix. Paths the engine brackets explicitly are handled earlier;
 * this catches functions that only tag their events (membarrier(), for example).
 */
import type { Row } from './timeline-rows';

/** Below three rows a header costs more lines than the prefixes it saves. */
const MIN_GROUP = 3;

export function groupRuns(rows: readonly Row[]): Row[] {
  const out: Row[] = [];
  for (let i = 0; i < rows.length; ) {
    const r = rows[i];
    const end = r.fn !== undefined && r.cpu !== null ? runEnd(rows, i) : i;
    if (end === i) {
      out.push(r);
      i++;
      continue;
    }
    out.push({ ...r, first: r.first, last: r.first, noLabel: true, text: `${r.fn}():`, fn: undefined, tags: [], margin: undefined, kind: 'path' });
    for (let k = i; k <= end; k++) {
      const member = rows[k];
      out.push({ ...member, depth: member.depth + 1, fn: member.fn === r.fn ? undefined : member.fn });
    }
    i = end + 1;
  }
  return out;
}

/** The last row of the group starting at `start`, or `start` when there is no group. */
function runEnd(rows: readonly Row[], start: number): number {
  const { fn, cpu, depth } = rows[start];
  let count = 0;
  let last = start;
  for (let k = start; k < rows.length; k++) {
    const r = rows[k];
    if (r.cpu !== cpu || r.depth !== depth || r.kind === 'path') break;
    if (r.fn === fn) {
      count++;
      last = k;
    }
  }
  return count >= MIN_GROUP ? last : start;
}
