/**
 * The semantic rules of the trace format: what an event may say given the events before it. The JSON
 * Schema (./schema.ts) checks each event alone; these rules check it against the trace so far, so an
 * engine or tracer that emits impossible histories (a switch to a task that does not exist, a `path`
 * end with no begin, a CPU entering user mode while it is already there) is told so instead of
 * being judged by the properties.
 *
 * Table-driven: one row per event kind in RULES, naming the fields that refer to CPUs, tasks and mms
 * and any check or bookkeeping of its own. A kind without a row gets only the schema and the
 * common checks (its `cpu` in range). To add a kind, add its row; the rule names are what errors cite.
 *
 * The rules only reject what no complete and correct history contains. Where an omitted kind is
 * already reported as such by the sufficiency check of check-trace (a trace with no `mm_alloc`, no
 * `user_exit`, ...), the rule that depends on that kind waits until the trace has shown it once:
 * a missing kind stays an "insufficient" verdict, a wrong one is an error.
 */
import { SWITCH_PATHS, type EventKind, type InitEvent, type TraceEvent } from './events';

/** One broken rule: its name, the JSON pointer of the offending field in the event, and why. */
export interface RuleProblem {
  rule: string;
  path: string;
  message: string;
}

/**
 * What the rules know about the trace so far. The explorer clones it at every transition, so a
 * clone shares what it has not changed: the sets of tasks, mms and kinds seen (copied by the first
 * add: addTask(), addMm(), see()), the per-CPU open paths and the suspended ones (arrays never
 * changed in place: every change writes a new array).
 */
export class TraceFacts {
  readonly cpus: number;
  private tasksSet: Set<string>;
  private mmsSet: Set<string>;
  private seenSet: Set<string>;
  /** Which of the three sets this copy owns (may change in place). */
  private owned = { tasks: true, mms: true, seen: true };
  /** Per CPU: whether it runs user code (init's `mode`, then user_enter / user_exit). */
  readonly userMode: boolean[];
  /** Per CPU: the `path`s begun and not yet ended that run there, innermost last (never changed in place). */
  readonly paths: (readonly OpenPath[])[];
  /**
   * Per task: the paths of a task switched out mid-path (a preemption point inside exit_mm(),
   * kthread_use_mm(), membarrier(), ...), innermost last; they resume on the CPU it runs on next.
   * Same rule as the properties' properties/lib/path-frames.ts. The arrays are never changed in place.
   */
  readonly suspended: Map<string, readonly OpenPath[]>;

  constructor(init: InitEvent | TraceFacts) {
    if (init instanceof TraceFacts) {
      this.cpus = init.cpus;
      this.tasksSet = init.tasksSet;
      this.mmsSet = init.mmsSet;
      this.seenSet = init.seenSet;
      this.owned = { tasks: false, mms: false, seen: false };
      this.userMode = [...init.userMode];
      this.paths = [...init.paths];
      this.suspended = new Map(init.suspended);
      return;
    }
    this.cpus = init.cpus.length;
    this.tasksSet = new Set(init.tasks.map((t) => t.task));
    this.mmsSet = new Set(init.mms.map((m) => m.mm));
    this.seenSet = new Set<string>();
    this.userMode = init.cpus.map((c) => c.mode === 'user');
    this.paths = init.cpus.map(() => []);
    this.suspended = new Map();
  }

  /** Task ids seen (init's, task_new's). */
  get tasks(): ReadonlySet<string> {
    return this.tasksSet;
  }

  /** Mm ids seen (init's, mm_alloc's). */
  get mms(): ReadonlySet<string> {
    return this.mmsSet;
  }

  /** Kinds seen so far (for the rules that wait for a kind). */
  get seen(): ReadonlySet<string> {
    return this.seenSet;
  }

  addTask(task: string): void {
    if (!this.owned.tasks) [this.tasksSet, this.owned.tasks] = [new Set(this.tasksSet), true];
    this.tasksSet.add(task);
  }

  addMm(mm: string): void {
    if (!this.owned.mms) [this.mmsSet, this.owned.mms] = [new Set(this.mmsSet), true];
    this.mmsSet.add(mm);
  }

  /** Note that an event of kind `k` passed the rules. */
  see(k: string): void {
    if (this.seenSet.has(k)) return;
    if (!this.owned.seen) [this.seenSet, this.owned.seen] = [new Set(this.seenSet), true];
    this.seenSet.add(k);
  }

  /** An independent copy (the explorer branches a trace at every state). */
  clone(): TraceFacts {
    return new TraceFacts(this);
  }
}

