/**
 * `lazymm campaign` (what `npm start` runs): every engine, every variant and every known finding,
 * as a results matrix. Exit 0 iff every mainline/proposed engine passed and every variant was caught.
 * `--shard I/N` runs one N-th of the work (./campaign/units.ts); `lazymm merge` combines the shards.
 */
import { parseArgs, type FlagSpec } from '../args';
import { MatrixLayout } from '../campaign/render';
import { campaignJson, introLines, tailLines, type CampaignTiming } from '../campaign/report';
import type { CampaignSettings } from '../campaign/sections';
import { CAMPAIGN_SHARD_FORMAT, type CampaignShardDoc } from '../campaign/shard-doc';
import { campaignUnits, combineUnits, lastBlock, matrixRow, runUnit, type CampaignUnit, type UnitResult } from '../campaign/units';
import { UsageError, parsePositiveInt, parseSeed } from '../errors';
import { loadFindings, type Finding } from '../findings';
import { eprintln, println, seconds, type CliIo } from '../io';
import { HTML_FLAG, htmlDir } from '../html-output';
import { writeCampaignReports } from '../campaign/html-reports';
import { parseShard, shardOf, type Shard } from '../../run/shard';
import { progressLine, progressWanted } from '../../explore/progress';
import { LONG_RUN_MAX_OPS } from '../../../arbitraries/long-runs';

/** Defaults measured to keep the whole campaign well under 45 s on a 2-core machine (docs/cli.md). */
/** maxOps: the default search's (`weighted2`: runs of 40..160 ops, arbitraries/long-runs.ts). */
export const CAMPAIGN_DEFAULTS = { runs: 1000, searchFactor: 10, maxOps: LONG_RUN_MAX_OPS } as const;

export const CAMPAIGN_FLAGS: readonly FlagSpec[] = [
  { name: 'runs', kind: 'value', arg: 'N', help: `random runs per engine and property (default ${CAMPAIGN_DEFAULTS.runs})` },
  { name: 'search-runs', kind: 'value', arg: 'N', help: `most runs to catch a variant or reproduce a finding (default ${CAMPAIGN_DEFAULTS.searchFactor} x --runs)` },
  { name: 'max-ops', kind: 'value', arg: 'N', help: `most ops per run (default ${CAMPAIGN_DEFAULTS.maxOps})` },
  { name: 'seed', kind: 'value', arg: 'N', help: "one fast-check seed for every check (default: each engine's derived seed)" },
  { name: 'blocks', kind: 'value', arg: 'B', help: 'split every row into B seed blocks, so that --shard can spread one long check over B machines (default 1)' },
  { name: 'shard', kind: 'value', arg: 'I/N', help: 'run only shard I of N (every N-th unit of work from the I-th); combine the --json results with lazymm merge' },
  { name: 'json', kind: 'switch', help: 'print one JSON document (docs/cli.md) instead of the matrix' },
  HTML_FLAG,
];

