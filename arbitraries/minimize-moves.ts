/**
 * The moves of the op-level minimiser (./minimize.ts) besides deletion, each a list of candidate op
 * lists to try. Deletion alone stops at local minima that have a shorter form elsewhere:
 *
 * - *CPU relabelling*: a counterexample that migrates its task to CPU 1 and then shows the bug
 *   there is, with CPUs 0 and 1 swapped after the cut and the migration dropped, the same bug on
 *   CPU 0 (the model treats CPUs alike, apart from the boot placement of tasks that the dropped
 *   ops changed). So: every cut of the ops with two CPUs swapped after it (`idle<N>` follows its
 *   CPU).
 * - *simplification*: an op replaced by a simpler one of the same kind (an IPI without the
 *   reschedule on its return path; a switch to a lower-ranked task, idle first). Kept only when the
 *   candidate is no longer (the minimiser's rule), they give deletion new starting points, and they
 *   terminate because every accepted one lowers the ops' total rank.
 */
import type { ModelConfig } from '../src/engine/contract';
import { formatOp, type Op } from '../src/engine/ops';
import type { TaskId } from '../src/trace/events';
import { pathUnits } from './path-units';

/** The transpositions of 0..n-1 (swap two CPUs), as permutations; repeated moves compose them. */
export function cpuTranspositions(n: number): number[][] {
  const out: number[][] = [];
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      const perm = [...Array(n).keys()];
      perm[a] = b;
      perm[b] = a;
      out.push(perm);
    }
  }
  return out;
}

/** `op` with its CPU (and any idle task it names) renamed by `perm`. */
export function relabelOp(op: Op, perm: readonly number[]): Op {
  const out = { ...op, cpu: perm[op.cpu] } as Op & { next?: TaskId };
  if (out.next !== undefined) {
    const idle = /^idle(\d+)$/.exec(out.next);
    if (idle && Number(idle[1]) < perm.length) out.next = `idle${perm[Number(idle[1])]}`;
  }
  return out;
}

/**
 * Candidates: ops[..i) + ops[j..] with two CPUs swapped in the part after the cut, for every cut
 * [i, j) that ends where a path starts (ops[j] is not a step), the longest cuts first. A cut at
 * i = 0 drops a prefix (a migration before the bug); a cut in the middle drops a migration between
 * two halves of the bug (a registration on CPU 0, the call on CPU 1).
 */
export function* relabelledCuts(ops: readonly Op[], config: ModelConfig): Generator<Op[]> {
  const perms = cpuTranspositions(config.cpus);
  if (perms.length === 0) return;
  const n = ops.length;
  for (let size = n - 1; size >= 1; size--) {
    for (let i = 0; i + size < n; i++) {
      const j = i + size;
      if (ops[j].op === 'step') continue; // the kept suffix cannot start in the middle of a path
      const prefix = ops.slice(0, i);
      const suffix = ops.slice(j);
      for (const perm of perms) yield [...prefix, ...suffix.map((op) => relabelOp(op, perm))];
    }
  }
}

/** Rank of a task as a switch target: idle tasks, then kthreads, then user threads (lower is simpler). */
const taskRank = (t: TaskId): number => (t.startsWith('idle') ? 0 : t.startsWith('K') ? 1 : 2);

/** The ops' total rank: every accepted simplification lowers it, so simplifying terminates. */
export function opsRank(ops: readonly Op[]): number {
  let r = 0;
  for (const op of ops) {
    const next = (op as { next?: TaskId }).next;
    if (op.op === 'ipi' && next !== undefined) r += 4;
    if ((op.op === 'schedule' || op.op === 'preempt') && next !== undefined) r += taskRank(next);
  }
  return r;
}

/** The tasks a switch may go to in a move: every idle task and the tasks the ops switch to. */
function switchTargets(ops: readonly Op[], config: ModelConfig): Set<TaskId> {
  const tasks = new Set<TaskId>(Array.from({ length: config.cpus }, (_, c) => `idle${c}`));
  for (const op of ops) {
    const next = (op as { next?: TaskId }).next;
    if (next !== undefined) tasks.add(next);
  }
  return tasks;
}

/**
 * Candidates that replace one op by a simpler one of the same kind: an IPI without `next`; a
 * schedule or preempt to a task of lower rank among the tasks the ops name and the idle tasks.
 */
export function simplifications(ops: readonly Op[], config: ModelConfig): Op[][] {
  const tasks = switchTargets(ops, config);
  const out: Op[][] = [];
  ops.forEach((op, i) => {
    const with1 = (o: Op) => [...ops.slice(0, i), o, ...ops.slice(i + 1)];
    if (op.op === 'ipi' && op.next !== undefined) out.push(with1({ op: 'ipi', cpu: op.cpu }));
    if (op.op === 'schedule' || op.op === 'preempt') {
      for (const t of tasks) if (taskRank(t) < taskRank(op.next)) out.push(with1({ ...op, next: t }));
    }
  });
  return out;
}

