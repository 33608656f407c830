/**
 * The mutant section of the bench (`npm run bench`; `npm run bench -- --only-mutants` runs it
 * alone): every registered search (src/mutants/search.ts: today's generator, the uniform baseline,
 * and whatever else is registered) on the same engine mutants (src/mutants), N seeds each, with a
 * run budget; then the bounded explorer on the mutants no search killed ("killable" = killed by any
 * method). Reported per search: the kill rate at 100 / 1,000 / 10,000 runs (median over the seeds,
 * over the killable mutants), the distribution of runs-to-kill, and the same per operator, per
 * property (the property of the first kill) and per arch; each search against the first one
 * (today's generator) as ratios. Results in bench/mutants-results.json.
 *
 * Cost: a mutant nobody kills costs budget x seeds runs per search. With `earlyStop` a search that
 * has not killed a mutant in the first 2 seeds is not run on its other seeds (counted as not killed
 * there; the tables say so).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import '../src/mutants/searches';
import { allInstances, type MutantInstance } from '../src/mutants/instances';
import { sampleInstances } from '../src/mutants/sample';
import { DEFAULT_MUTANT_SEARCHES, listSearches, searchByName, type Search } from '../src/mutants/search';
import { median } from '../src/mutants/summary';
import { divergingRuns } from '../src/mutants/divergence';
import { DEFAULT_EXPLORE, DIVERGENCE_RUNS, judgeInstance, searchTarget } from '../src/mutants/verdict';
import { handKillFor } from '../src/mutants/hand-kills';

export const MUTANT_RESULTS_FILE = path.join(__dirname, 'mutants-results.json');
export const LEVELS = [100, 1000, 10000] as const;

export interface MutantBenchOptions {
  /** Mutant instances to sample (null: all). */
  sample: number | null;
  sampleSeed: number;
  seeds: number;
  budget: number;
  /** Search names (default: DEFAULT_MUTANT_SEARCHES; the first is the reference of the ratios). */
  searches?: string[];
  exploreSeconds: number;
  earlyStop: boolean;
  /** Only mutants on these engines (`arch/strategy`; empty or absent: all). */
  engines?: string[];
  /** Only mutants whose instance id contains one of these (empty or absent: all). */
  ids?: string[];
}

interface SearchRecord {
  /** Runs to kill per seed (null: not killed within the budget, or skipped by early stop). */
  runs: (number | null)[];
  skippedSeeds: number;
  property: string | null;
  crashed: boolean;
}
interface MutantRecord {
  id: string;
  operator: string;
  arch: string;
  engine: string;
  description: string;
  searches: Record<string, SearchRecord>;
  explorer: { result: string; depthReached: number; killed: boolean; property: string | null } | null;
  /** The clause a recorded hand-built ops list kills it with (src/mutants/hand-kills.ts). */
  hand: string | null;
  killable: boolean;
  crashed: boolean;
  property: string | null;
  /** For a mutant nothing killed: of DIVERGENCE_RUNS generated runs, how many traces differ from the base's. */
  diverged: number | null;
}

export interface MutantBenchUi {
  log(s: string): void;
  progress(s: string): void;
}

function runSearches(inst: MutantInstance, searches: readonly Search[], o: MutantBenchOptions, ui: MutantBenchUi, head: string): MutantRecord {
  const target = searchTarget(inst);
  const rec: MutantRecord = {
    id: inst.id, operator: inst.site.operator, arch: inst.engine.arch, engine: `${inst.engine.arch}/${inst.engine.strategy}`, description: inst.site.description,
    searches: {}, explorer: null, hand: handKillFor(inst.id, inst.engine.knobs)?.clause ?? null, killable: false, crashed: false, property: null, diverged: null,
  };
  for (const s of searches) {
    const r: SearchRecord = { runs: [], skippedSeeds: 0, property: null, crashed: false };
    for (let seed = 1; seed <= o.seeds; seed++) {
      if (o.earlyStop && seed > 2 && r.runs.every((x) => x === null)) {
        r.runs.push(null);
        r.skippedSeeds++;
        continue;
      }
      const hit = s.run(target, { seed, budget: o.budget, onRun: (n) => n % 100 === 0 && ui.progress(`${head}: ${s.name} seed ${seed}/${o.seeds} run ${n}`) });
      if (hit?.kind === 'error') r.crashed = true;
      r.runs.push(hit?.kind === 'kill' ? hit.runs : null);
      if (hit?.kind === 'kill' && r.property === null) r.property = hit.outcome.violation?.property ?? null;
    }
    rec.searches[s.name] = r;
  }
  const all = Object.values(rec.searches);
  rec.crashed = all.some((r) => r.crashed);
  rec.killable = all.some((r) => r.runs.some((x) => x !== null));
  rec.property = all.find((r) => r.property !== null)?.property ?? null;
  const byHand = !rec.killable && rec.hand !== null;
  if (!rec.killable && !rec.crashed && o.exploreSeconds > 0) {
    const v = judgeInstance(inst, { searches: [], seed: 1, budget: 0, divergence: false, explore: { ...DEFAULT_EXPLORE, maxSeconds: o.exploreSeconds }, onProgress: (t) => ui.progress(`${head}: ${t}`) });
    const killed = v.status === 'killed';
    rec.explorer = { result: v.explorer?.result ?? 'none', depthReached: v.explorer?.depthReached ?? 0, killed, property: v.property };
    if (killed) {
      rec.killable = true;
      rec.property = v.property;
    }
    if (v.status === 'crashed') rec.crashed = true;
  }
  // "Killable" = killed by any method: a recorded hand-built list counts, so a search gap stays in
  // the denominator of every search's kill rate.
  if (byHand && !rec.killable) {
    rec.killable = true;
    rec.property = (rec.hand as string).split(' ')[0];
  }
  if (!rec.killable && !rec.crashed) rec.diverged = divergingRuns(inst, DIVERGENCE_RUNS, 1);
  return rec;
}

