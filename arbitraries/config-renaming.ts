/**
 * Renamings of a counterexample's ops onto a configuration one field smaller, for the
 * configuration pass of the minimiser (./minimize.ts minimizeWithConfig).
 *
 * src/engine/init.ts names tasks and mms by position: user threads T1.. process by process, mm1..
 * one per process, kthreads K1.., then fork() takes the next T<n> (fork.ts) and mm_alloc() the next
 * mm<n> (mm-refs.ts). Lowering `threads`, `procs` or `kthreads` by one therefore removes the *last*
 * task of its kind and shifts every later name, so ops replayed unchanged on the smaller machine
 * name the wrong tasks: a counterexample that needs only the second kthread, or the second
 * process, keeps the larger configuration for want of a name. Here every choice of the removed
 * thread index, process or kthread gets its renaming (names after it shift down, forked names by
 * the count removed), combined with every permutation of the CPUs, because init.ts places the
 * first user threads on the first CPUs at boot: a renamed thread that ran on CPU 1 runs on CPU 0;
 * and a removed CPU's ops are either dropped or folded onto another CPU.
 * The identity comes first, so the earlier behaviour is tried first.
 */
import type { ModelConfig } from '../src/engine/contract';
import type { Op } from '../src/engine/ops';
import type { MmId, TaskId } from '../src/trace/events';
import { relabelOp } from './minimize-moves';

/** Old name -> new name, or null when the task or mm is removed; names not listed stay. */
interface Renaming {
  task: (t: TaskId) => TaskId | null;
  mm: (m: MmId) => MmId | null;
}

const IDENTITY: Renaming = { task: (t) => t, mm: (m) => m };

/** Every permutation of 0..n-1, the identity first (n <= 4 in practice: at most 24). */
export function cpuPermutations(n: number): number[][] {
  if (n <= 1) return [[...Array(n).keys()]];
  const out: number[][] = [];
  const rec = (prefix: number[], rest: number[]) => {
    if (rest.length === 0) out.push(prefix);
    rest.forEach((x, i) => rec([...prefix, x], [...rest.slice(0, i), ...rest.slice(i + 1)]));
  };
  rec([], [...Array(n).keys()]);
  return out;
}

const numbered = (prefix: string, name: string): number | null => {
  const m = new RegExp(`^${prefix}(\\d+)$`).exec(name);
  return m ? Number(m[1]) : null;
};

/** Names `<prefix><n>` with `<prefix><j>` removed and the later numbers shifted down by one; other names stay. */
const withoutNumber = (prefix: string, j: number) => (name: string): string | null => {
  const n = numbered(prefix, name);
  return n === null || n < j ? name : n === j ? null : `${prefix}${n - 1}`;
};

/**
 * A user thread's new name when thread `index` (1-based, within its process) of process `proc`
 * (1-based) is renumbered by `f`, or null when removed. `f` maps (proc, index) of the old layout to
 * the new layout's (proc, index), or null.
 */
function userTaskRenaming(from: ModelConfig, to: ModelConfig, f: (proc: number, index: number) => [number, number] | null): Renaming['task'] {
  const bootUsers = from.procs * from.threads;
  const shift = bootUsers - to.procs * to.threads;
  return (t) => {
    const n = numbered('T', t);
    if (n === null) return t;
    if (n > bootUsers) return `T${n - shift}`; // forked by a later op: the next free number
    const proc = Math.floor((n - 1) / from.threads) + 1;
    const index = ((n - 1) % from.threads) + 1;
    const to2 = f(proc, index);
    return to2 === null ? null : `T${(to2[0] - 1) * to.threads + to2[1]}`;
  };
}

/** The renamings from `from` to `to` (one of threads, procs, kthreads lowered by one), the identity first. */
export function taskRenamings(from: ModelConfig, to: ModelConfig): Renaming[] {
  const out: Renaming[] = [IDENTITY];
  if (to.kthreads === from.kthreads - 1) {
    for (let j = 1; j < from.kthreads; j++) {
      // Removing K<j> (K<from.kthreads>, the last, is what the identity removes).
      out.push({ ...IDENTITY, task: withoutNumber('K', j) });
    }
  }
  if (to.threads === from.threads - 1 && to.procs === from.procs) {
    for (let j = 1; j <= from.threads; j++) {
      out.push({ ...IDENTITY, task: userTaskRenaming(from, to, (p, i) => (i === j ? null : [p, i > j ? i - 1 : i])) });
    }
  }
  if (to.procs === from.procs - 1 && to.threads === from.threads) {
    for (let j = 1; j <= from.procs; j++) {
      out.push({
        task: userTaskRenaming(from, to, (p, i) => (p === j ? null : [p > j ? p - 1 : p, i])),
        mm: withoutNumber('mm', j),
      });
    }
  }
  return out;
}

/** `op` renamed, or null when it names a removed task or mm. */
function renameOp(op: Op, r: Renaming): Op | null {
  const o = op as Op & { next?: TaskId; mm?: MmId };
  let out: Op & { next?: TaskId; mm?: MmId } = o;
  if (o.next !== undefined) {
    const next = r.task(o.next);
    if (next === null) return null;
    if (next !== o.next) out = { ...out, next };
  }
  if (o.mm !== undefined) {
    const mm = r.mm(o.mm);
    if (mm === null) return null;
    if (mm !== o.mm) out = { ...out, mm };
  }
  return out;
}

/**
 * The maps of `from` CPUs onto `to` CPUs to try: every permutation (a CPU mapped to `to` or beyond
 * is gone, its ops dropped), then, when a CPU is removed, every map that folds two CPUs into one
 * (both CPUs' ops run on the one: a kthread that migrates over three CPUs runs on two).
 */
export function cpuMaps(from: number, to: number): number[][] {
  const out = cpuPermutations(from);
  if (to !== from - 1 || to < 1) return out;
  const rec = (prefix: number[]): void => {
    if (prefix.length === from) {
      if (new Set(prefix).size === to) out.push(prefix); // onto: exactly two CPUs share one
      return;
    }
    for (let c = 0; c < to; c++) rec([...prefix, c]);
  };
  rec([]);
  return out;
}

/**
 * The op lists to try on `to` (one field of `from` lowered by one): for every renaming of the
 * tasks and mms and every map of the CPUs (`cpuMaps`), the ops renamed, with ops on a CPU that is
 * gone and ops naming a removed task or mm dropped. Distinct lists only, the unchanged ops first.
 */
export function* opsForSmallerConfig(ops: readonly Op[], from: ModelConfig, to: ModelConfig): Generator<Op[]> {
  const seen = new Set<string>();
  for (const r of taskRenamings(from, to)) {
    for (const perm of cpuMaps(from.cpus, to.cpus)) {
      const out: Op[] = [];
      for (const op of ops) {
        const renamed = renameOp(relabelOp(op, perm), r);
        if (renamed !== null && renamed.cpu < to.cpus) out.push(renamed);
      }
      const key = JSON.stringify(out);
      if (out.length > 0 && !seen.has(key)) {
        seen.add(key);
        yield out;
      }
    }
  }
}
