/**
 * `explore()` on several worker threads (`lazymm explore --workers N`): the same BFS, level by
 * level, each level's frontier expanded by all workers at once (./level-expander.ts), with one
 * visited set in shared memory (./shared-visited.ts).
 *
 * Why the result is the one-worker search's, whatever the timing (docs/explore.md "Two workers"):
 * - Every transition has a priority: (level, position of its parent in the level, index of its op
 *   among the parent's enabled ops), the order in which explore() checks transitions.
 * - A state's slot in the visited set ends the level holding the least priority that reached it
 *   (an atomic minimum), which is the transition explore() keeps (the first it meets); states of
 *   earlier levels hold lower priorities, so a transition into one is merged as explore() merges it.
 * - The coordinator orders the next level by priority, so level d+1 holds the same states, in the
 *   same order, with the same parents and ops, as explore()'s, by induction from the root.
 * - A counterexample is the counted violation of least priority in the first level that has one:
 *   the one explore() meets first (workers skip nodes only after a violation of lower priority).
 * - A counterexample stops explore() at once; the workers go on with the transitions before it (and
 *   some after): the level's counts are those of the transitions up to it, as explore() counts.
 * What can differ: where --max-states/--max-seconds cut the search (a truncated result).
 */
import type { Worker } from 'node:worker_threads';
import type { Op } from '../engine/ops';
import type { Violation } from '../../properties';
import { explore, finishResult, type ExploreLevel, type ExploreOptions, type ExploreResult } from './explore';
import { CTL, STOP, type LevelReply, type LevelRequest, type WorkerExploreOptions } from './level-expander';
import { SharedVisitedSet, levelBase, priority, priorityParts } from './shared-visited';
import { prepareWorkers, startWorker } from './worker-script';

/** Smallest visited-set capacity (slots of 16 bytes). */
const MIN_CAPACITY = 1 << 16;

/** The options explore() takes that cannot go to a worker thread (functions) or need one search (POR). */
const SINGLE_ONLY = ['por', 'onMerge', 'onViolation', 'opFilter', 'engineFactory', 'checkCollisions'] as const;

const pow2AtLeast = (n: number): number => {
  let c = MIN_CAPACITY;
  while (c < n) c *= 2;
  return c;
};

interface Pending {
  resolve(v: LevelReply): void;
  reject(e: Error): void;
}

/** A worker thread and the reply it owes. */
class WorkerHandle {
  private pending: Pending | null = null;
  private readonly ready: Promise<void>;
  private failed: Error | null = null;

  constructor(readonly worker: Worker) {
    this.ready = new Promise((resolve, reject) => {
      this.pending = { resolve: () => resolve(), reject };
    });
    worker.on('message', (msg: { ok: boolean; ready?: boolean; reply?: LevelReply; error?: string }) => {
      const p = this.pending;
      this.pending = null;
      if (!msg.ok) p?.reject(new Error(msg.error));
      else p?.resolve(msg.reply as LevelReply);
    });
    const fail = (err: Error) => {
      this.failed = err;
      this.pending?.reject(err);
      this.pending = null;
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`explore: a worker thread exited (code ${code})`)));
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  expand(req: LevelRequest): Promise<LevelReply> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(req);
    });
  }
}

/**
 * explore(options) on `workers` threads (1: explore() itself). Options that are functions or POR
 * are refused with more than one worker.
 */
