/**
 * `lazymm mutants`: the engine mutants of src/mutants (bug injections derived mechanically from the
 * engine's sources). `--list` prints them; `--run` judges them (differentially: the mutant fails a
 * property on some ops and the unmutated engine passes the same ops) with the registered searches
 * and then the bounded explorer, and prints the mutation score.
 */
import '../../mutants/searches';
import { allInstances, type MutantInstance } from '../../mutants/instances';
import { sampleInstances } from '../../mutants/sample';
import { DEFAULT_MUTANT_SEARCHES, listSearches, searchByName, type Search } from '../../mutants/search';
import { median, scoreBy, scoreText, type ScoreRow } from '../../mutants/summary';
import { OPERATORS, siteOf } from '../../mutants/types';
import { DEFAULT_EXPLORE, boundText, judgeInstance, type MutantVerdict } from '../../mutants/verdict';
import { progressLine, progressWanted } from '../../explore/progress';
import { parseArgs } from '../args';
import { MUTANTS_DEFAULTS, MUTANTS_FLAGS } from './mutants-flags';
import { UsageError, parseChoice, parseNonNegativeInt, parsePositiveInt, parseSeed } from '../errors';
import { println, type CliIo } from '../io';
import { table } from '../table';
import { KNOB_DEFS, parseKnobs } from '../engine-spec';

const ENGINES = ['x86/refcount', 'powerpc/shootdown', 'arm64/refcount', 'x86/hazard'] as const;

function selected(a: ReturnType<typeof parseArgs>): MutantInstance[] {
  const ops = (a.lists.get('operator') ?? []).map((o) => parseChoice('--operator', o, OPERATORS));
  const engines = (a.lists.get('engine') ?? []).map((e) => parseChoice('--engine', e, ENGINES));
  const ids = a.lists.get('id') ?? [];
  let all: MutantInstance[];
  try {
    all = allInstances();
  } catch (e) {
    throw new UsageError((e as Error).message); // no engine sources here (a built package)
  }
  if (ops.length) all = all.filter((i) => ops.includes(i.site.operator));
  if (engines.length) all = all.filter((i) => engines.some((e) => i.id.endsWith(`@${e}`)));
  if (ids.length) all = all.filter((i) => ids.some((t) => i.id.includes(t)));
  if (all.length === 0) throw new UsageError('mutants: no mutant matches --operator/--engine/--id');
  return withKnobs(all, a.lists.get('knob') ?? []);
}

/** `--knob NAME=VALUE`: on every instance whose arch has the knob (an unknown knob is a usage error). */
function withKnobs(all: MutantInstance[], given: readonly string[]): MutantInstance[] {
  if (given.length === 0) return all;
  for (const text of given) {
    const name = text.split('=')[0];
    if (!Object.values(KNOB_DEFS).some((defs) => defs.some((d) => d.name === name))) parseKnobs('x86', [text]); // throws, naming the known knobs
  }
  return all.map((i) => {
    const mine = given.filter((text) => KNOB_DEFS[i.engine.arch].some((d) => d.name === text.split('=')[0]));
    return mine.length === 0 ? i : { ...i, engine: { ...i.engine, knobs: { ...i.engine.knobs, ...parseKnobs(i.engine.arch, mine) } } };
  });
}

