/**
 * `lazymm campaign` (what `npm start` runs): every engine, every variant and every known finding,
 * as a results matrix. Exit 0 iff every mainline/proposed engine passed and every variant was caught.
 */
import { parseArgs, type FlagSpec } from '../args';
import { findingRow, type FindingRow } from '../campaign/findings-section';
import { MatrixLayout, findingsTable, notes } from '../campaign/render';
import { engineRows, variantRows, type CampaignSettings, type Row } from '../campaign/sections';
import { parsePositiveInt, parseSeed } from '../errors';
import { fixKnobsFor, loadFindings, type Finding } from '../findings';
import { println, seconds, type CliIo } from '../io';
import { ARCH_IDS } from '../engine-spec';

/** Defaults measured to keep the whole campaign well under 45 s on a 2-core machine (docs/cli.md). */
export const CAMPAIGN_DEFAULTS = { runs: 1000, searchFactor: 10, maxOps: 120 } as const;

export const CAMPAIGN_FLAGS: readonly FlagSpec[] = [
  { name: 'runs', kind: 'value', arg: 'N', help: `random runs per engine and property (default ${CAMPAIGN_DEFAULTS.runs})` },
  { name: 'search-runs', kind: 'value', arg: 'N', help: `most runs to catch a variant or reproduce a finding (default ${CAMPAIGN_DEFAULTS.searchFactor} x --runs)` },
  { name: 'max-ops', kind: 'value', arg: 'N', help: `most ops per run (default ${CAMPAIGN_DEFAULTS.maxOps})` },
  { name: 'seed', kind: 'value', arg: 'N', help: "one fast-check seed for every check (default: each engine's derived seed)" },
  { name: 'json', kind: 'switch', help: 'print one JSON document (docs/cli.md) instead of the matrix' },
];

/** `findings` defaults to src/findings.ts (tests pass their own). */
export function campaignCommand(argv: readonly string[], io: CliIo, findings: readonly Finding[] = loadFindings()): number {
  const a = parseArgs('campaign', argv, CAMPAIGN_FLAGS);
  const runs = a.values.has('runs') ? parsePositiveInt('--runs', a.values.get('runs')) : CAMPAIGN_DEFAULTS.runs;
  const settings: CampaignSettings = {
    runs,
    searchRuns: a.values.has('search-runs') ? parsePositiveInt('--search-runs', a.values.get('search-runs')) : runs * CAMPAIGN_DEFAULTS.searchFactor,
    maxOps: a.values.has('max-ops') ? parsePositiveInt('--max-ops', a.values.get('max-ops')) : CAMPAIGN_DEFAULTS.maxOps,
    seed: a.values.has('seed') ? parseSeed('--seed', a.values.get('seed')) : undefined,
  };
  const json = a.switches.has('json');
  const text = (...lines: string[]) => (json ? undefined : println(io, ...lines));
  const layout = new MatrixLayout();
  const t0 = seconds(io);

  const fixes = ARCH_IDS().map((arch) => [arch, Object.entries(fixKnobsFor(arch, findings)).map(([k, v]) => `${k}=${String(v)}`).join(' ')]);
  text(
    `lazymm campaign: ${settings.runs} runs per engine, up to ${settings.searchRuns} per variant or finding, at most ${settings.maxOps} ops per run, ` +
      `${settings.seed === undefined ? 'seeds derived from the engine ids' : `seed ${settings.seed}`}`,
    `mainline and proposed engines run with the proposed fixes of the open findings: ${fixes.map(([arch, k]) => `${arch}: ${k || 'none'}`).join('; ')}`,
    '',
    ...layout.header('engine', 'label'),
  );
  const engines = engineRows(settings, findings, (r) => text(layout.row(r)));
  const t1 = seconds(io);
  text('', ...layout.header('variant (must be caught)', 'base'));
  const variants = variantRows(settings, (r) => text(layout.row(r)));
  const t2 = seconds(io);
  text('', "ok held; FAIL@n first violated at event n; caught: the variant's bug was found; - does not apply; . not checked (a variant is checked on the property it must break)");
  text(...notes(engines, variants, findings), '', 'KNOWN OPEN UPSTREAM (expected to fail; mainline without the fix)');
  const found: FindingRow[] = findings.map((f) => findingRow(f, settings));
  text(...findingsTable(found));
  const t3 = seconds(io);

  const failedEngines = engines.filter((r) => !r.ok).map((r) => r.id);
  const missed = variants.filter((r) => !r.ok).map((r) => r.id);
  const pass = failedEngines.length === 0 && missed.length === 0;
  const all = [...engines, ...variants];
  const total = { runs: sum(all, 'runs') + sum(found, 'runs'), opsExecuted: sum(all, 'opsExecuted') + sum(found, 'opsExecuted') };
  const timing = { engines: t1 - t0, variants: t2 - t1, findings: t3 - t2, total: t3 - t0 };

  if (json) {
    println(io, JSON.stringify({ settings, result: pass ? 'pass' : 'fail', failedEngines, missedVariants: missed, engines: engines.map(rowJson), variants: variants.map(rowJson), findings: found, ...total, seconds: timing }, null, 2));
  } else {
    text(
      '',
      `${total.runs} runs, ${total.opsExecuted} ops; engines ${timing.engines.toFixed(1)} s, variants ${timing.variants.toFixed(1)} s, findings ${timing.findings.toFixed(1)} s; total ${timing.total.toFixed(1)} s`,
      pass
        ? 'campaign: PASS (every mainline and proposed engine held every property; every variant was caught)'
        : `campaign: FAIL (${[failedEngines.length ? `failed: ${failedEngines.join(', ')}` : '', missed.length ? `not caught: ${missed.join(', ')}` : ''].filter(Boolean).join('; ')})`,
    );
  }
  return pass ? 0 : 1;
}

const sum = <T>(rows: readonly T[], key: keyof T): number => rows.reduce((n, r) => n + Number(r[key]), 0);

function rowJson(r: Row) {
  return {
    id: r.id,
    kind: r.kind,
    engine: r.spec,
    cells: r.cells,
    ok: r.ok,
    runs: r.runs,
    opsExecuted: r.opsExecuted,
    seconds: r.seconds,
    ...(r.note ? { note: r.note } : {}),
    counterexamples: r.counterexamples.map((cx) => ({ engine: cx.engine, property: cx.property, clause: cx.clause, eventIndex: cx.eventIndex, message: cx.message, opCount: cx.ops.length, ops: cx.ops, config: cx.config, seed: cx.seed, path: cx.path })),
  };
}