const pct = (x: number | null) => (x === null ? '-' : `${(100 * x).toFixed(0)}%`);
const num = (x: number | null) => (x === null ? '-' : x >= 100 ? x.toFixed(0) : String(Math.round(x * 10) / 10));

/** Kill rate at `level` runs over `mutants` for one search: median over the seeds. */
function killRate(mutants: readonly MutantRecord[], search: string, level: number, seeds: number): number | null {
  if (mutants.length === 0) return null;
  const perSeed = Array.from({ length: seeds }, (_, i) => mutants.filter((m) => {
    const r = m.searches[search]?.runs[i];
    return r !== null && r !== undefined && r <= level;
  }).length / mutants.length);
  return median(perSeed);
}
/** Per mutant, the median over seeds of runs-to-kill (Infinity when not killed in most seeds). */
function medianRunsOf(m: MutantRecord, search: string): number {
  const runs = (m.searches[search]?.runs ?? []).map((x) => (x === null ? Infinity : x));
  return median(runs) ?? Infinity;
}

interface Row {
  group: string;
  search: string;
  mutants: number;
  killable: number;
  at: (number | null)[];
  medianRuns: number | null;
}
function rows(records: readonly MutantRecord[], searches: readonly string[], seeds: number, key: (m: MutantRecord) => string): Row[] {
  const groups = new Map<string, MutantRecord[]>();
  for (const m of records) groups.set(key(m), [...(groups.get(key(m)) ?? []), m]);
  const out: Row[] = [];
  for (const [group, ms] of [...groups.entries()].sort()) {
    const killable = ms.filter((m) => m.killable);
    for (const s of searches) {
      const med = median(killable.map((m) => medianRunsOf(m, s)));
      out.push({ group, search: s, mutants: ms.length, killable: killable.length, at: LEVELS.map((l) => killRate(killable, s, l, seeds)), medianRuns: med === null || !Number.isFinite(med) ? null : med });
    }
  }
  return out;
}
function printRows(ui: MutantBenchUi, title: string, rs: readonly Row[], budget: number): void {
  const levels = LEVELS.filter((l) => l <= budget);
  const w = Math.max(10, ...rs.map((r) => r.search.length));
  const head = `${title.padEnd(22)} ${'search'.padEnd(w)} mutants killable  ${levels.map((l) => `@${l}`.padStart(7)).join(' ')}  med-runs`;
  ui.log(head);
  ui.log('-'.repeat(head.length));
  for (const r of rs) {
    ui.log(`${r.group.padEnd(22)} ${r.search.padEnd(w)} ${String(r.mutants).padStart(7)} ${String(r.killable).padStart(8)}  ${levels.map((_, i) => pct(r.at[i]).padStart(7)).join(' ')}  ${num(r.medianRuns).padStart(8)}`);
  }
}

/** Runs-to-kill quantiles over every (killable mutant, seed) of a search (Infinity: not killed). */
function distribution(records: readonly MutantRecord[], search: string) {
  const xs = records.filter((m) => m.killable).flatMap((m) => (m.searches[search]?.runs ?? []).map((x) => (x === null ? Infinity : x))).sort((a, b) => a - b);
  const q = (p: number) => (xs.length ? xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] : null);
  const fin = (x: number | null) => (x === null || !Number.isFinite(x) ? null : x);
  return { samples: xs.length, p10: fin(q(0.1)), p25: fin(q(0.25)), p50: fin(q(0.5)), p75: fin(q(0.75)), p90: fin(q(0.9)), notKilled: xs.filter((x) => !Number.isFinite(x)).length };
}

