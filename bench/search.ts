/**
 * The search benchmark (`npm run bench:search`; not a test): the searches of arbitraries/search.ts
 * side by side, measured on this machine in one run. Sections (`--section NAME`, repeatable;
 * default coverage and variants):
 *
 * - `coverage`: distinct interleaving-coverage features (arbitraries/coverage.ts, without the
 *   configuration shape) reached after 100 and 1,000 runs, on the mainline and proposed engines with
 *   the fix knobs, per search, median over the seeds. A measure that no bug and no scenario tuned.
 * - `variants`: runs to the first counting failure of each named variant (as `check --variant`
 *   checks it), per search, median over the seeds, beside bench/results.json's `lazymm` figure.
 * - `mutants`: runs to kill each engine mutant of src/mutants (issue 11 part A; `--sample K`
 *   spread over the operators, `--budget N` runs, default 10,000) by each search registered in
 *   src/mutants/search.ts, over the seeds; a mutant that no search kills on seed 1 is not tried on
 *   the other seeds (it is reported as not killed within the budget). Prints operator x (mutants,
 *   killed within 100 / 1,000 / 10,000 runs (median over the seeds), median runs to kill) per
 *   search; `--mutants-json FILE` keeps every figure (rewritten after each mutant).
 * - `soak`: no false alarm: every mainline and proposed engine with the open findings' fix knobs
 *   under `--search coverage` (every applicable property) until at least `--soak-steps` ops
 *   (default 2,000,000) each; any counterexample is a failure of the bench.
 *
 * Flags: --seeds N (5), --runs N (budget per seed, 4000), --search NAME (repeatable; default
 * weighted, uniform, coverage, coverage-nofocus, pct), --variant ID (repeatable), --soak-steps N,
 * --json FILE (write the figures). Progress on stderr.
 */
import * as fs from 'node:fs';
import { checkEngine } from '../arbitraries/check-engine';
import { differentialCriterion, profilesFor } from '../arbitraries/check';
import { InterleavingCoverage } from '../arbitraries/coverage';
import { coverageSearch, type CoverageSearchTuning } from '../arbitraries/coverage-search';
import { DEFAULT_MAX_OPS } from '../arbitraries/interleaving';
import { SEARCH_NAMES, isSearchName, type SearchName } from '../arbitraries/search';
import { defaultDifferentialBase, isExpectedBreak, variantCheckOptions, variantNeedsAlignedReplay } from '../arbitraries/variant-check';
import { runCheck } from '../arbitraries/check';
import { listEngines } from '../src/engine/registry';
import { createEngine } from '../src/engine/registry';
import { VARIANTS } from '../src/engine/variants';
import { fixKnobsFor } from '../src/cli/findings';
import type { EngineSpec } from '../src/run/types';
import type { InitEvent } from '../src/trace/events';
import { allProperties, createTraceChecker, propertyById, type Property } from '../properties';
import { DEFAULT_CONFIG } from '../src/engine/contract';
import '../src/mutants/searches';
import { allInstances } from '../src/mutants/instances';
import { sampleInstances } from '../src/mutants/sample';
import { listSearches, registerSearch, searchByName } from '../src/mutants/search';
import { searchTarget } from '../src/mutants/verdict';
import { OPERATORS } from '../src/mutants/types';

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i < 0 ? undefined : argv[i + 1];
};
const flags = (name: string): string[] => argv.flatMap((a, i) => (argv[i - 1] === `--${name}` ? [a] : []));
const SEEDS = Number(flag('seeds') ?? 5);
const RUNS = Number(flag('runs') ?? 4000);
const SOAK_STEPS = Number(flag('soak-steps') ?? 2_000_000);
const sections = flags('section').length ? flags('section') : ['coverage', 'variants'];
const searches = (flags('search').length ? flags('search') : [...SEARCH_NAMES]).map((s) => {
  if (!isSearchName(s)) throw new Error(`--search: expected one of ${SEARCH_NAMES.join(', ')}, got ${s}`);
  return s;
});
const onlyVariants = flags('variant');
const jsonFile = flag('json');
/** `--coverage-tuning '{"trim":true}'`: knobs of the coverage search (arbitraries/coverage-search.ts), for the coverage section and the `coverage-tuned` mutant search. */
const coverageTuning = JSON.parse(flag('coverage-tuning') ?? '{}') as Partial<CoverageSearchTuning>;
const progress = (s: string) => process.stderr.isTTY && process.stderr.write(`\r${s.slice(0, 150).padEnd(150)}\r`);

