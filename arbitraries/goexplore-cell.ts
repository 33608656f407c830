/**
 * The cells of the Go-Explore search (./goexplore-search.ts): an abstract state of the machine
 * between two ops, read from the trace only (docs/trace-format.md, folded by ./trace-view.ts and by
 * the few per-CPU facts tracked here). Nothing names a path, a command or a bug: path names, event
 * kinds and membarrier commands are whatever the trace carries.
 *
 * A cell is, for every CPU in order:
 * - online or not, user or kernel mode, and whether the current task is in a syscall (it can return
 *   by SYSRET);
 * - the innermost kernel path in flight on the CPU (a `path` begin/end pair, a `membarrier` call or
 *   a `membarrier_register` between its enter and return, with its command) and the set of CPUs
 *   the path has targeted so far (scanned, sent an IPI, changed the cpumask bit of): what tells
 *   "between the entry barrier and the scan of CPU 1" from "after"; with FULL_GRAIN also the *kind*
 *   of the CPU's last event inside the path (the step boundary it stopped at). The default
 *   (DEFAULT_GRAIN) leaves that out: measured, it about doubles the cells (x86/refcount, 500
 *   generated runs, 2 CPUs: 6,131 against 3,472) and reached the rare states no more often;
 * - the type of the current task (user, kthread without mm, kthread using an mm, idle), whether the
 *   CPU is lazy (running on a borrowed user mm), and whether the mm it runs on is the mm of another
 *   CPU's current task;
 * - the membarrier registration bits of that mm (`mm->membarrier_state`);
 * - whether an IPI is pending for the CPU.
 * Task and mm names are not part of a cell (two runs that differ only by which process did it meet
 * in the same cell), nor is the configuration beyond the number of CPUs.
 */
import type { InitEvent, MmId, TraceEvent } from '../src/trace/events';
import { fmix32 } from './fmix';
import type { TraceView } from './trace-view';

const names = new Map<string, number>();
/** A small stable integer per string, shared by all trackers. */
function intern(s: string): number {
  let id = names.get(s);
  if (id === undefined) names.set(s, (id = names.size + 1));
  return id;
}

interface PathFrame {
  name: string;
  /** Kind of the CPU's last event inside the path ('' before its first). */
  last: string;
  /** Bit per CPU the path targeted so far. */
  targeted: number;
}

/** The CPU an event is about, when it is not the CPU it happens on (-1: none). */
function targetOf(ev: TraceEvent): number {
  switch (ev.k) {
    case 'membarrier_scan':
    case 'ipi_send':
    case 'cpumask':
      return ev.target;
    default:
      return -1;
  }
}

/** Which parts of a CPU's state a cell keeps (measurements; the default keeps all). */
export interface CellGrain {
  lastKind: boolean;
  /** The CPUs the path targeted: as a bit set, as a count (0, 1, 2+), or not at all. */
  targeted: 'bits' | 'count' | 'none';
  registration: boolean;
  path: boolean;
  /** Also online, in-syscall and lazy (else: mode, task type, shared mm, pending IPI only). */
  allFlags: boolean;
  /** The CPUs' tuples as a multiset (sorted), so that relabelling the CPUs gives the same cell. */
  sorted: boolean;
}

export const FULL_GRAIN: CellGrain = { lastKind: true, targeted: 'bits', registration: true, path: true, allFlags: true, sorted: false };

/** The cell of the search: everything but the kind of the last event in the path (measured: it doubles the cells). */
export const DEFAULT_GRAIN: CellGrain = { ...FULL_GRAIN, lastKind: false };

/** Per-CPU path frames, folded from the trace; the cell of the state after each op. */
export class CellTracker {
  private readonly paths: PathFrame[][];

  constructor(init: InitEvent, private readonly grain: CellGrain = DEFAULT_GRAIN) {
    this.paths = init.cpus.map(() => []);
  }

  /** Fold in the next event of the trace (after `init`). */
  observe(ev: TraceEvent): void {
    if (ev.cpu === null) return;
    const stack = this.paths[ev.cpu];
    if (stack === undefined) return;
    const top = stack[stack.length - 1];
    if (top !== undefined) {
      top.last = ev.k;
      const t = targetOf(ev);
      if (t >= 0 && t < 31) for (const f of stack) f.targeted |= 1 << t;
    }
    switch (ev.k) {
      case 'path':
        if (ev.phase === 'begin') stack.push(frame(ev.fn));
        else pop(stack, ev.fn);
        break;
      case 'membarrier':
        if (ev.phase === 'enter') stack.push(frame(`membarrier:${ev.cmd}`));
        else if (ev.phase === 'return') pop(stack, `membarrier:${ev.cmd}`);
        break;
      case 'membarrier_register':
        if (ev.phase === 'enter') stack.push(frame(`membarrier_register:${ev.cmd}`));
        else if (ev.phase === 'return') pop(stack, `membarrier_register:${ev.cmd}`);
        break;
      default:
        break;
    }
  }

