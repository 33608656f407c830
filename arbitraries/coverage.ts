/**
 * Interleaving coverage, read from the trace (docs/trace-format.md) and nothing else: what a run
 * exercised, as a set of 32-bit feature hashes, for the corpus-driven search (./coverage-search.ts).
 *
 * Features (each hashed into one number):
 * - **cross pairs**: for every event that lands on CPU B, and every other online CPU A, the pair
 *   (A's context) x (B's event class), with relation bits: the event targets A (a membarrier scan
 *   of A, an IPI or cpumask update for A, A going offline) and A's current task shares the mm of
 *   B's current task or of the event. A's context is the kernel path in flight on A (innermost
 *   `path` begin/end, a `membarrier()` call or registration between its enter and return) with
 *   the step it is at (the number of A's events since the path began, capped), A's user/kernel
 *   mode and the type of A's current task.
 * - **own pairs**: the same for an event of B against B's own context (an IPI handled in the middle
 *   of a path on the same CPU), and the edge (B's previous event class, this class) as AFL counts
 *   branch edges.
 * - **windows**: for every event on CPU B and every other CPU A with a kernel path open, (A's
 *   path) x (the class of A's last event inside it: the step boundary A stopped at) x (B's event
 *   class) x (whether A's path already targeted B: scanned it, sent it an IPI, updated its cpumask
 *   bit). An event that lands on B after A's path began and before the path reached B is what a
 *   window race needs (an interval ending between a membarrier()'s entry barrier and its scan of
 *   B, a switch between a flush's generation bump and its IPIs); this family tells those apart
 *   from the same event landing after A dealt with B, which the step count of a cross pair does not.
 * - **IPI modes**: the handler with the mode the IPI found the CPU in (user: `user_exit` via `ipi`
 *   just before it) and the way that CPU goes back to user mode after it (`user_enter` via).
 * - **configuration shape**: CPUs, processes, threads, kthreads, and whether tasks share CPUs.
 * - **conjunctions** (./coverage-conj.ts; only with the `conjunctions` option, off by default:
 *   docs/search.md "Conjunction features" measured no gain from them): B's IPIs, own paths and
 *   return to user qualified by the window B's kernel stay began in (entry window), and A's path
 *   events qualified by how far a CPU that entered the kernel inside the path got (ladder).
 *
 * Classes are small integers computed from kinds and a few discriminating fields; function names
 * are interned. Cheap: a few Set insertions per event. `explain` also records readable names of the
 * features (for tests and debugging only).
 */
import type { ModelConfig } from '../src/engine/contract';
import type { InitEvent, TraceEvent } from '../src/trace/events';
import { fmix32 } from './fmix';
import {
  ENTRY_IPI,
  ENTRY_PATH,
  ENTRY_RETURN,
  LADDER,
  foldWindow,
  ladder,
  ladderEntry,
  ladderExit,
  ladderIpi,
  ladderTarget,
  windowPart,
  type LadderState,
} from './coverage-conj';

/** Largest step index kept distinct inside a path (later steps share one bucket). */
const STEP_CAP = 15;

const names = new Map<string, number>();
/** A small stable integer per string (function names, kinds, cmds), shared by all trackers. */
function intern(s: string): number {
  let id = names.get(s);
  if (id === undefined) names.set(s, (id = names.size + 1));
  return id;
}

/** Hash of a few small integers (FNV-1a over 32-bit words, then murmur3's finaliser). */
function hash4(a: number, b: number, c: number, d: number): number {
  let h = 0x811c9dc5;
  h = Math.imul(h ^ a, 0x01000193);
  h = Math.imul(h ^ b, 0x01000193);
  h = Math.imul(h ^ c, 0x01000193);
  h = Math.imul(h ^ d, 0x01000193);
  return fmix32(h);
}

/** Feature families (the first word of each hash). */
const CROSS = 1;
const OWN = 2;
const EDGE = 3;
const IPI_MODE = 4;
const IPI_RETURN = 5;
const SHAPE = 6;
const WINDOW = 7;