/** `findings` defaults to src/findings.ts (tests pass their own). */
export function campaignCommand(argv: readonly string[], io: CliIo, findings: readonly Finding[] = loadFindings()): number {
  const a = parseArgs('campaign', argv, CAMPAIGN_FLAGS);
  const runs = a.values.has('runs') ? parsePositiveInt('--runs', a.values.get('runs')) : CAMPAIGN_DEFAULTS.runs;
  const settings: CampaignSettings = {
    runs,
    searchRuns: a.values.has('search-runs') ? parsePositiveInt('--search-runs', a.values.get('search-runs')) : runs * CAMPAIGN_DEFAULTS.searchFactor,
    maxOps: a.values.has('max-ops') ? parsePositiveInt('--max-ops', a.values.get('max-ops')) : CAMPAIGN_DEFAULTS.maxOps,
    ...(a.values.has('seed') ? { seed: parseSeed('--seed', a.values.get('seed')) } : {}),
  };
  const blocks = a.values.has('blocks') ? parsePositiveInt('--blocks', a.values.get('blocks')) : 1;
  if (blocks > settings.runs) throw new UsageError(`--blocks: expected at most --runs (${settings.runs}) blocks, got ${blocks}`);
  const shard = a.values.has('shard') ? parseShardFlag(a.values.get('shard')) : undefined;
  const json = a.switches.has('json');
  const html = htmlDir(a.values);
  const all = campaignUnits(findings, blocks);
  const mine = shard ? shardOf(all, shard) : all;

  const progress = progressLine(io.err, io.progress ?? progressWanted(json));
  const text = (...lines: string[]) => {
    if (json) return;
    progress.done();
    println(io, ...lines);
  };
  const layout = new MatrixLayout();
  const headers: Record<CampaignUnit['section'], string[]> = {
    engine: ['', ...layout.header('engine', 'label')],
    variant: ['', ...layout.header('variant (must be caught)', 'base')],
    finding: [],
  };
  text(...introLines(settings, blocks, findings), ...(shard ? [`shard ${shard.index}/${shard.count}: ${mine.length} of ${all.length} units of work`] : []));

  const t0 = seconds(io);
  const sectionSeconds = { engine: 0, variant: 0, finding: 0 };
  const results: UnitResult[] = [];
  let printed: CampaignUnit['section'] | undefined;
  for (const unit of mine) {
    if (unit.section !== printed && headers[unit.section].length) text(...headers[unit.section]);
    printed = unit.section;
    const start = seconds(io);
    const done = runUnit(unit, settings, blocks, findings);
    sectionSeconds[unit.section] += seconds(io) - start;
    results.push(done);
    if (done.result.section !== 'finding' && (shard || lastBlock(unit, blocks))) {
      const row = shard ? done.result.row : matrixRow(results.filter((r) => r.section === unit.section && r.id === unit.id));
      text(layout.row({ ...row, id: blocks > 1 && shard ? `${row.id}#${unit.block}` : row.id }));
    }
    const elapsed = seconds(io) - t0;
    const left = (elapsed / results.length) * (mine.length - results.length);
    progress.update(`campaign: ${results.length}/${mine.length} units (${unit.section} ${unit.id}), ${(results.length / Math.max(elapsed, 1e-9)).toFixed(2)} units/s, ${left.toFixed(0)} s left`);
  }
  progress.done();
  const timing: CampaignTiming = { engines: sectionSeconds.engine, variants: sectionSeconds.variant, findings: sectionSeconds.finding, total: seconds(io) - t0 };

  const rows = combineUnits(results);
  let htmlLine: string | undefined;
  if (html !== undefined) {
    const seedNote = settings.seed !== undefined ? `seed ${settings.seed}` : "each engine's derived seed";
    const { index, skipped } = writeCampaignReports(html, rows, shard ? findings.filter((f) => rows.findings.some((r) => r.id === f.id)) : findings, seedNote);
    eprintln(io, ...skipped.map((l) => `lazymm: ${l}`));
    htmlLine = `HTML reports: ${index}`;
  }
  if (shard) {
    if (htmlLine) eprintln(io, htmlLine);
    return shardOutput(io, json, { format: CAMPAIGN_SHARD_FORMAT, shard, blocks, settings, findings: findings.map((f) => f.id), totalUnits: all.length, units: results });
  }
  if (json) println(io, JSON.stringify(campaignJson(settings, blocks, rows, timing), null, 2));
  else text(...tailLines(rows, findings, timing));
  if (htmlLine) (json ? eprintln : println)(io, htmlLine);
  return rows.engines.every((r) => r.ok) && rows.variants.every((r) => r.ok) ? 0 : 1;
}

function parseShardFlag(value: string | undefined): Shard {
  try {
    return parseShard(value ?? '');
  } catch (err) {
    throw new UsageError(`--shard: ${(err as Error).message}`);
  }
}

/**
 * A shard prints its rows (text) or its document (--json, for lazymm merge). Its exit status is 1
 * when one of its engines failed, or (one block per row) one of its variants was not caught: a
 * variant missed in one seed block may be caught in another, so with blocks only merge can tell.
 */
function shardOutput(io: CliIo, json: boolean, doc: CampaignShardDoc): number {
  const rows = doc.units.flatMap((u) => (u.result.section === 'finding' ? [] : [u.result]));
  const failed = rows.some((r) => (r.section === 'engine' || doc.blocks === 1) && !r.row.ok);
  if (json) println(io, JSON.stringify(doc, null, 2));
  else println(io, '', `shard ${doc.shard.index}/${doc.shard.count} done: ${failed ? 'FAIL' : 'no failure in this shard'}; combine the shards' --json output with: lazymm merge FILE...`);
  return failed ? 1 : 0;
}