export function mutantsCommand(argv: readonly string[], io: CliIo): number {
  const a = parseArgs('mutants', argv, MUTANTS_FLAGS);
  const list = a.switches.has('list');
  const run = a.switches.has('run');
  if (list === run) throw new UsageError('mutants: give exactly one of --list and --run');
  const json = a.switches.has('json');
  const seed = a.values.has('seed') ? parseSeed('--seed', a.values.get('seed')) : MUTANTS_DEFAULTS.seed;
  const budget = a.values.has('budget') ? parsePositiveInt('--budget', a.values.get('budget')) : MUTANTS_DEFAULTS.budget;
  const sample = a.values.has('sample') ? parsePositiveInt('--sample', a.values.get('sample')) : null;
  const exploreSeconds = a.values.has('explore-seconds') ? parseNonNegativeInt('--explore-seconds', a.values.get('explore-seconds')) : MUTANTS_DEFAULTS.exploreSeconds;
  const searches: Search[] = (a.lists.get('search') ?? [...DEFAULT_MUTANT_SEARCHES]).map((name) => {
    const s = searchByName(name);
    if (!s) throw new UsageError(`--search: unknown search ${JSON.stringify(name)} (known: ${listSearches().map((x) => x.name).join(', ')})`);
    return s;
  });
  if (list && (a.values.has('budget') || a.lists.has('search') || a.values.has('explore-seconds'))) {
    throw new UsageError('mutants --list: --budget, --search and --explore-seconds only apply to --run');
  }
  let instances = selected(a);
  if (sample !== null) instances = sampleInstances(instances, sample, seed);

  if (list) {
    if (json) println(io, JSON.stringify({ mutants: instances.map((i) => ({ id: i.id, site: i.site.id, file: i.site.file, function: i.site.function, operator: i.site.operator, line: i.site.line, engine: i.engine, description: i.site.description })) }, null, 2));
    else {
      println(io, ...table(instances.map((i) => [i.id, String(i.site.line), i.site.description]), ['mutant', 'line', 'description']));
      println(io, '', `${instances.length} mutants (${new Set(instances.map((i) => siteOf(i.site))).size} sites): ${OPERATORS.map((op) => `${op} ${instances.filter((i) => i.site.operator === op).length}`).join(', ')}`);
    }
    return 0;
  }

  const bar = progressLine((s) => io.err(s), io.progress ?? progressWanted(json));
  const explore = exploreSeconds > 0 ? { ...DEFAULT_EXPLORE, maxSeconds: exploreSeconds } : null;
  const verdicts: MutantVerdict[] = [];
  const t0 = performance.now();
  instances.forEach((inst, n) => {
    const killed = verdicts.filter((v) => v.status === 'killed').length;
    const head = `mutant ${n + 1}/${instances.length} (${killed} killed, ${((performance.now() - t0) / 1000).toFixed(0)} s) ${inst.id}`;
    verdicts.push(judgeInstance(inst, { searches, seed, budget, explore, onProgress: (t) => bar.update(`${head}: ${t}`) }));
    bar.update(head);
  });
  bar.done();
  const byOperator = scoreBy(verdicts, (v) => v.operator);
  const byEngine = scoreBy(verdicts, (v) => v.engine);
  const byProperty = scoreBy(verdicts.filter((v) => v.status === 'killed'), (v) => v.property ?? '-');
  const settings = { seed, budget, searches: searches.map((s) => s.name), explore, sample };
  if (json) {
    println(io, JSON.stringify({ settings, score: scoreText(byOperator), byOperator, byEngine, byProperty, mutants: verdicts }, null, 2));
    return 0;
  }
  const rows = verdicts.map((v) => [
    v.status === 'not-killed' ? 'not killed' : v.status,
    v.id,
    v.killedBy ?? '-',
    v.runs === null ? '-' : String(v.runs),
    v.status === 'not-killed' ? `possibly equivalent: ${boundText(v)}` : `${v.property} ${v.clause}`,
  ]);
  const scoreRows = (rs: readonly ScoreRow[]) => rs.map((r) => [r.key, String(r.mutants), String(r.killed), String(r.crashed), String(r.notKilled), r.medianRuns === null ? '-' : String(r.medianRuns)]);
  const scoreHead = ['mutants', 'killed', 'crashed', 'not killed', 'median runs'];
  const killedRuns = verdicts.filter((v) => v.runs !== null && v.status === 'killed').map((v) => v.runs as number);
  println(
    io,
    `lazymm mutants: ${verdicts.length} mutants, searches ${searches.map((s) => s.name).join(' then ')} (${budget} runs each, seed ${seed}), then the explorer (${explore ? `${explore.maxSeconds} s` : 'off'})`,
    '',
    ...table(rows, ['verdict', 'mutant', 'by', 'runs', 'property / bound']),
    '',
    ...table(scoreRows(byOperator), ['operator', ...scoreHead]),
    '',
    ...table(scoreRows(byEngine), ['engine', ...scoreHead]),
    '',
    `mutation score: ${scoreText(byOperator)}; median runs to kill ${median(killedRuns) ?? '-'}. "crashed": the mutant made the engine throw (not counted). "not killed": no method found a failing run within the bound shown (possibly an equivalent mutant).`,
  );
  return 0;
}