  /** The cell of the current state, as one 32-bit hash. */
  cell(view: TraceView): number {
    let h = 0x811c9dc5;
    const mix = (x: number) => (h = Math.imul(h ^ x, 0x01000193));
    const words = this.paths.map((_, c) => this.cpuWords(view, c));
    if (this.grain.sorted) words.sort((a, b) => a.reduce((d, x, i) => d || x - b[i], 0));
    for (const w of words) for (const x of w) mix(x);
    return fmix32(h);
  }

  /**
   * The coarse cell (the *bucket*) the cell belongs to: the set (not the number, not the labels)
   * of the CPUs' situations (mode, pending IPI, mm registered for any membarrier command, some
   * kernel path in flight) present: at most 2^16, a few hundred reached. The archive selects a bucket first,
   * then a cell in it (./goexplore-archive.ts).
   */
  bucket(view: TraceView): number {
    const words: number[] = [];
    for (let c = 0; c < this.paths.length; c++) {
      const f = this.facts(view, c);
      words.push((f.user ? 1 : 0) | (f.pendingIpi ? 2 : 0) | (f.registration !== 0 ? 4 : 0) | (this.paths[c].length > 0 ? 8 : 0));
    }
    let h = 0x811c9dc5;
    for (const x of [...new Set(words)].sort((a, b) => a - b)) h = Math.imul(h ^ x, 0x01000193);
    return fmix32(h);
  }

  /** The cell in words (tests and debugging). */
  describe(view: TraceView): string {
    return this.paths.map((_, c) => this.cpuName(view, c)).join(' | ');
  }

  private cpuWords(view: TraceView, c: number): number[] {
    const f = this.facts(view, c);
    const top = this.paths[c][this.paths[c].length - 1];
    const g = this.grain;
    const all = g.allFlags;
    const bits = (all && f.online ? 1 : 0) | (f.user ? 2 : 0) | (all && f.inSyscall ? 4 : 0) | (all && f.lazy ? 8 : 0) | (f.shared ? 16 : 0) | (f.pendingIpi ? 32 : 0);
    return [
      bits * 4 + f.type,
      top === undefined || !g.path ? 0 : intern(top.name),
      top === undefined || !g.lastKind ? 0 : intern(top.last),
      top === undefined || g.targeted === 'none' ? 0 : g.targeted === 'bits' ? top.targeted : Math.min(2, popcount(top.targeted)),
      g.registration ? f.registration : 0,
    ];
  }

  private cpuName(view: TraceView, c: number): string {
    const f = this.facts(view, c);
    const top = this.paths[c][this.paths[c].length - 1];
    const path = top === undefined ? '-' : `${top.name} after ${top.last || '-'} targeted ${top.targeted.toString(2)}`;
    const type = ['user', 'kthread', 'kthread+mm', 'idle'][f.type];
    return [
      f.online ? '' : 'offline',
      f.user ? 'user' : 'kernel',
      f.inSyscall ? 'syscall' : '',
      path,
      type,
      f.lazy ? 'lazy' : '',
      f.shared ? 'shared-mm' : '',
      f.registration ? `registered ${f.registration}` : '',
      f.pendingIpi ? 'ipi-pending' : '',
    ]
      .filter((s) => s !== '')
      .join(' ');
  }

  private facts(view: TraceView, c: number) {
    const t = view.currentFacts(c);
    const mm = effectiveMm(view, c);
    let shared = false;
    if (mm !== null) for (let o = 0; o < view.cpus && !shared; o++) shared = o !== c && effectiveMm(view, o) === mm;
    return {
      online: view.online(c),
      user: view.mode(c) === 'user',
      inSyscall: t?.inSyscall === true,
      type: t === undefined || t.type === 'user' ? 0 : t.type === 'kthread' ? (t.mm === null ? 1 : 2) : 3,
      lazy: view.isLazy(c),
      shared,
      registration: view.membarrierState(mm),
      pendingIpi: view.hasPendingIpi(c),
    };
  }
}

/** The user mm `cpu` runs on: its current task's own mm, or the one it borrows lazily. */
function effectiveMm(view: TraceView, cpu: number): MmId | null {
  const t = view.currentFacts(cpu);
  if (t === undefined) return null;
  return t.mm ?? view.lazyMm(cpu);
}

function popcount(x: number): number {
  let n = 0;
  for (; x !== 0; x &= x - 1) n++;
  return n;
}

function frame(name: string): PathFrame {
  return { name, last: '', targeted: 0 };
}

function pop(stack: PathFrame[], name: string): void {
  for (let i = stack.length - 1; i >= 0; i--) {
    if (stack[i].name === name) {
      stack.splice(i, 1);
      return;
    }
  }
}