interface CpuCtx {
  /** Open paths, innermost last. */
  paths: PathFrame[];
  /** Events on this CPU so far. */
  events: number;
  user: boolean;
  online: boolean;
  curr: string;
  /** Class of the CPU's previous event (0: none). */
  prevClass: number;
  /** The CPU left user mode for an IPI (user_exit via ipi) and has not handled it yet. */
  ipiFromUser: boolean;
  /** Handler and arrival mode of the last IPI handled since the CPU last entered user mode (0: none). */
  lastIpi: number;
  /** Entry window of the current kernel stay (./coverage-conj.ts; 0: none, or the CPU is in user mode). */
  entry: number;
  /** Its readable form (only with `explain`). */
  entryName: string;
  /** The paths of other CPUs open when the stay began. */
  entryFrames: { cpu: number; frame: PathFrame }[];
}

interface PathFrame {
  /** Interned name. */
  name: number;
  /** The CPU's event count when it began. */
  at: number;
  /** Class of the CPU's last event inside the path (0: none yet). */
  last: number;
  /** Bit per CPU the path targeted so far (a scan, an IPI, a cpumask update of that CPU). */
  targeted: number;
  /** How far a CPU that entered the kernel inside the path got (./coverage-conj.ts). */
  ladder: LadderState;
}

/** Options of {@link InterleavingCoverage}. */
export interface CoverageOptions {
  /** Record readable names of the features (tests and benches). */
  explain?: boolean;
  onFeature?: (feature: number, conjunction: boolean) => void;
  /** Also the conjunction features of ./coverage-conj.ts (default false). */
  conjunctions?: boolean;
}

/** Incremental coverage of one run. */
export class InterleavingCoverage {
  /** The feature hashes of the run so far. */
  readonly features = new Set<number>();
  /** Readable names of the features (only with `explain`). */
  readonly explained: Set<string> | null;
  private readonly cpus: CpuCtx[];
  private readonly taskMm = new Map<string, string | null>();
  private readonly taskType = new Map<string, string>();

  private readonly onFeature: ((feature: number, conjunction: boolean) => void) | undefined;
  private readonly conjunctions: boolean;

  /**
   * `onFeature` is told each feature the first time this run reaches it (as the event that reached
   * it is observed), and whether it is a conjunction feature (./coverage-conj.ts), which are only
   * reached with `conjunctions`.
   */
  constructor(init: InitEvent, config?: ModelConfig, options: CoverageOptions = {}) {
    this.explained = options.explain ? new Set() : null;
    this.onFeature = options.onFeature;
    this.conjunctions = options.conjunctions ?? false;
    for (const t of init.tasks) {
      this.taskMm.set(t.task, t.mm);
      this.taskType.set(t.task, t.type);
    }
    this.cpus = init.cpus.map((c) => ({
      paths: [],
      events: 0,
      user: c.mode === 'user',
      online: c.online,
      curr: c.curr,
      prevClass: 0,
      ipiFromUser: false,
      lastIpi: 0,
      entry: 0,
      entryName: '',
      entryFrames: [],
    }));
    if (config) {
      const shared = config.procs * config.threads + config.kthreads > config.cpus ? 1 : 0;
      const shape = ((config.cpus * 8 + config.procs) * 8 + config.threads) * 8 + config.kthreads;
      this.add(hash4(SHAPE, shape, shared, 0), () => `shape ${config.cpus}/${config.procs}/${config.threads}/${config.kthreads}${shared ? ' shared' : ''}`);
    }
  }