export async function exploreWorkers(options: ExploreOptions, workers: number): Promise<ExploreResult> {
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`explore: workers must be a positive integer (got ${workers})`);
  if (workers === 1) return explore(options);
  for (const name of SINGLE_ONLY) {
    if (options[name] !== undefined && options[name] !== false) throw new Error(`explore: ${name} is not supported with more than one worker`);
  }
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const { depth } = options;
  const stopOnViolation = options.stopOnViolation ?? true;
  const merge = options.merge ?? true;
  // The root (its checks, the result's description): explore() to depth 0.
  const result = explore({ ...options, depth: 0, onProgress: undefined });
  result.depth = depth;
  const done = (r: ExploreResult['result']): ExploreResult => finishResult(result, r, elapsed());
  if (depth === 0 || (result.result === 'counterexample' && stopOnViolation)) return done(result.result);

  const workerOptions: WorkerExploreOptions = {
    engine: options.engine,
    config: options.config,
    ...(options.properties ? { properties: options.properties } : {}),
    ...(options.differentialBase !== undefined ? { differentialBase: options.differentialBase } : {}),
    ...(options.differentialAlign !== undefined ? { differentialAlign: options.differentialAlign } : {}),
    stopOnViolation,
    merge,
    ...(options.symmetry ? { symmetry: true } : {}),
    ...(options.opKinds !== undefined ? { opKinds: [...options.opKinds] } : {}),
    ...(options.cow === false ? { cow: false } : {}),
    ...(options.settleEachOp === false ? { settleEachOp: false } : {}),
    ...(options.maxStates !== undefined ? { maxStates: options.maxStates } : {}),
    ...(options.maxSeconds !== undefined ? { deadline: Date.now() + options.maxSeconds * 1000 - elapsed() * 1000 } : {}),
  };
  let table = SharedVisitedSet.allocate(MIN_CAPACITY);
  const ctlBuffer = new SharedArrayBuffer(CTL.size * 4);
  const ctl = new Int32Array(ctlBuffer);
  const bestBuffer = new SharedArrayBuffer(8);
  const best = new BigInt64Array(bestBuffer);
  ctl[CTL.states] = 1;
  prepareWorkers();
  const handles = Array.from({ length: workers }, () => new WorkerHandle(startWorker({ options: workerOptions, table: table.buffers, ctl: ctlBuffer, best: bestBuffer })));
  let frontier = 1;
  const progress = (d: number) =>
    options.onProgress?.({ depth: d, expanded: Atomics.load(ctl, CTL.expanded), frontier, states: Atomics.load(ctl, CTL.states), transitions: result.transitions + Atomics.load(ctl, CTL.transitions), seconds: elapsed() });
  let level = 0;
  const timer = options.onProgress ? setInterval(() => progress(level + 1), 250) : null;
  try {
    await Promise.all(handles.map((h) => h.whenReady()));
    let nodes: LevelRequest['nodes'];
    let lastNew = 1;
    for (; level < depth; level++) {
      // Room for the next level (a level rarely grows the states more than tenfold; if it does, the
      // workers stop at 3/4 full and the level is done again in a table twice the size).
      let newTable = table.capacity < 2 * (result.states + 10 * lastNew) ? table.rebuilt(pow2AtLeast(2 * (result.states + 10 * lastNew)), levelBase(level + 1)) : null;
      let replies: LevelReply[];
      for (;;) {
        if (newTable) table = newTable;
        ctl[CTL.next] = 0;
        ctl[CTL.transitions] = 0;
        ctl[CTL.expanded] = 0;
        ctl[CTL.stop] = STOP.none;
        ctl[CTL.states] = result.states;
        best[0] = 0n;
        const chunk = Math.max(1, Math.min(64, Math.floor(frontier / (workers * 16))));
        const req: LevelRequest = { level, size: frontier, chunk, ...(nodes ? { nodes } : {}), ...(newTable ? { table: table.buffers } : {}) };
        replies = await Promise.all(handles.map((h) => h.expand(req)));
        nodes = undefined;
        if (!replies.some((r) => r.stop === STOP.full)) break;
        newTable = table.rebuilt(table.capacity * 2, levelBase(level + 1));
      }
      const info: ExploreLevel = { depth: level + 1, states: 0, transitions: 0 };
      result.levels.push(info);
      let least: LevelReply['best'] = null;
      for (const r of replies) {
        if (r.best !== null && (least === null || r.best.prio < least.prio)) least = r.best;
      }
      // explore() stops at its first counted violation: one, whatever the others found meanwhile
      // (a worker can meet one past the counterexample before it sees it); without stopping, all.
      result.violations += least !== null && stopOnViolation ? 1 : replies.reduce((n, r) => n + r.violations, 0);
      // With a counterexample that stops the search, count what explore() counts: the transitions
      // up to it (every node before its parent was expanded in full) and the states they found.
      const cut = least !== null && stopOnViolation ? priorityParts(least.prio) : null;
      const before = cut === null ? Infinity : cut.pos * 4096 + cut.k;
      for (const r of replies) {
        if (cut === null) info.transitions += r.transitions;
        else for (let j = 0; j < r.expandedPos.length; j++) if (r.expandedPos[j] < cut.pos) info.transitions += r.expandedOps[j];
        for (const at of r.sharedAt) if (at < before) result.sharedViolations++;
      }
      if (cut !== null && least !== null) info.transitions += least.checked;
      result.transitions += info.transitions;
      ctl[CTL.transitions] = 0;
      const next = mergeByPriority(replies, table, level, before);
      info.states = next.parentPos.length;
      result.states += info.states;
      if (least !== null) {
        result.counterexample ??= { ops: least.ops, violation: least.violation };
        if (stopOnViolation) {
          result.depthReached = level;
          return done('counterexample');
        }
      }
      if (replies.some((r) => r.stop === STOP.budget)) {
        result.states = Math.max(result.states, Atomics.load(ctl, CTL.states));
        return done(result.counterexample ? 'counterexample' : 'truncated');
      }
      result.depthReached = level + 1;
      progress(level + 1);
      if (next.parentPos.length === 0) {
        result.exhausted = true;
        break;
      }
      nodes = next;
      frontier = next.parentPos.length;
      lastNew = frontier;
    }
    return done(result.counterexample ? 'counterexample' : 'clean');
  } finally {
    if (timer !== null) clearInterval(timer);
    await Promise.all(handles.map((h) => h.worker.terminate()));
  }
}

/**
 * The next level (of the transitions before `before`, parent's position * 4096 + op index): the successors the workers claimed whose slot still holds their priority (every
 * worker has answered: no slot changes any more), in priority order (parent's position, op index).
 */
function mergeByPriority(replies: readonly LevelReply[], table: SharedVisitedSet, level: number, before: number): { parentPos: Int32Array; opIdx: Uint16Array } {
  const kept: number[] = [];
  for (const r of replies) {
    for (let j = 0; j < r.parentPos.length; j++) {
      if (r.parentPos[j] * 4096 + r.opIdx[j] >= before) continue;
      if (r.slot[j] < 0 || table.holds(r.slot[j], priority(level, r.parentPos[j], r.opIdx[j]))) kept.push(r.parentPos[j] * 4096 + r.opIdx[j]);
    }
  }
  const n = kept.length;
  const order = Float64Array.from(kept);
  order.sort();
  const parentPos = new Int32Array(n);
  const opIdx = new Uint16Array(n);
  for (let j = 0; j < n; j++) {
    parentPos[j] = Math.floor(order[j] / 4096);
    opIdx[j] = order[j] % 4096;
  }
  return { parentPos, opIdx };
}