/**
 * Ops that another op of the same CPU can be replaced by (replace-one): the kernel entries that
 * take no argument but a CPU, and the flush with and without freed page tables. Two different
 * entries often reach the same bug (text_poke() and an EFI call both use a temporary mm), and the
 * shorter path then lets deletion remove the steps the longer one needed.
 */
const REPLACEMENT_OPS: readonly Omit<Op, 'cpu'>[] = [
  { op: 'efi_call' }, { op: 'text_poke', sync: false }, { op: 'text_poke', sync: true }, { op: 'nmi' }, { op: 'hw_walk' }, { op: 'idle_leave_mm' },
  { op: 'exit' }, { op: 'exec' }, { op: 'syscall' },
  { op: 'flush_tlb', freedTables: true }, { op: 'flush_tlb', freedTables: false },
] as Omit<Op, 'cpu'>[];

/** Replace-one candidates: every op (steps included) replaced by each different op of REPLACEMENT_OPS on its CPU. */
export function* replacements(ops: readonly Op[]): Generator<Op[]> {
  for (let i = ops.length - 1; i >= 0; i--) {
    const here = formatOp(ops[i]);
    for (const r of REPLACEMENT_OPS) {
      const op = { ...r, cpu: ops[i].cpu } as Op;
      if (formatOp(op) !== here) yield [...ops.slice(0, i), op, ...ops.slice(i + 1)];
    }
  }
}

/**
 * Candidates one op shorter that merge a CPU's `syscall` and its next op, a `schedule(next)`, into
 * `preempt(next)`: the timer interrupt in user mode reaches __schedule() in one op where a syscall
 * needs two (kernel entry, then the switch).
 */
export function* mergedEntries(ops: readonly Op[]): Generator<Op[]> {
  for (let j = 0; j < ops.length; j++) {
    if (ops[j].op !== 'syscall') continue;
    const cpu = ops[j].cpu;
    const i = ops.findIndex((op, k) => k > j && op.cpu === cpu);
    const next = i < 0 ? undefined : ops[i];
    if (next?.op !== 'schedule') continue;
    yield [...ops.slice(0, j), ...ops.slice(j + 1, i), { op: 'preempt', cpu, next: next.next }, ...ops.slice(i + 1)];
  }
}

/**
 * Candidates that collapse an *excursion* of one CPU, w >= 2 of its consecutive path units (a
 * switch to idle and back, a syscall, its call and the return), into one op of that CPU or into
 * nothing, the biggest first. Deletion removes at most two units at a time and only what the bug
 * does not need; an excursion often matters only for what it does to its CPU as a whole (the CPU
 * entered the kernel and came back, it ran another task for a while), which one op can also do: a
 * syscall, an NMI, an IPI (with or without a reschedule), a preemption. The op goes anywhere from
 * the excursion's first op to just after its last (the other CPUs' ops in between stay in order).
 * Always shorter, so the minimiser keeps what still fails.
 */
export function* collapsedExcursions(ops: readonly Op[], config: ModelConfig): Generator<Op[]> {
  const tasks = switchTargets(ops, config);
  const units = pathUnits(ops);
  const seen = new Set<string>();
  for (let cpu = 0; cpu < config.cpus; cpu++) {
    const mine = units.filter((u) => ops[u[0]].cpu === cpu);
    // The ops that take a CPU into the kernel (and back): what an excursion does to its CPU as a
    // whole. Ops that do something particular there (a flush, a temporary mm, exit) are replace-one's.
    const alphabet: Op[] = [
      { op: 'syscall', cpu },
      { op: 'nmi', cpu },
      { op: 'ipi', cpu },
      ...[...tasks].flatMap((next): Op[] => [{ op: 'ipi', cpu, next }, { op: 'preempt', cpu, next }]),
    ];
    for (let w = mine.length; w >= 2; w--) {
      for (let s = 0; s + w <= mine.length; s++) {
        const drop = new Set(mine.slice(s, s + w).flat());
        const kept = ops.filter((_, k) => !drop.has(k));
        // Where the op may go: anywhere from the excursion's first op to just after its last.
        const first = mine[s][0];
        const last = mine[s + w - 1][mine[s + w - 1].length - 1]; // units list their indices in order
        const lo = ops.slice(0, first).filter((_, k) => !drop.has(k)).length;
        const hi = ops.slice(0, last + 1).filter((_, k) => !drop.has(k)).length;
        for (const op of [null, ...alphabet]) {
          for (let at = lo; at <= (op === null ? lo : hi); at++) {
            const c = op === null ? kept : [...kept.slice(0, at), op, ...kept.slice(at)];
            const key = c.map(formatOp).join(';');
            if (seen.has(key)) continue;
            seen.add(key);
            yield c;
          }
        }
      }
    }
  }
}
