/**
 * The run lengths of the `weighted2` search (./search.ts): the weighted generator's choice lists,
 * drawn with 40..160 ops instead of 0..120.
 *
 * Why (bench/ipi-funnel.ts, docs/search.md "The default generator on bugs nobody named"): a race
 * between a kernel path and another CPU needs a long set-up (a registration, company on another
 * CPU, the path's entry, the other CPU's event inside the path's window, then the rest of the
 * path), and a run that stops before the set-up is done is wasted; so is a run that stops right
 * after it. With 0..120 ops, a fifth of the runs have fewer than 24 ops. Measured on the membarrier
 * IPI chain of powerpc/shootdown, 10,000 runs of seed 1: runs reaching "IPI handled in kernel mode
 * by a CPU that entered the kernel inside the caller's window" went from 37 (0..120 ops) to 60
 * (60..120) and 106 (40..160), for 1.7x the ops. Nothing here names a path, a command or a bug.
 */
import type { InterleavingConstraints } from './interleaving';

/** Default most and fewest ops per run of `weighted2`. */
export const LONG_RUN_MAX_OPS = 160;
export const LONG_RUN_MIN_OPS = 40;

/**
 * The choice-list bounds of `weighted2`: `maxOps` (default LONG_RUN_MAX_OPS), at least a quarter of
 * it per run (40 of 160).
 */
export function longRunConstraints(maxOps: number = LONG_RUN_MAX_OPS): InterleavingConstraints {
  return { maxOps, minOps: Math.floor((maxOps * LONG_RUN_MIN_OPS) / LONG_RUN_MAX_OPS) };
}
