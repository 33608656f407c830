/**
 * The searches a check can run (`lazymm check --search NAME`), by name:
 *
 * - `weighted`: fast-check choice lists under the check's weight profiles (./weights.ts, with the
 *   state-dependent focus rules of ./weight-rules.ts, ./race-focus.ts and ./tlb-focus.ts);
 * - `weighted2`: `weighted` with longer runs, 40..160 ops instead of 0..120 (./long-runs.ts;
 *   `--max-ops N` gives N/4..N);
 * - `weighted2-echo`: `weighted2` with argument echo (./echo.ts): an op sharing an argument value
 *   (`cmd=X`, `mm=M`, `next=T`) with an op of another kind applied earlier in the run is likelier;
 * - `uniform`: the same with UNIFORM_WEIGHTS (every enabled op kind, then instance, equally
 *   likely): the naive baseline;
 * - `coverage`: the corpus-driven search of ./coverage-search.ts, its random choices under the
 *   check's weight profiles;
 * - `coverage-nofocus`: the same with the profiles' kind weights only (no instance weights, no
 *   boosts: no focus rule), to measure what the focus rules add to it;
 * - `pct`: PCT-style priority scheduling of the CPUs with a few change points (./pct-search.ts),
 *   each acting CPU's op chosen under the check's weight profiles;
 * - `swarm`: `weighted` with a swarm mask per run (./swarm.ts): each run omits some op kinds and
 *   some argument values (every kind but the progress ops `step` and `ipi`), so the few left meet;
 * - `coverage-swarm`: `coverage` whose fresh runs draw a swarm mask too and whose profile
 *   mutation can change it;
 * - `climb`: the coverage search with a rarity schedule, cuts at the op that reached a feature and
 *   argument mutation (./climb-search.ts);
 * - `goexplore`: Go-Explore (./goexplore-search.ts): an archive of abstract states (cells) reached,
 *   each with the shortest op prefix reaching it; a run returns to a rarely visited cell by replaying
 *   its prefix and explores on from there under the check's weight profiles.
 */
import { echoWeights } from './echo';
import { UNIFORM_WEIGHTS, type Weights } from './weights';

export const SEARCH_NAMES = ['weighted', 'weighted2', 'weighted2-echo', 'uniform', 'coverage', 'coverage-nofocus', 'pct', 'swarm', 'coverage-swarm', 'climb', 'goexplore'] as const;
export type SearchName = (typeof SEARCH_NAMES)[number];

/**
 * The search when none is named (`lazymm check`, runCheck(), checkEngine(), the campaign):
 * `weighted2`, at least as good as `weighted` per run on the three mainline engines' whole mutant
 * sets and on every named variant (docs/search.md, "The default generator on bugs nobody named").
 * Its choice lists are at least 40 long, below which fast-check cannot shrink; the op-level
 * minimiser (./minimize.ts) takes a failure further, an engine's invalid output included.
 */
export const DEFAULT_SEARCH: SearchName = 'weighted2';

/** Whether `s` names a search. */
export function isSearchName(s: string): s is SearchName {
  return (SEARCH_NAMES as readonly string[]).includes(s);
}

/** Whether search `name` draws runs of 40..160 ops (./long-runs.ts): `weighted2` and `weighted2-echo`. */
export function isLongRunSearch(name: SearchName): boolean {
  return name === 'weighted2' || name === 'weighted2-echo';
}

/** `w` without its state-dependent rules: the kind weights, every instance alike, no boost. */
export function withoutFocus(w: Weights): Weights {
  return { kinds: w.kinds, fallbackKind: w.fallbackKind, instance: () => 1 };
}

/** The weight profiles search `name` draws its runs from, given the check's `profiles`. */
export function searchProfiles(name: SearchName, profiles: readonly Weights[]): readonly Weights[] {
  switch (name) {
    case 'uniform':
      return [UNIFORM_WEIGHTS];
    case 'coverage-nofocus':
      return profiles.map(withoutFocus);
    case 'weighted2-echo':
      return profiles.map((p) => echoWeights(p));
    default:
      return profiles;
  }
}