const median = (xs: readonly number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Mainline and proposed engines, with the fix knobs of the open findings. */
export function shippedEngines(): EngineSpec[] {
  return listEngines()
    .filter((e) => e.label !== 'counterfactual')
    .map((e) => {
      const knobs = fixKnobsFor(e.arch);
      return { arch: e.arch, strategy: e.strategy, ...(Object.keys(knobs).length ? { knobs } : {}) };
    });
}
const specId = (s: EngineSpec) => `${s.arch}/${s.strategy}`;

// ---------------------------------------------------------------------------------------------
// coverage: features per 100 / 1,000 runs

/**
 * Features after each of `at` runs and after all `runs`, then after EVENTS_MARK trace events (runs
 * of different searches have different lengths: the coverage search's fresh runs use every op of
 * their budget, fast-check's choice lists are shorter on average).
 */
const EVENTS_MARK = 100_000;
function coverageOf(spec: EngineSpec, search: SearchName, seed: number, runs: number, at: readonly number[]): number[] {
  const engine = createEngine(spec);
  const seen = new Set<number>();
  let run = 0;
  let events = 0;
  let atEvents: number | null = null;
  const out: number[] = [];
  checkEngine({
    engine,
    propertyIds: [],
    runs,
    seed,
    search,
    coverageTuning,
    weights: profilesFor(allProperties.map((p) => p.id)),
    makeChecker: (init: InitEvent) => {
      if (at.includes(run)) out.push(seen.size);
      run++;
      const cov = new InterleavingCoverage(init);
      return {
        observe(ev) {
          cov.observe(ev);
          events++;
          return [];
        },
        finish() {
          for (const f of cov.features) seen.add(f);
          if (atEvents === null && events >= EVENTS_MARK) atEvents = seen.size;
          return [];
        },
      };
    },
  });
  out.push(seen.size, atEvents ?? -1);
  return out;
}

function coverageSection(): unknown {
  const at = [100];
  const rows: Record<string, unknown>[] = [];
  console.log(`\nInterleaving coverage: distinct features after 100 / 1,000 runs / ${EVENTS_MARK} trace events (median of ${SEEDS} seeds; -: fewer events in 1,000 runs)`);
  console.log(`${'engine'.padEnd(22)} ${searches.map((s) => s.padStart(26)).join('')}`);
  const only = flags('engine');
  for (const spec of shippedEngines().filter((e) => only.length === 0 || only.includes(specId(e)))) {
    const cells: string[] = [];
    const row: Record<string, unknown> = { engine: specId(spec) };
    for (const search of searches) {
      const per = Array.from({ length: SEEDS }, (_, i) => {
        progress(`coverage ${specId(spec)} ${search} seed ${i + 1}/${SEEDS}`);
        return coverageOf(spec, search, i + 1, 1000, at);
      });
      const m100 = median(per.map((p) => p[0])) as number;
      const m1k = median(per.map((p) => p[1])) as number;
      const mEv = median(per.map((p) => p[2])) as number;
      row[search] = { at100: m100, at1000: m1k, atEvents: mEv < 0 ? null : mEv };
      cells.push(`${m100} / ${m1k} / ${mEv < 0 ? '-' : mEv}`.padStart(26));
    }
    rows.push(row);
    console.log(`${specId(spec).padEnd(22)} ${cells.join('')}`);
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// variants: runs to the first counting failure

/** Runs to the first failure that counts (the differential criterion), or null within `runs`. */
export function runsToFailure(opts: ReturnType<typeof variantCheckOptions>, search: SearchName, seed: number, runs: number): { runs: number | null; property: string | null; clause: string | null } {
  const engine = createEngine(opts.engine);
  const init = engine.init(DEFAULT_CONFIG).events[0] as InitEvent;
  const properties = (opts.properties ?? allProperties.filter((p) => p.appliesTo(init)).map((p) => p.id)).map((id) => propertyById(id) as Property);
  const base = opts.differentialBase === undefined ? defaultDifferentialBase(opts.engine) : opts.differentialBase;
  const align = opts.engine.variant !== undefined && variantNeedsAlignedReplay(opts.engine.variant);
  const criterion = base ? differentialCriterion(base, align) : () => true;
  let n = 0;
  let first: number | null = null;
  const r = checkEngine({
    engine,
    makeChecker: (i) => {
      if (first === null) n++;
      return createTraceChecker(i, properties);
    },
    propertyIds: properties.map((p) => p.id),
    runs,
    seed,
    search,
    weights: profilesFor(properties.map((p) => p.id)),
    shrinkBudget: 0,
    minimize: false,
    ownViolation: (config, ops, v) => {
      const yes = criterion(config, ops, v);
      if (yes && first === null) first = n;
      return yes;
    },
  });
  const cx = r.counterexample;
  return { runs: first, property: cx?.property ?? null, clause: cx?.clause ?? null };
}

function variantsSection(): unknown {
  const before = JSON.parse(fs.readFileSync(`${__dirname}/results.json`, 'utf8')) as { variants: { id: string; lazymm: { medianRunsToFailure: number | null } }[] };
  const ids = onlyVariants.length ? onlyVariants : VARIANTS.map((v) => v.id);
  console.log(`\nNamed variants: median runs to the first failure over ${SEEDS} seeds (caught/seeds), budget ${RUNS} runs; results.json: today's weighted search over 10 seeds`);
  console.log(`${'variant'.padEnd(40)} ${'results.json'.padStart(12)} ${searches.map((s) => s.padStart(18)).join('')}`);
  const rows: Record<string, unknown>[] = [];
  for (const id of ids) {
    const v = VARIANTS.find((x) => x.id === id);
    if (!v) throw new Error(`unknown variant ${id}`);
    const opts = variantCheckOptions(id, { runs: RUNS });
    const row: Record<string, unknown> = { id, resultsJson: before.variants.find((x) => x.id === id)?.lazymm.medianRunsToFailure ?? null };
    const cells: string[] = [];
    for (const search of searches) {
      const per = Array.from({ length: SEEDS }, (_, i) => {
        progress(`variant ${id} ${search} seed ${i + 1}/${SEEDS}`);
        const r = runsToFailure(opts, search, i + 1, RUNS);
        return r.runs !== null && r.property !== null && isExpectedBreak(v, r.property, r.clause ?? '') ? r.runs : null;
      });
      const caught = per.filter((x): x is number => x !== null);
      const m = median(caught);
      row[search] = { caught: caught.length, seeds: SEEDS, medianRuns: m, runs: per };
      cells.push(`${m === null ? '-' : m} (${caught.length}/${SEEDS})`.padStart(18));
    }
    rows.push(row);
    console.log(`${id.padEnd(40)} ${String(row.resultsJson ?? '-').padStart(12)} ${cells.join('')}`);
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// soak: no false alarm under the coverage search

function soakSection(): { ok: boolean; rows: unknown[] } {
  console.log(`\nNo false alarm: mainline and proposed engines with the fix knobs, --search coverage, >= ${SOAK_STEPS} ops each`);
  const rows: unknown[] = [];
  let ok = true;
  for (const spec of shippedEngines()) {
    let steps = 0;
    let runs = 0;
    let block = 0;
    let failure: string | null = null;
    const t0 = performance.now();
    while (steps < SOAK_STEPS && failure === null) {
      progress(`soak ${specId(spec)}: ${steps} ops, ${runs} runs`);
      const r = runCheck({ engine: spec, runs: 2000, seed: 1000 + block++, search: 'coverage', maxOps: DEFAULT_MAX_OPS });
      steps += r.opsExecuted;
      runs += r.runs;
      if (r.counterexample) failure = `${r.counterexample.property} ${r.counterexample.clause}: ${r.counterexample.message}`;
    }
    const seconds = (performance.now() - t0) / 1000;
    ok &&= failure === null;
    rows.push({ engine: spec, steps, runs, seconds, failure });
    console.log(`${specId(spec).padEnd(22)} ${failure === null ? 'pass' : 'FAIL'}  ${steps} ops, ${runs} runs, ${seconds.toFixed(0)} s${failure ? `  ${failure}` : ''}`);
  }
  return { ok, rows };
}

// ---------------------------------------------------------------------------------------------
// mutants: runs to kill

registerSearch({
  name: 'coverage-tuned',
  description: 'the coverage search with --coverage-tuning',
  run(target, options) {
    const r = coverageSearch({
      engine: target.engine, makeChecker: target.makeChecker, runs: options.budget, seed: options.seed, maxOps: DEFAULT_MAX_OPS,
      profiles: profilesFor(target.properties), counts: (config, out) => target.judge(config, out) !== null, tuning: coverageTuning,
    });
    const f = r.failure;
    return f && { runs: f.run, kind: f.out.error !== null ? 'error' : 'kill', config: f.config, outcome: f.out };
  },
});

const MUTANT_BUDGET = Number(flag('budget') ?? 10_000);
const MUTANT_SAMPLE = flag('sample');
const mutantSearches = flags('mutant-search').length ? flags('mutant-search') : listSearches().map((s) => s.name).filter((n) => n !== 'coverage-tuned');

/** Per search: per mutant, runs to kill per seed (null: not within the budget). */
type KillTable = Record<string, Record<string, (number | null)[]>>;

function mutantsSection(): unknown {
  let instances = allInstances();
  const ops = flags('operator');
  if (ops.length) instances = instances.filter((i) => ops.includes(i.site.operator));
  const ids = flags('id');
  if (ids.length) instances = instances.filter((i) => ids.includes(i.id));
  if (MUTANT_SAMPLE !== undefined) instances = sampleInstances(instances, Number(MUTANT_SAMPLE), 1);
  const kills: KillTable = Object.fromEntries(mutantSearches.map((n) => [n, {}]));
  const file = flag('mutants-json');
  const t0 = performance.now();
  instances.forEach((inst, k) => {
    const target = searchTarget(inst);
    for (let seed = 1; seed <= SEEDS; seed++) {
      // Seed 1 tells the killable ones: a mutant no search killed there is not run again.
      if (seed > 1 && mutantSearches.every((n) => kills[n][inst.id][0] === null)) {
        for (const n of mutantSearches) kills[n][inst.id].push(null);
        continue;
      }
      for (const name of mutantSearches) {
        const search = searchByName(name);
        if (!search) throw new Error(`unknown search ${name}`);
        progress(`mutant ${k + 1}/${instances.length} ${inst.id} ${name} seed ${seed}/${SEEDS} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
        const hit = search.run(target, { seed, budget: MUTANT_BUDGET });
        (kills[name][inst.id] ??= []).push(hit && hit.kind === 'kill' ? hit.runs : null);
      }
    }
    if (file) fs.writeFileSync(file, `${JSON.stringify({ budget: MUTANT_BUDGET, seeds: SEEDS, done: k + 1, of: instances.length, operators: Object.fromEntries(instances.map((i) => [i.id, i.site.operator])), kills }, null, 1)}\n`);
  });
  return printKillTable(instances.map((i) => ({ id: i.id, operator: i.site.operator })), kills);
}

/** The operator x (mutants, killed within 100 / 1k / 10k, median runs) table of each search. */
export function printKillTable(mutants: readonly { id: string; operator: string }[], kills: KillTable): unknown {
  const names = Object.keys(kills);
  const killable = mutants.filter((m) => names.some((n) => (kills[n][m.id] ?? []).some((r) => r !== null)));
  console.log(`\nEngine mutants: ${mutants.length} (${killable.length} killed by some search within ${MUTANT_BUDGET} runs); killed within 100 / 1k / 10k runs (median over ${SEEDS} seeds) of the killable, median runs to kill`);
  const out: Record<string, unknown> = {};
  for (const n of names) {
    console.log(`\n  search ${n}`);
    console.log(`  ${'operator'.padEnd(20)} ${'mutants'.padStart(8)} ${'@100'.padStart(6)} ${'@1k'.padStart(6)} ${'@10k'.padStart(6)} ${'median runs'.padStart(12)}`);
    const rows: unknown[] = [];
    for (const op of [...OPERATORS, 'all']) {
      const ms = killable.filter((m) => op === 'all' || m.operator === op);
      if (ms.length === 0) continue;
      const within = (limit: number) =>
        median(Array.from({ length: SEEDS }, (_, s) => ms.filter((m) => { const r = kills[n][m.id]?.[s]; return r !== null && r !== undefined && r <= limit; }).length)) as number;
      const perMutant = ms.map((m) => median((kills[n][m.id] ?? []).map((r) => r ?? Infinity)) as number);
      const med = median(perMutant);
      const row = { operator: op, mutants: ms.length, at100: within(100), at1k: within(1000), at10k: within(10000), medianRuns: med === null || !Number.isFinite(med) ? null : med };
      rows.push(row);
      console.log(`  ${op.padEnd(20)} ${String(ms.length).padStart(8)} ${String(row.at100).padStart(6)} ${String(row.at1k).padStart(6)} ${String(row.at10k).padStart(6)} ${String(row.medianRuns ?? '-').padStart(12)}`);
    }
    out[n] = rows;
  }
  return out;
}

function main(): void {
  const t0 = performance.now();
  console.log(`lazymm bench:search: sections ${sections.join(', ')}; ${SEEDS} seeds; searches ${searches.join(', ')}; node ${process.version}`);
  const out: Record<string, unknown> = { date: new Date().toISOString(), seeds: SEEDS, runs: RUNS, searches };
  let ok = true;
  for (const s of sections) {
    if (s === 'coverage') out.coverage = coverageSection();
    else if (s === 'variants') out.variants = variantsSection();
    else if (s === 'mutants') out.mutants = mutantsSection();
    else if (s === 'soak') {
      const r = soakSection();
      out.soak = r.rows;
      ok &&= r.ok;
    } else throw new Error(`--section: expected coverage, variants, mutants or soak, got ${s}`);
  }
  console.log(`\nbench:search: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  if (jsonFile) fs.writeFileSync(jsonFile, `${JSON.stringify(out, null, 1)}\n`);
  if (!ok) process.exitCode = 1;
}

main();