  /** Fold in the next event of the trace (after `init`). */
  observe(ev: TraceEvent): void {
    if (ev.cpu === null) return;
    const b = ev.cpu;
    const cb = this.cpus[b];
    if (cb === undefined) return;
    const cls = eventClass(ev);
    // Own context and edge, before the event changes them.
    this.add(hash4(OWN, this.context(b), cls, 0), () => `own ${this.contextName(b)} x ${className(ev)}`);
    this.add(hash4(EDGE, cb.prevClass, cls, 0), () => `edge ${cb.prevClass} -> ${className(ev)}`);
    const target = targetOf(ev);
    const bMm = this.mmOf(cb.curr);
    const evMm = 'mm' in ev && typeof ev.mm === 'string' ? ev.mm : null;
    for (let a = 0; a < this.cpus.length; a++) {
      if (a === b) continue;
      const ca = this.cpus[a];
      if (!ca.online && target !== a) continue;
      const aMm = this.mmOf(ca.curr);
      const rel = (target === a ? 1 : 0) | (aMm !== null && aMm === bMm ? 2 : 0) | (aMm !== null && aMm === evMm ? 4 : 0);
      this.add(hash4(CROSS, this.context(a), cls, rel), () => `cross A:${this.contextName(a)} x B:${className(ev)} rel${rel}`);
      const top = ca.paths[ca.paths.length - 1];
      if (top !== undefined) {
        const reached = b < 31 && (top.targeted & (1 << b)) !== 0 ? 1 : 0;
        this.add(hash4(WINDOW, top.name * 4096 + top.last, cls, reached), () => `window A:${nameOf(top.name)} after ${top.last === 0 ? '-' : nameOf(top.last)} x B:${className(ev)} ${reached ? 'after' : 'before'} A reached B`);
      }
    }
    const own = cb.paths[cb.paths.length - 1];
    if (own !== undefined) {
      own.last = cls;
      if (target >= 0 && target < 31) {
        const inKernel = this.cpus[target] !== undefined && !this.cpus[target].user;
        for (const f of cb.paths) {
          if (this.conjunctions) ladderTarget(f.ladder, target, inKernel);
          f.targeted |= 1 << target;
        }
      }
      const { level, at } = own.ladder;
      if (level > 0) this.add(hash4(LADDER, own.name, cls, level * 65536 + at), () => `ladder ${nameOf(own.name)} x ${className(ev)} level ${level} entered after ${at === 0 ? '-' : nameOf(at)}`, true);
    }
    this.update(ev, cb, b, cls);
    cb.events++;
    cb.prevClass = cls;
  }

  private update(ev: TraceEvent, c: CpuCtx, b: number, cls: number): void {
    switch (ev.k) {
      case 'path':
        if (c.entry !== 0) {
          const entry = c.entry;
          this.add(hash4(ENTRY_PATH, entry, cls, 0), () => `entry [${c.entryName}] then ${className(ev)}`, true);
        }
        if (ev.phase === 'begin') c.paths.push(frame(intern(ev.fn), c.events + 1));
        else popPath(c, intern(ev.fn));
        break;
      case 'membarrier':
        if (ev.phase === 'enter') c.paths.push(frame(intern(`membarrier:${ev.cmd}`), c.events + 1));
        else if (ev.phase === 'return') popPath(c, intern(`membarrier:${ev.cmd}`));
        break;
      case 'membarrier_register':
        if (ev.phase === 'enter') c.paths.push(frame(intern('membarrier_register'), c.events + 1));
        else if (ev.phase === 'return') popPath(c, intern('membarrier_register'));
        break;
      case 'user_exit':
        c.user = false;
        c.ipiFromUser = ev.via === 'ipi';
        if (this.conjunctions) this.enterKernel(c, b);
        break;
      case 'user_enter': {
        c.user = true;
        const last = c.lastIpi;
        if (last !== 0) this.add(hash4(IPI_RETURN, last, intern(ev.via), 0), () => `ipi-return ${last} then ${ev.via}`);
        if (c.entry !== 0) {
          const open = c.entryFrames.some(({ cpu, frame: f }) => this.cpus[cpu].paths.includes(f)) ? 1 : 0;
          this.add(hash4(ENTRY_RETURN, c.entry, last, intern(ev.via) * 2 + open), () => `entry [${c.entryName}] then ipi ${last} then ${ev.via}${open ? ' inside' : ' after'} the window`, true);
        }
        c.lastIpi = 0;
        c.entry = 0;
        c.entryFrames = [];
        if (this.conjunctions && b < 31) for (const o of this.cpus) for (const f of o.paths) ladderExit(f.ladder, b);
        break;
      }
      case 'ipi_handle': {
        const mode = c.ipiFromUser ? 1 : 0;
        c.ipiFromUser = false;
        c.lastIpi = intern(ev.fn) * 2 + mode;
        this.add(hash4(IPI_MODE, intern(ev.fn), mode, this.context(ev.cpu)), () => `ipi ${ev.fn} from ${mode ? 'user' : 'kernel'} in ${this.contextName(ev.cpu)}`);
        if (c.entry !== 0) this.add(hash4(ENTRY_IPI, c.entry, c.lastIpi, 0), () => `entry [${c.entryName}] then ipi ${ev.fn} from ${mode ? 'user' : 'kernel'}`, true);
        if (this.conjunctions && mode === 0 && b < 31) for (const o of this.cpus) if (o !== c) for (const f of o.paths) ladderIpi(f.ladder, b);
        break;
      }
      case 'switch_to':
        c.curr = ev.task;
        break;
      case 'task_new':
        this.taskMm.set(ev.task, ev.mm);
        this.taskType.set(ev.task, ev.type);
        break;
      case 'task_mm':
        this.taskMm.set(ev.task, ev.mm);
        break;
      case 'cpu_online': {
        const t = this.cpus[ev.target];
        if (t) t.online = ev.online;
        break;
      }
      default:
        break;
    }
  }