/** A `path` begun and not yet ended. */
export interface OpenPath {
  fn: string;
  task: string;
  index: number;
}

type EventOf<K extends EventKind> = Extract<TraceEvent, { k: K }>;

/** The rules of one kind. Field lists name fields whose value (when not null) must be known. */
export interface KindRules<E> {
  /** Fields holding a CPU number (besides `cpu`, always checked). */
  cpus?: readonly string[];
  /** Fields holding a task id that must exist (init's tasks, or a task_new before). */
  tasks?: readonly string[];
  /** Fields holding an mm id that must exist (init's mms, or an mm_alloc before). */
  mms?: readonly string[];
  /** Fields holding a reference owner (`rq:<cpu>`, `local:<cpu>:<fn>`, ...), whose CPU must exist. */
  owners?: readonly string[];
  /** A check of its own; returns the problem, if any. */
  check?: (ev: E, facts: TraceFacts, index: number) => RuleProblem | undefined;
  /** Bookkeeping once the event passed every check. */
  apply?: (ev: E, facts: TraceFacts, index: number) => void;
}

type RuleTable = { readonly [K in EventKind]?: KindRules<EventOf<K>> };

const modeName = (user: boolean) => (user ? 'user' : 'kernel');

/** user_enter / user_exit: a CPU alternates between kernel and user mode. */
const modeChange = (toUser: boolean) => ({
  check(ev: { cpu: number; task: string }, f: TraceFacts): RuleProblem | undefined {
    // Without the opposite kind anywhere yet, a repeat is a sign of that kind being omitted, which
    // check-trace's sufficiency rules report; once the trace has shown it, a repeat is a lie.
    const opposite = toUser ? 'user_exit' : 'user_enter';
    if (f.userMode[ev.cpu] === toUser && f.seen.has(opposite)) {
      return {
        rule: 'user-mode',
        path: '/k',
        message: `expected ${opposite}: cpu ${ev.cpu} is already in ${modeName(toUser)} mode (a CPU alternates user_enter and user_exit)`,
      };
    }
    return undefined;
  },
  apply(ev: { cpu: number }, f: TraceFacts) {
    f.userMode[ev.cpu] = toUser;
  },
});

/** The semantic rules, one row per kind. */
export const RULES: RuleTable = {
  ref: { mms: ['mm'], owners: ['owner'] },
  ref_move: { mms: ['mm'], owners: ['from', 'to'] },
  mm_alloc: {
    owners: ['owner'],
    check: (ev, f) =>
      f.mms.has(ev.mm)
        ? { rule: 'new-id', path: '/mm', message: `expected a new mm id: ${JSON.stringify(ev.mm)} already exists (mm ids are never reused in a trace)` }
        : undefined,
    apply: (ev, f) => f.addMm(ev.mm),
  },
  mm_teardown: { mms: ['mm'] },
  mmdrop_begin: { mms: ['mm'] },
  mm_free: { mms: ['mm'] },
  task_mm: { tasks: ['task'], mms: ['mm', 'activeMm'] },
  task_new: {
    tasks: ['parent'],
    mms: ['mm', 'activeMm'],
    // A known task again is kernel_execve() turning a kthread into a user task (no parent).
    check: (ev, f) =>
      f.tasks.has(ev.task) && ev.parent !== null
        ? { rule: 'new-id', path: '/task', message: `expected a new task id: ${JSON.stringify(ev.task)} already exists (only kernel_execve()'s task_new, with parent null, names a known task)` }
        : undefined,
    apply: (ev, f) => f.addTask(ev.task),
  },
  task_state: { tasks: ['task'] },
  path: {
    tasks: ['task'],
    check(ev, f) {
      if (ev.phase === 'begin') return undefined;
      const open = f.paths[ev.cpu];
      const top = open[open.length - 1];
      if (top === undefined) {
        return { rule: 'path-balance', path: '/phase', message: `expected a path begin before its end: no path is open on cpu ${ev.cpu} (${ev.fn} for ${ev.task} ends here)` };
      }
      if (top.fn !== ev.fn || top.task !== ev.task) {
        return {
          rule: 'path-balance',
          path: top.fn !== ev.fn ? '/fn' : '/task',
          message: `expected the end of the innermost open path on cpu ${ev.cpu}, ${top.fn} for ${top.task} (begun at event ${top.index}); got ${ev.fn} for ${ev.task}`,
        };
      }
      return undefined;
    },
    apply(ev, f, index) {
      const open = f.paths[ev.cpu];
      f.paths[ev.cpu] = ev.phase === 'begin' ? [...open, { fn: ev.fn, task: ev.task, index }] : open.slice(0, -1);
    },
  },
  rq_curr: { tasks: ['task'] },
  switch_to: {
    tasks: ['prev', 'task'],
    // switch_to(prev, next): prev's own paths leave with it, next's come back (below the switch's).
    apply(ev, f) {
      const stack = f.paths[ev.cpu];
      const leaving = stack.filter((p) => p.task === ev.prev && !SWITCH_PATHS.has(p.fn));
      if (leaving.length > 0) {
        f.suspended.set(ev.prev, [...(f.suspended.get(ev.prev) ?? []), ...leaving]);
        f.paths[ev.cpu] = stack.filter((p) => !leaving.includes(p));
      }
      const resumed = f.suspended.get(ev.task);
      if (resumed !== undefined) {
        f.suspended.delete(ev.task);
        f.paths[ev.cpu] = [...resumed, ...f.paths[ev.cpu]];
      }
    },
  },
  prev_mm: { mms: ['mm'] },
  mm_membarrier_state: { mms: ['mm'] },
  load_mm: {
    check: (ev, f) => (ev.mm === 'SWITCHING' ? undefined : unknownMm(f, '/mm', ev.mm)),
  },
  cpumask: { cpus: ['target'], mms: ['mm'] },
  user_enter: { tasks: ['task'], ...modeChange(true) },
  user_exit: { tasks: ['task'], ...modeChange(false) },
  membarrier: { tasks: ['task'], mms: ['mm'] },
  membarrier_scan: { cpus: ['target'], tasks: ['currTask'], mms: ['currMm'] },
  membarrier_register: { mms: ['mm'] },
  ipi_send: { cpus: ['target'], mms: ['mm'] },
  ipi_handle: { cpus: ['from'], mms: ['mm'] },
  tlb_gen: { mms: ['mm'] },
  flush_done: { mms: ['mm'] },
  local_tlb_gen: { mms: ['mm'] },
  deref: { mms: ['mm'] },
  temp_mm: { mms: ['mm', 'saved'] },
  kthread_access: { tasks: ['task'], mms: ['mm'] },
  hazard: { cpus: ['target'], mms: ['mm'] },
  unlazy_scan: { cpus: ['target'], mms: ['mm'] },
  cpu_online: { cpus: ['target'] },
};

