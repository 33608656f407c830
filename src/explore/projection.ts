/**
 * What finishing an incomplete search would take: the growth of its last completed levels
 * extrapolated to the depth asked for, at the search's own rate. A search stopped by --max-seconds
 * or --max-states says how far it got; this says how far the rest is, so that a bound can be chosen
 * that a search can reach (docs/explore.md "Where the time goes"). It is an extrapolation at
 * constant growth, not a measurement: on the issue-15 configurations the growth per level falls
 * slowly with depth (2/2/1/1: x3.6, x3.1, x2.9, x2.8, x2.6 from depth 5 to 10), so it overestimates,
 * by more the further the depth asked for; read it as an order of magnitude.
 */
import type { ExploreLevel, ExploreResult } from './explore';

export interface ReachProjection {
  /** New states per level over the previous one: the geometric mean of the last (up to) three completed levels' ratios. */
  growth: number;
  /** How many completed levels the growth was measured on. */
  levelsUsed: number;
  /** New states still to find to complete `depth` at that growth (those the partial level already found left out). */
  states: number;
  /** The same at `statesPerSecond`. */
  seconds: number;
}

/**
 * The projection for a search that completed `depthReached` of `depth` levels (`levels` as
 * ExploreResult has them, the partial level last), or null when fewer than two completed levels
 * have states (no growth to measure) or nothing is left.
 */
export function projectReach(levels: readonly ExploreLevel[], depthReached: number, depth: number, statesPerSecond: number): ReachProjection | null {
  if (depthReached >= depth || statesPerSecond <= 0) return null;
  const done = levels.slice(0, depthReached).map((l) => l.states);
  const ratios: number[] = [];
  for (let i = done.length - 1; i >= 1 && ratios.length < 3; i--) {
    if (done[i - 1] <= 0) break;
    ratios.push(done[i] / done[i - 1]);
  }
  if (ratios.length === 0) return null;
  const growth = Math.exp(ratios.reduce((s, r) => s + Math.log(Math.max(r, 1e-9)), 0) / ratios.length);
  let level = done[done.length - 1];
  let states = 0;
  for (let d = depthReached + 1; d <= depth; d++) {
    level *= growth;
    states += level;
  }
  const partial = levels.length > depthReached ? levels[depthReached].states : 0;
  states = Math.max(0, states - partial);
  return { growth, levelsUsed: ratios.length, states, seconds: states / statesPerSecond };
}

/**
 * projectReach() for a search result: null unless a budget stopped it (`truncated`). `depth`: the
 * depth to project to (default the one the search asked for).
 */
export function projectionOf(r: Pick<ExploreResult, 'result' | 'levels' | 'depthReached' | 'depth' | 'statesPerSecond'>, depth = r.depth): ReachProjection | null {
  return r.result === 'truncated' ? projectReach(r.levels, r.depthReached, depth, r.statesPerSecond) : null;
}

/** `40 s`, `12 min`, `3.4 h`, `5.1 days`, `2.3e+4 years`. */
export function durationText(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${(seconds / 3600).toFixed(1)} h`;
  if (seconds < 3.15e7 * 2) return `${(seconds / 86400).toFixed(1)} days`;
  const years = seconds / 3.15576e7;
  return `${years < 1e4 ? years.toFixed(0) : years.toExponential(1)} years`;
}

/** `2.4e+9`, `530k`: a projected count. */
export function countText(n: number): string {
  if (n >= 1e9) return n.toExponential(1);
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)}k`;
  return String(Math.round(n));
}

/** The report line: `projection: ...`. */
export function projectionText(p: ReachProjection, depth: number): string {
  return (
    `projection: at the last ${p.levelsUsed === 1 ? 'level' : `${p.levelsUsed} levels`}' growth (x${p.growth.toFixed(2)} new states per level), ` +
    `depth ${depth} needs about ${countText(p.states)} more states: about ${durationText(p.seconds)} at this search's rate (at constant growth: less if the growth keeps falling)`
  );
}
