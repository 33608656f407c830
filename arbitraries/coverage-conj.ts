/**
 * Conjunction features of the interleaving coverage (./coverage.ts): what a CPU does *later* in a
 * kernel stay, qualified by the window that stay began in, and what a kernel path does after a
 * CPU entered the kernel inside it. Read from the trace only; nothing names a path, a command or a
 * bug. Measured reason (docs/search.md "Conjunction features"): a chain such as "B enters the
 * kernel inside A's window, then B handles A's IPI in kernel mode, then A's path ends" reaches each
 * link's own feature tens of times in 10,000 runs but never all of them in one run, because the
 * later links' features are the same whether or not the first link happened; these families give
 * each extension of such a run a feature of its own, so the corpus keeps it.
 *
 * B's side (**entry window**): when B leaves user mode (`user_exit`), for every other CPU A with a
 * kernel path open, the triple the WINDOW family hashes -- A's innermost path, the class of A's
 * last event in it, whether that path already targeted B -- folded (order of the CPUs ignored) into
 * one number kept on B until B returns to user mode. Then:
 * - ENTRY_IPI: an IPI handled on B (handler x arrival mode) x B's entry window;
 * - ENTRY_PATH: B's own `path` begin/end x B's entry window;
 * - ENTRY_RETURN: B's return to user mode (the last IPI handled in the stay, if any, x the way
 *   back) x B's entry window x whether a path open at the entry is still open.
 *
 * A's side (**ladder**, per open path of A and per other CPU B):
 * 1. B left user mode inside the path before the path targeted B;
 * 2. then the path targeted B (scan, IPI, cpumask) while B was still in that kernel stay;
 * 3. then B handled an IPI from kernel mode, still in that stay.
 * The highest level any B reached is kept on the path (a stay that ends lowers nothing) with the
 * class of A's last event in the path when that B entered (where in the path the stay began: before
 * or after an entry barrier), and each event of A inside the path with a level above 0 is a LADDER
 * feature (path x A's event class x level x that class).
 */

/** Feature families (the first word of each hash; ./coverage.ts uses 1-7). */
export const ENTRY_IPI = 8;
export const ENTRY_PATH = 9;
export const ENTRY_RETURN = 10;
export const LADDER = 11;

/** What the ladder keeps on an open path of CPU A. */
export interface LadderState {
  /** Bit per CPU B: B's current kernel stay began inside the path, before the path targeted B. */
  entered: number;
  /** Bit per CPU B: ... and the path then targeted B during that stay. */
  hit: number;
  /** Highest level any CPU reached inside this path (0-3). */
  level: number;
  /** Class of the path's last event when the CPU that reached `level` entered the kernel. */
  at: number;
  /** Per CPU B with a bit in `entered`: the path's last class when B entered. */
  enteredAt: number[];
}

export function ladder(): LadderState {
  return { entered: 0, hit: 0, level: 0, at: 0, enteredAt: [] };
}

function raise(l: LadderState, level: number, b: number): void {
  if (level < l.level) return;
  l.level = level;
  l.at = l.enteredAt[b] ?? 0;
}

/** CPU `b` left user mode while the path's last class was `last`; `targeted`: the path already targeted B. */
export function ladderEntry(l: LadderState, b: number, last: number, targeted: boolean): void {
  if (targeted) return;
  l.entered |= 1 << b;
  l.enteredAt[b] = last;
  raise(l, 1, b);
}

/** The path targeted CPU `b`, which is in kernel mode when `inKernel`. */
export function ladderTarget(l: LadderState, b: number, inKernel: boolean): void {
  if (!inKernel || (l.entered & (1 << b)) === 0) return;
  l.hit |= 1 << b;
  raise(l, 2, b);
}

/** CPU `b` handled an IPI that found it in kernel mode. */
export function ladderIpi(l: LadderState, b: number): void {
  if ((l.hit & (1 << b)) !== 0) raise(l, 3, b);
}

/** CPU `b` returned to user mode: its stay is over. */
export function ladderExit(l: LadderState, b: number): void {
  const bit = 1 << b;
  l.entered &= ~bit;
  l.hit &= ~bit;
}

/** One CPU's part of an entry window (A's path, A's last class in it, whether the path reached B). */
export function windowPart(path: number, last: number, reached: boolean): number {
  return ((path * 4096 + last) * 2 + (reached ? 1 : 0)) >>> 0;
}

/** The entry window of B: its parts folded whatever the order of the CPUs (0: no path was open). */
export function foldWindow(parts: number[]): number {
  if (parts.length === 0) return 0;
  parts.sort((x, y) => x - y);
  let h = 0x811c9dc5;
  for (const p of parts) h = Math.imul(h ^ p, 0x01000193);
  return (h >>> 0) || 1;
}
