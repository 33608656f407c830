/**
 * `lazymm check`: the property suite on one engine. Exit 0 every property held, 1 a counterexample
 * (printed as ops and a timeline, and with --record written to fixtures/), 2 bad input.
 */
import { DEFAULT_CONFIG, type ModelConfig } from '../../engine/contract';
import type { EngineSpec } from '../../run/types';
import { DEFAULT_MAX_OPS, DEFAULT_RUNS, deriveSeed, runCheck } from '../../../arbitraries';
import { variantCheckOptions } from '../../../arbitraries/variant-check';
import { LONG_RUN_MAX_OPS } from '../../../arbitraries/long-runs';
import { DEFAULT_SEARCH, SEARCH_NAMES, isLongRunSearch, isSearchName, type SearchName } from '../../../arbitraries/search';
import { FixtureError } from '../../fixtures/fixture';
import { parseArgs, type FlagSpec } from '../args';
import { checkJson } from '../check-json';
import { measureCosts } from '../cost-meter';
import { renderCounterexample } from '../counterexample';
import { engineId, engineSpecFromFlags, selectProperties } from '../engine-spec';
import { UsageError, parseIntInRange, parsePositiveInt, parseSeed } from '../errors';
import { DEFAULT_RESTARTS } from '../../../arbitraries/restart-shrink';
import { eprintln, println, type CliIo } from '../io';
import { HTML_FLAG, HtmlReports, htmlDir } from '../html-output';
import { reportOfCheck } from '../../report/sources';
import { commandLine } from '../../fixtures/provenance';
import { checkRecordDir, fixtureFor, recordDir, recordFixture } from '../record';

/** --restarts' upper bound: each restart is a check of its own (about as long as the first, shrinking included). */
const MAX_RESTARTS = 20;

export const ENGINE_FLAGS: readonly FlagSpec[] = [
  { name: 'arch', kind: 'value', arg: 'ARCH', help: 'x86, powerpc or arm64 (default x86)' },
  { name: 'strategy', kind: 'value', arg: 'S', help: 'refcount, shootdown or hazard (default refcount)' },
  { name: 'variant', kind: 'value', arg: 'V', help: 'a named buggy variant (see `lazymm list`); implies its arch and strategy' },
  { name: 'knob', kind: 'list', arg: 'NAME=VALUE', help: 'set a knob of the arch (see `lazymm list`); repeatable' },
];

export const CHECK_FLAGS: readonly FlagSpec[] = [
  ...ENGINE_FLAGS,
  { name: 'property', kind: 'list', arg: 'P', help: 'check only this property; repeatable (default: all that apply)' },
  { name: 'runs', kind: 'value', arg: 'N', help: `random runs (default ${DEFAULT_RUNS})` },
  { name: 'seed', kind: 'value', arg: 'N', help: 'fast-check seed, a 32-bit integer (default: derived from the engine id)' },
  { name: 'max-ops', kind: 'value', arg: 'N', help: `most ops per run (default ${DEFAULT_MAX_OPS}; ${LONG_RUN_MAX_OPS} under --search weighted2 or weighted2-echo)` },
  { name: 'search', kind: 'value', arg: 'NAME', help: `how runs are generated: ${SEARCH_NAMES.join(', ')} (default ${DEFAULT_SEARCH}; docs/cli.md)` },
  { name: 'cpus', kind: 'value', arg: 'N', help: `fix the configuration: CPUs, 1..8 (default: generated; ${DEFAULT_CONFIG.cpus} when another size flag is given)` },
  { name: 'procs', kind: 'value', arg: 'N', help: `user processes at boot, 0..4 (default ${DEFAULT_CONFIG.procs} with a fixed configuration)` },
  { name: 'threads', kind: 'value', arg: 'N', help: `threads per process, 1..4 (default ${DEFAULT_CONFIG.threads} with a fixed configuration)` },
  { name: 'kthreads', kind: 'value', arg: 'N', help: `kernel threads, 0..3 (default ${DEFAULT_CONFIG.kthreads} with a fixed configuration)` },
  { name: 'restarts', kind: 'value', arg: 'N', help: `after shrinking, run the check again N times on machines no larger than the counterexample's and keep a shorter counterexample, 0..20 (default ${DEFAULT_RESTARTS}; 0: none; docs/cli.md)` },
  { name: 'as-is', kind: 'switch', help: "with --variant: no fix knobs of the open findings and no differential base (default: as arbitraries/variant-check.ts checks variants)" },
  { name: 'record', kind: 'switch', help: 'write a counterexample to fixtures/ (never over an existing file)' },
  { name: 'fixtures-dir', kind: 'value', arg: 'DIR', help: 'where --record writes (default: fixtures/ in the nearest folder above the working directory with a package.json)' },
  { name: 'json', kind: 'switch', help: 'print one JSON document (docs/cli.md) instead of text' },
  HTML_FLAG,
];

