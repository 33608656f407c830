/**
 * The genes of the climbing search (./climb-search.ts) and its two mutations that the coverage
 * search (./coverage-search.ts) lacks:
 *
 * - **argument mutation** (syzkaller's "mutate an argument", AFL's bit flips): one recorded op is
 *   replaced by an *argument gene*, which at its turn applies an enabled op of the same kind that
 *   differs from the recorded one in exactly one field (the CPU counts as a field): another command,
 *   another `next` task, another return path, the same op on another CPU. Which one is fixed by the
 *   gene's `pick`, so a candidate is deterministic; the values are the engine's enabled ops at that
 *   point, never a list of its own. When no such op is enabled the recorded op is applied if it is.
 * - **cut at a feature**: keep a recorded run up to the op whose events first reached a chosen
 *   coverage feature, then go on from there (random choices, or a few random choices and the rest
 *   of the recorded run), so the search extends the run from where it found something new instead
 *   of from a random point.
 *
 * Pure functions of the genes and a PRNG: unit-tested in ./climb-genes.test.ts.
 */
import type { Op } from '../src/engine/ops';
import type { Gene } from './coverage-search';
import { sameOp } from './same-op';

/** At its turn, an enabled op of `arg`'s kind differing from it in one field, the `pick`-th of them. */
export interface ArgGene {
  arg: Op;
  pick: number;
}

/** A choice, a recorded op, or an argument gene. */
export type ClimbGene = Gene | ArgGene;

export function isArgGene(g: ClimbGene): g is ArgGene {
  return typeof g === 'object' && 'arg' in g;
}

/** The fields of `a` and `b` (absent = undefined) that differ, `op` included. */
function differingFields(a: Op, b: Op): string[] {
  const ra = a as unknown as Record<string, unknown>;
  const rb = b as unknown as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  return [...keys].filter((k) => JSON.stringify(ra[k]) !== JSON.stringify(rb[k]));
}

/** The enabled ops of `op`'s kind that differ from it in exactly one field, in the engine's order. */
export function argumentNeighbours(enabled: readonly Op[], op: Op): Op[] {
  return enabled.filter((e) => e.op === op.op && differingFields(e, op).length === 1);
}

/** The op an argument gene applies now: the `pick`-th neighbour, else the recorded op if enabled. */
export function resolveArgGene(enabled: readonly Op[], g: ArgGene): Op | undefined {
  const near = argumentNeighbours(enabled, g.arg);
  if (near.length > 0) return near[g.pick % near.length];
  return enabled.find((e) => sameOp(e, g.arg));
}

/**
 * Replace one recorded op of `genes` (drawn with `int`) by an argument gene; returns whether one
 * was there to replace.
 */
export function mutateArgument(genes: ClimbGene[], int: (n: number) => number): boolean {
  const recorded: number[] = [];
  genes.forEach((g, i) => {
    if (typeof g === 'object' && !isArgGene(g)) recorded.push(i);
  });
  if (recorded.length === 0) return false;
  const i = recorded[int(recorded.length)];
  genes[i] = { arg: genes[i] as Op, pick: int(0x7fffffff) };
  return true;
}

/**
 * The genes of a run cut just after op `at` (its index in `ops`): `ops[0..at]`, then `insert`
 * (random choices), then, when `keepRest`, the recorded ops after `at`.
 */
export function cutAfter(ops: readonly Op[], at: number, insert: readonly number[], keepRest: boolean): ClimbGene[] {
  const head: ClimbGene[] = ops.slice(0, at + 1);
  return keepRest ? [...head, ...insert, ...ops.slice(at + 1)] : [...head, ...insert];
}

/** The index of the op whose events include event `eventIndex`, given each op's end (trace length after it). */
export function opOfEvent(opEnds: readonly number[], eventIndex: number): number {
  let lo = 0;
  let hi = opEnds.length; // first op with opEnds[op] > eventIndex
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (opEnds[mid] > eventIndex) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