  /**
   * CPU `b` leaves user mode: its entry window (every other CPU's innermost open path, that path's
   * last class, whether it targeted `b`) and the first rung of the ladder on every open path.
   */
  private enterKernel(c: CpuCtx, b: number): void {
    const parts: number[] = [];
    const frames: { cpu: number; frame: PathFrame }[] = [];
    const bit = b < 31 ? 1 << b : 0;
    for (let a = 0; a < this.cpus.length; a++) {
      const ca = this.cpus[a];
      if (a === b || ca.paths.length === 0) continue;
      for (const f of ca.paths) if (bit !== 0) ladderEntry(f.ladder, b, f.last, (f.targeted & bit) !== 0);
      const top = ca.paths[ca.paths.length - 1];
      parts.push(windowPart(top.name, top.last, (top.targeted & bit) !== 0));
      frames.push({ cpu: a, frame: top });
    }
    c.entry = foldWindow(parts);
    c.entryFrames = frames;
    if (this.explained) {
      c.entryName = frames
        .map(({ frame: f }) => `${nameOf(f.name)} after ${f.last === 0 ? '-' : nameOf(f.last)} ${(f.targeted & bit) !== 0 ? 'after' : 'before'} reaching B`)
        .sort()
        .join(', ');
    }
  }

  /** CPU `a`'s context as one integer: innermost path and step, mode, task type. */
  private context(a: number): number {
    const c = this.cpus[a];
    const top = c.paths[c.paths.length - 1];
    const step = top === undefined ? 0 : Math.min(STEP_CAP, c.events - top.at + 1);
    const type = this.taskType.get(c.curr);
    const t = type === 'user' ? 0 : type === 'kthread' ? (this.mmOf(c.curr) === null ? 1 : 2) : 3;
    return ((((top?.name ?? 0) * 16 + step) * 2 + (c.user ? 1 : 0)) * 4 + t) * 2 + (c.online ? 1 : 0);
  }

  private contextName(a: number): string {
    const c = this.cpus[a];
    const top = c.paths[c.paths.length - 1];
    const path = top === undefined ? '-' : `${nameOf(top.name)}#${Math.min(STEP_CAP, c.events - top.at + 1)}`;
    return `${path} ${c.user ? 'user' : 'kernel'} ${this.taskType.get(c.curr) ?? '?'}${this.mmOf(c.curr) === null ? '' : '+mm'}${c.online ? '' : ' offline'}`;
  }

  private mmOf(task: string): string | null {
    return this.taskMm.get(task) ?? null;
  }

  private add(feature: number, name: () => string, conjunction = false): void {
    if (conjunction && !this.conjunctions) return;
    if (this.onFeature !== undefined && !this.features.has(feature)) this.onFeature(feature, conjunction);
    this.features.add(feature);
    if (this.explained) this.explained.add(name());
  }
}

function frame(name: number, at: number): PathFrame {
  return { name, at, last: 0, targeted: 0, ladder: ladder() };
}

