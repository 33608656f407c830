/**
 * `lazymm compare`: every (arch, strategy) engine on the same generated workloads (one seed, so the
 * same configuration and choice lists for every engine): whether the properties held (or the first
 * counterexample, property@event) and what each design costs, per 1,000 context switches (IPIs per
 * mm teardown). The costs are counted over every run, independently of the verdict.
 */
import { listEngines } from '../../engine/registry';
import { COST_COLUMNS, costValue } from '../../run/costs';
import type { EngineSpec } from '../../run/types';
import type { Arch } from '../../trace/events';
import { DEFAULT_MAX_OPS, deriveSeed, runCheck } from '../../../arbitraries';
import { parseArgs, type FlagSpec } from '../args';
import { measureCosts, normalisedCosts } from '../cost-meter';
import { fixKnobsFor, loadFindings } from '../findings';
import { ARCH_IDS, KNOB_DEFS, parseKnobs } from '../engine-spec';
import { UsageError, parsePositiveInt, parseSeed } from '../errors';
import { println, type CliIo } from '../io';
import { table } from '../table';

export const COMPARE_DEFAULTS = { runs: 500, seed: deriveSeed('lazymm compare') } as const;

export const COMPARE_FLAGS: readonly FlagSpec[] = [
  { name: 'runs', kind: 'value', arg: 'N', help: `random workloads, the same for every engine (default ${COMPARE_DEFAULTS.runs})` },
  { name: 'seed', kind: 'value', arg: 'N', help: `fast-check seed of the workloads (default ${COMPARE_DEFAULTS.seed})` },
  { name: 'max-ops', kind: 'value', arg: 'N', help: `most ops per run (default ${DEFAULT_MAX_OPS})` },
  { name: 'knob', kind: 'list', arg: 'NAME=VALUE', help: 'set a knob on every engine whose arch has it (e.g. hazardScan=mm_cpumask); repeatable' },
  { name: 'with-fixes', kind: 'switch', help: 'turn on the proposed-fix knobs of the open findings (src/findings.ts) on every engine' },
  { name: 'json', kind: 'switch', help: 'print one JSON document instead of the table' },
];

/** `--knob` values, split per arch (each knob must exist on at least one arch). */
function knobsPerArch(given: readonly string[]): Record<Arch, Record<string, string | number | boolean>> {
  const out = Object.fromEntries(ARCH_IDS().map((a) => [a, {}])) as Record<Arch, Record<string, string | number | boolean>>;
  for (const text of given) {
    const name = text.split('=')[0];
    const archs = ARCH_IDS().filter((a) => KNOB_DEFS[a].some((d) => d.name === name));
    if (archs.length === 0) parseKnobs('x86', [text]); // throws the usage error naming the known knobs
    for (const a of archs) Object.assign(out[a], parseKnobs(a, [text]));
  }
  return out;
}

export function compareCommand(argv: readonly string[], io: CliIo): number {
  const a = parseArgs('compare', argv, COMPARE_FLAGS);
  const runs = a.values.has('runs') ? parsePositiveInt('--runs', a.values.get('runs')) : COMPARE_DEFAULTS.runs;
  const seed = a.values.has('seed') ? parseSeed('--seed', a.values.get('seed')) : COMPARE_DEFAULTS.seed;
  const maxOps = a.values.has('max-ops') ? parsePositiveInt('--max-ops', a.values.get('max-ops')) : DEFAULT_MAX_OPS;
  const withFixes = a.switches.has('with-fixes');
  const findings = withFixes ? loadFindings() : [];
  const given = knobsPerArch(a.lists.get('knob') ?? []);
  const knobs = Object.fromEntries(ARCH_IDS().map((arch) => [arch, { ...fixKnobsFor(arch, findings), ...given[arch] }])) as typeof given;
  if (!COST_COLUMNS.length) throw new UsageError('compare: src/run/costs.ts defines no cost columns');

  const rows = listEngines().map((e) => {
    const spec: EngineSpec = { arch: e.arch, strategy: e.strategy, ...(Object.keys(knobs[e.arch]).length ? { knobs: knobs[e.arch] } : {}) };
    const verdict = runCheck({ engine: spec, runs, seed, maxOps });
    const costRun = measureCosts(spec, runs, seed, maxOps);
    const cx = verdict.counterexample;
    return {
      engine: e.id,
      label: e.label,
      knobs: spec.knobs ?? {},
      result: verdict.result,
      firstCounterexample: cx ? { property: cx.property, clause: cx.clause, eventIndex: cx.eventIndex, opCount: cx.ops.length } : null,
      runsToCounterexample: cx ? verdict.runs : null,
      opsExecuted: costRun.opsExecuted,
      costs: costRun.costs,
      seconds: verdict.seconds + costRun.seconds,
    };
  });

  if (a.switches.has('json')) {
    const columns = COST_COLUMNS.map((c) => ({ key: c.key, title: c.title, per: c.perSwitch ? '1000 context switches' : 'mm teardown' }));
    println(io, JSON.stringify({ runs, seed, maxOps, withFixes, columns, engines: rows.map((r) => ({ ...r, normalised: normalisedCosts(r.costs) })) }, null, 2));
    return 0;
  }
  const header = ['engine', 'label', 'properties', 'switches', ...COST_COLUMNS.map((c) => `${c.title}${c.perSwitch ? ' /1k sw' : ''}`)];
  const body = rows.map((r) => [
    r.engine,
    r.label,
    r.firstCounterexample ? `${r.firstCounterexample.property}@${r.firstCounterexample.eventIndex}` : 'ok',
    String(r.costs.contextSwitches),
    ...COST_COLUMNS.map((c) => costValue(r.costs, c.key, c.perSwitch).toFixed(1)),
  ]);
  println(
    io,
    `lazymm compare: ${runs} workloads (seed ${seed}, at most ${maxOps} ops each), the same for every engine`,
    `knobs: mainline defaults${ARCH_IDS().map((arch) => (Object.keys(knobs[arch]).length ? `; ${arch}: ${Object.entries(knobs[arch]).map(([k, v]) => `${k}=${String(v)}`).join(' ')}` : '')).join('')}`,
    '',
    ...table(body, header),
    '',
    ...rows.filter((r) => r.firstCounterexample).map((r) => `  ${r.engine}: first counterexample ${r.firstCounterexample!.property} ${r.firstCounterexample!.clause} at event ${r.firstCounterexample!.eventIndex} (run ${r.runsToCounterexample}, ${r.firstCounterexample!.opCount} ops after shrinking)`),
    '',
    `Costs are counted over all ${runs} workloads (src/run/costs.ts); "/1k sw" columns are per 1,000 context switches, the others per mm teardown.`,
  );
  return 0;
}