/** The --cpus/--procs/--threads/--kthreads configuration, or undefined (generated) when none is given. */
export function configFromFlags(values: Map<string, string | undefined>): ModelConfig | undefined {
  const sizes = [['cpus', 1, 8], ['procs', 0, 4], ['threads', 1, 4], ['kthreads', 0, 3]] as const;
  if (!sizes.some(([name]) => values.has(name))) return undefined;
  const config: ModelConfig = { ...DEFAULT_CONFIG };
  for (const [name, lo, hi] of sizes) if (values.has(name)) config[name] = parseIntInRange(`--${name}`, values.get(name), lo, hi);
  return config;
}

/**
 * What runCheck runs. A variant is checked as arbitraries/variant-check.ts says (the fix knobs of
 * the open findings that cannot mask it, its own property, the differential base), with the
 * user's --knob on top of both engines, and its shrink budget; `asIs` checks the variant bare.
 * Other specs run as given.
 */
export function checkOptions(spec: EngineSpec, properties: string[] | undefined, asIs: boolean): { engine: EngineSpec; properties?: string[]; differentialBase?: EngineSpec | null; shrinkBudget?: number } {
  if (spec.variant === undefined) return { engine: spec, ...(properties ? { properties } : {}) };
  if (asIs) return { engine: spec, differentialBase: null, ...(properties ? { properties } : {}) };
  const v = variantCheckOptions(spec.variant);
  const withUser = (e: EngineSpec): EngineSpec => ({ ...e, knobs: { ...(e.knobs ?? {}), ...(spec.knobs ?? {}) } });
  return {
    engine: withUser(v.engine),
    differentialBase: v.differentialBase ? withUser(v.differentialBase) : v.differentialBase,
    ...(properties ? { properties } : v.properties ? { properties: v.properties } : {}),
    // The variant check's shrink budget too, so that `lazymm check --variant V --seed S` gives the
    // counterexample the bench and the variant tests get for seed S.
    ...(v.shrinkBudget !== undefined ? { shrinkBudget: v.shrinkBudget } : {}),
  };
}

/** The --search value (default DEFAULT_SEARCH). */
export function parseSearch(value: string | undefined): SearchName {
  if (value === undefined) return DEFAULT_SEARCH;
  if (!isSearchName(value)) throw new UsageError(`--search: expected one of ${SEARCH_NAMES.join(', ')}, got ${JSON.stringify(value)}`);
  return value;
}