/** A CPU number out of the init event's range. */
export function cpuOutOfRange(f: TraceFacts, path: string, cpu: unknown): RuleProblem | undefined {
  if (typeof cpu !== 'number' || cpu < f.cpus) return undefined;
  return { rule: 'known-cpu', path, message: `expected integer 0..${f.cpus - 1} (the init event lists ${f.cpus} CPU${f.cpus === 1 ? '' : 's'}) (got ${cpu})` };
}

export function unknownTask(f: TraceFacts, path: string, task: unknown): RuleProblem | undefined {
  if (typeof task !== 'string' || f.tasks.has(task)) return undefined;
  return { rule: 'known-task', path, message: `expected a task of the init event or of an earlier task_new (got ${JSON.stringify(task)})` };
}

/**
 * An mm nobody allocated. Until the trace has shown an mm_alloc, an unknown mm is the evidence that
 * check-trace's sufficiency rules report as a missing `mm_alloc` kind, not an error.
 */
export function unknownMm(f: TraceFacts, path: string, mm: unknown): RuleProblem | undefined {
  if (typeof mm !== 'string' || f.mms.has(mm) || !f.seen.has('mm_alloc')) return undefined;
  return { rule: 'known-mm', path: path, message: `expected an mm of the init event or of an earlier mm_alloc (got ${JSON.stringify(mm)})` };
}

const RQ_OR_LOCAL_OWNER = /^(?:rq|local):([0-9]+)/;

/**
 * An owner on a CPU out of range (`rq:<cpu>`, `local:<cpu>:<fn>`). Task owners are not checked:
 * copy_process() takes the child's references (copy_mm()) before the task_new that announces it.
 */
export function badOwner(f: TraceFacts, field: string, owner: unknown): RuleProblem | undefined {
  // Cheap first: only rq:/local: owners name a CPU.
  if (typeof owner !== 'string' || (owner.charCodeAt(0) !== 114 /* r */ && owner.charCodeAt(0) !== 108 /* l */)) return undefined;
  const m = RQ_OR_LOCAL_OWNER.exec(owner);
  if (m === null || Number(m[1]) < f.cpus) return undefined;
  return { rule: 'known-cpu', path: `/${field}`, message: `expected an owner on CPU 0..${f.cpus - 1} (got ${JSON.stringify(owner)})` };
}
