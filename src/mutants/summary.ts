/**
 * Summaries of mutant verdicts: the mutation score and its breakdown by a key (operator, engine,
 * property), as `lazymm mutants --run` prints them.
 */
import type { MutantVerdict } from './verdict';

export const median = (xs: readonly number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export interface ScoreRow {
  key: string;
  mutants: number;
  killed: number;
  crashed: number;
  notKilled: number;
  /** Median runs-to-kill over the mutants a search killed (explorer kills have no run count). */
  medianRuns: number | null;
}

export function scoreBy(verdicts: readonly MutantVerdict[], key: (v: MutantVerdict) => string): ScoreRow[] {
  const groups = new Map<string, MutantVerdict[]>();
  for (const v of verdicts) {
    const k = key(v);
    groups.set(k, [...(groups.get(k) ?? []), v]);
  }
  return [...groups.entries()].map(([k, vs]) => ({
    key: k,
    mutants: vs.length,
    killed: vs.filter((v) => v.status === 'killed').length,
    crashed: vs.filter((v) => v.status === 'crashed').length,
    notKilled: vs.filter((v) => v.status === 'not-killed').length,
    medianRuns: median(vs.filter((v) => v.status === 'killed' && v.runs !== null).map((v) => v.runs as number)),
  }));
}

/** `killed 40 of 52 (77%)`: the score over the mutants that did not crash the engine. */
export function scoreText(rows: readonly ScoreRow[]): string {
  const killed = rows.reduce((n, r) => n + r.killed, 0);
  const valid = rows.reduce((n, r) => n + r.mutants - r.crashed, 0);
  return `killed ${killed} of ${valid}${valid ? ` (${((100 * killed) / valid).toFixed(0)}%)` : ''}`;
}