export function checkCommand(argv: readonly string[], io: CliIo): number {
  const a = parseArgs('check', argv, CHECK_FLAGS);
  let spec = engineSpecFromFlags({ arch: a.values.get('arch'), strategy: a.values.get('strategy'), variant: a.values.get('variant'), knobs: a.lists.get('knob') });
  const config = configFromFlags(a.values);
  const properties = selectProperties(a.lists.get('property') ?? [], spec, config);
  const runs = a.values.has('runs') ? parsePositiveInt('--runs', a.values.get('runs')) : DEFAULT_RUNS;
  const search = parseSearch(a.values.get('search'));
  const maxOps = a.values.has('max-ops') ? parsePositiveInt('--max-ops', a.values.get('max-ops')) : isLongRunSearch(search) ? LONG_RUN_MAX_OPS : DEFAULT_MAX_OPS;
  const seed = a.values.has('seed') ? parseSeed('--seed', a.values.get('seed')) : deriveSeed(engineId(spec));
  const restarts = a.values.has('restarts') ? parseIntInRange('--restarts', a.values.get('restarts'), 0, MAX_RESTARTS) : DEFAULT_RESTARTS;
  if (a.switches.has('as-is') && !a.values.has('variant')) throw new UsageError('--as-is: only with --variant V (it checks a variant without the fix knobs and the differential base)');
  const dir = recordDir(a.values);
  checkRecordDir(dir, a.switches.has('record'), a.values.has('fixtures-dir') ? '--fixtures-dir' : '--record');
  const html = htmlDir(a.values);

  const userKnobs = spec.knobs ?? {};
  const options = checkOptions(spec, a.lists.has('property') ? properties.map((p) => p.id) : undefined, a.switches.has('as-is'));
  const r = runCheck({ ...options, runs, seed, maxOps, config, search, restarts });
  spec = options.engine;
  const cx = r.counterexample;
  let fixture: string | undefined;
  let recordError: string | undefined;
  if (cx && a.switches.has('record')) {
    try {
      fixture = recordFixture(dir, fixtureFor(spec, r.engine, cx, ['check', ...argv], dir, userKnobs));
    } catch (err) {
      if (!(err instanceof FixtureError)) throw err;
      recordError = `lazymm: not recorded: ${err.message.split('\n')[0]}`;
    }
  }

  let htmlLine: string | undefined;
  if (html !== undefined) {
    const reports = new HtmlReports(html);
    const page = cx ? reports.add(`${r.engine} ${cx.property}`, spec.variant ? 'variant' : 'engine', reportOfCheck({ ...cx, spec, command: commandLine(['check', ...argv]) }, `${cx.property} on ${r.engine}`)) : undefined;
    const index = reports.writeIndex(`lazymm check ${r.engine}`, cx ? 'The counterexample of one lazymm check.' : 'Every property held: no counterexample.');
    htmlLine = page ? `report: ${page} (index: ${index})` : `no counterexample to report (index: ${index})`;
  }
  if (a.switches.has('json')) {
    // Costs of the same workloads, every run played to its end (a second, checker-free pass).
    const { costs } = measureCosts(spec, runs, seed, maxOps, config);
    println(io, JSON.stringify({ ...checkJson(spec, config, seed, maxOps, r, fixture, costs), search }, null, 2));
  } else {
    const knobText = Object.entries(spec.knobs ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(' ');
    const base = options.differentialBase ? [`a violation counts only if ${engineId(options.differentialBase)} replaying the same ops does not share it (differential base)`] : [];
    const summary = [
      `${r.engine}${knobText ? ` (${knobText})` : ''}: ${r.runs} runs, ${r.opsExecuted} ops, ${r.seconds.toFixed(2)} s, seed ${seed}, search ${search}`,
      `properties: ${r.properties.join(', ')}`,
      ...base,
    ];
    if (!cx) println(io, ...summary, `result: pass (every property held)`);
    else {
      println(io, ...summary, `result: FAIL (${cx.property} ${cx.clause} at event ${cx.eventIndex})`, '', ...renderCounterexample(spec, r.engine, cx));
      if (fixture) println(io, '', `recorded: ${fixture}`);
    }
  }
  if (htmlLine) (a.switches.has('json') ? eprintln : println)(io, htmlLine);
  if (recordError) eprintln(io, recordError);
  return r.result === 'pass' ? 0 : 1;
}