function popPath(c: CpuCtx, name: number): void {
  for (let i = c.paths.length - 1; i >= 0; i--) {
    if (c.paths[i].name === name) {
      c.paths.splice(i, 1);
      return;
    }
  }
}

function nameOf(id: number): string {
  for (const [s, i] of names) if (i === id) return s;
  return String(id);
}

/** The CPU an event is about, when it is not the CPU it happens on. */
function targetOf(ev: TraceEvent): number {
  switch (ev.k) {
    case 'membarrier_scan':
    case 'ipi_send':
    case 'cpumask':
    case 'cpu_online':
      return ev.target;
    default:
      return -1;
  }
}

/** The class of an event: its kind and the fields that tell apart what it did. */
export function eventClass(ev: TraceEvent): number {
  return intern(className(ev));
}

/** The readable class of an event (interned by {@link eventClass}). */
export function className(ev: TraceEvent): string {
  switch (ev.k) {
    case 'path':
      return `path:${ev.fn}:${ev.phase}`;
    case 'membarrier':
      return `membarrier:${ev.cmd}:${ev.phase}${ev.shortCircuit ? ':short' : ''}${ev.ret === -1 ? ':eperm' : ''}`;
    case 'membarrier_scan':
      return `scan:${ev.selected ? 'ipi' : 'skip'}:${ev.currMm === null ? 'nomm' : 'mm'}`;
    case 'membarrier_register':
      return `register:${ev.cmd}:${ev.phase}`;
    case 'ipi_send':
      return `ipi_send:${ev.func}`;
    case 'ipi_handle':
      return `ipi_handle:${ev.fn}${ev.local ? ':local' : ''}`;
    case 'ref':
      return `ref:${ev.fn}:${ev.counter}:${ev.delta}:${ev.token}${ev.value === 0 ? ':zero' : ''}`;
    case 'ref_move':
      return `ref_move:${ev.fn}:${ev.token}`;
    case 'user_enter':
    case 'user_exit':
      return `${ev.k}:${ev.via}`;
    case 'serialize':
      return `serialize:${ev.how}`;
    case 'load_mm':
      return `load_mm:${ev.fn}:${ev.mm === 'SWITCHING' ? 'switching' : ev.mm === 'init_mm' ? 'init' : 'mm'}${ev.cr3Write ? ':cr3' : ''}${ev.flushed ? ':flushed' : ''}`;
    case 'cpumask':
      return `cpumask:${ev.fn}:${ev.set ? 'set' : 'clear'}`;
    case 'lazy':
      return `lazy:${ev.lazy}`;
    case 'task_state':
      return `task_state:${ev.state}`;
    case 'task_mm':
      return `task_mm:${ev.fn}:${ev.mm === null ? 'null' : 'mm'}:${ev.activeMm === null ? 'null' : 'mm'}`;
    case 'tlb_gen':
    case 'flush_done':
      return `${ev.k}:${ev.freedTables ? 'freed' : 'plain'}`;
    case 'deref':
      return `deref:${ev.who}:${ev.mm === null ? 'null' : 'mm'}`;
    case 'temp_mm':
      return `temp_mm:${ev.mm === null ? 'out' : 'in'}`;
    case 'kthread_access':
      return `kthread_access:${ev.phase}`;
    case 'hazard':
      return `hazard:${ev.slot}:${ev.mm === null ? 'null' : 'mm'}`;
    case 'unlazy_scan':
      return `unlazy_scan:${ev.found}`;
    case 'cpu_online':
      return `cpu_online:${ev.online}`;
    case 'prev_mm':
      return `prev_mm:${ev.mm === null ? 'null' : 'mm'}`;
    default:
      return `${ev.k}:${ev.fn}`;
  }
}

/** The features of a whole trace (`init` first). */
export function traceCoverage(events: readonly TraceEvent[], config?: ModelConfig, options: { explain?: boolean; conjunctions?: boolean } = {}): InterleavingCoverage {
  const init = events[0];
  if (!init || init.k !== 'init') throw new Error('traceCoverage: the trace must start with its init event');
  const cov = new InterleavingCoverage(init, config, options);
  for (let i = 1; i < events.length; i++) cov.observe(events[i]);
  return cov;
}