export function mutantSection(o: MutantBenchOptions, ui: MutantBenchUi) {
  const t0 = performance.now();
  const searches = (o.searches ?? [...DEFAULT_MUTANT_SEARCHES]).map((n) => {
    const s = searchByName(n);
    if (!s) throw new Error(`bench: unknown search ${n} (known: ${listSearches().map((x) => x.name).join(', ')})`);
    return s;
  });
  const all = allInstances().filter(
    (i) => (!o.engines?.length || o.engines.includes(`${i.engine.arch}/${i.engine.strategy}`)) && (!o.ids?.length || o.ids.some((t) => i.id.includes(t))),
  );
  const insts = o.sample === null ? all : sampleInstances(all, o.sample, o.sampleSeed);
  ui.log('');
  ui.log(`Engine mutants: ${insts.length} of ${all.length} mutant instances${o.sample !== null ? ` (sample, seed ${o.sampleSeed}, spread over the operators)` : ''}; searches ${searches.map((s) => s.name).join(', ')}; ${o.seeds} seeds x ${o.budget} runs${o.earlyStop ? ' (a search not killing in the first 2 seeds skips the rest)' : ''}; explorer ${o.exploreSeconds} s on the survivors`);
  const records: MutantRecord[] = [];
  insts.forEach((inst, i) => {
    const spent = (performance.now() - t0) / 1000;
    const left = i > 0 ? ` ~${((spent / i) * (insts.length - i)).toFixed(0)} s left` : '';
    records.push(runSearches(inst, searches, o, ui, `mutant ${i + 1}/${insts.length} (${spent.toFixed(0)} s,${left}) ${inst.id}`));
  });
  const names = searches.map((s) => s.name);
  const valid = records.filter((m) => !m.crashed);
  const byOperator = rows(valid, names, o.seeds, (m) => m.operator);
  const byArch = rows(valid, names, o.seeds, (m) => m.arch);
  const byProperty = rows(valid.filter((m) => m.killable), names, o.seeds, (m) => m.property ?? '-');
  const overall = rows(valid, names, o.seeds, () => 'all');
  ui.log('');
  printRows(ui, 'operator', byOperator, o.budget);
  ui.log('');
  printRows(ui, 'arch', byArch, o.budget);
  ui.log('');
  printRows(ui, 'property (first kill)', byProperty, o.budget);
  ui.log('');
  printRows(ui, 'overall', overall, o.budget);
  const dist = Object.fromEntries(names.map((n) => [n, distribution(valid, n)]));
  ui.log('');
  ui.log('Runs to kill over (killable mutant, seed), per search: p10 / p25 / p50 / p75 / p90 (- = not killed within the budget)');
  const w = Math.max(10, ...names.map((n) => n.length));
  for (const n of names) ui.log(`  ${n.padEnd(w)} ${[dist[n].p10, dist[n].p25, dist[n].p50, dist[n].p75, dist[n].p90].map((x) => num(x)).join(' / ')}  (${dist[n].notKilled} of ${dist[n].samples} not killed)`);
  const ref = names[0];
  const ratios = names.slice(1).map((n) => {
    const a = overall.find((r) => r.search === ref) as Row;
    const b = overall.find((r) => r.search === n) as Row;
    return {
      search: n,
      reference: ref,
      killRateRatio: LEVELS.map((_, i) => (a.at[i] !== null && b.at[i] ? (a.at[i] as number) / (b.at[i] as number) : null)),
      medianRunsRatio: a.medianRuns !== null && b.medianRuns !== null ? b.medianRuns / a.medianRuns : null,
    };
  });
  for (const r of ratios) {
    const shown = LEVELS.filter((l) => l <= o.budget);
    if (shown.length === 0) continue;
    ui.log(`  ${r.reference} vs ${r.search}: kill rate x${r.killRateRatio.slice(0, shown.length).map((x) => (x === null ? '-' : x.toFixed(2))).join(' / x')} at ${shown.join(' / ')} runs; ${r.search} needs x${r.medianRunsRatio === null ? '-' : r.medianRunsRatio.toFixed(2)} the median runs`);
  }
  const killable = valid.filter((m) => m.killable).length;
  const crashed = records.length - valid.length;
  const survivors = valid.filter((m) => !m.killable);
  ui.log(`  not killed by any method: ${survivors.length}; of these, ${survivors.filter((m) => m.diverged === 0).length} never changed the trace in ${DIVERGENCE_RUNS} runs (not reached, or harmless), ${survivors.filter((m) => (m.diverged ?? 0) > 0).length} changed it with no property failing`);
  const handOnly = valid.filter((m) => m.killable && m.hand !== null && !m.explorer?.killed && Object.values(m.searches).every((r) => r.runs.every((x) => x === null))).length;
  ui.log(`  killable (any method): ${killable} of ${valid.length} valid mutants (${crashed} crashed the engine and are left out); by the explorer only: ${valid.filter((m) => m.explorer?.killed).length}; by a hand-built ops list only (src/mutants/hand-kills.ts): ${handOnly}`);
  const seconds = (performance.now() - t0) / 1000;
  const doc = {
    date: new Date().toISOString(),
    settings: { ...o, searches: names, levels: LEVELS },
    seconds,
    summary: { mutants: records.length, valid: valid.length, crashed, killable, byOperator, byArch, byProperty, overall, distribution: dist, ratios },
    mutants: records,
  };
  fs.writeFileSync(MUTANT_RESULTS_FILE, `${JSON.stringify(doc, null, 1)}\n`);
  ui.log(`mutant section: ${seconds.toFixed(0)} s; results in bench/${path.basename(MUTANT_RESULTS_FILE)}`);
  return doc.summary;
}
