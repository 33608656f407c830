/**
 * The campaign's verdict and its report (text tail and --json document), shared by `campaign`
 * (which streams the matrix rows as they finish) and `merge` (which prints them from shard results).
 */
import { ARCH_IDS } from '../engine-spec';
import { fixKnobsFor, type Finding } from '../findings';
import { findingsTable, notes } from './render';
import type { CampaignSettings, Row } from './sections';
import type { CampaignRows } from './units';

export interface CampaignTiming {
  engines: number;
  variants: number;
  findings: number;
  total: number;
}

export interface CampaignVerdict {
  pass: boolean;
  failedEngines: string[];
  missedVariants: string[];
}

export function verdict(rows: CampaignRows): CampaignVerdict {
  const failedEngines = rows.engines.filter((r) => !r.ok).map((r) => r.id);
  const missedVariants = rows.variants.filter((r) => !r.ok).map((r) => r.id);
  return { pass: failedEngines.length === 0 && missedVariants.length === 0, failedEngines, missedVariants };
}

function totals(rows: CampaignRows): { runs: number; opsExecuted: number } {
  const all = [...rows.engines, ...rows.variants, ...rows.findings];
  return { runs: all.reduce((n, r) => n + r.runs, 0), opsExecuted: all.reduce((n, r) => n + r.opsExecuted, 0) };
}

/** The lines above the matrix. */
export function introLines(s: CampaignSettings, blocks: number, findings: readonly Finding[]): string[] {
  const fixes = ARCH_IDS().map((arch) => [arch, Object.entries(fixKnobsFor(arch, findings)).map(([k, v]) => `${k}=${String(v)}`).join(' ')]);
  return [
    `lazymm campaign: ${s.runs} runs per engine, up to ${s.searchRuns} per variant or finding, at most ${s.maxOps} ops per run, ` +
      `${s.seed === undefined ? 'seeds derived from the engine ids' : `seed ${s.seed}`}${blocks > 1 ? `, each row split in ${blocks} seed blocks` : ''}`,
    `mainline and proposed engines run with the proposed fixes of the open findings: ${fixes.map(([arch, k]) => `${arch}: ${k || 'none'}`).join('; ')}`,
  ];
}

export const LEGEND =
  "ok held; FAIL@n first violated at event n; caught: the variant's bug was found; - does not apply; . not checked (a variant is checked on the property it must break)";

/** Notes, the findings section, totals and the verdict line: everything below the two matrices. */
export function tailLines(rows: CampaignRows, findings: readonly Finding[], timing: CampaignTiming): string[] {
  const v = verdict(rows);
  const t = totals(rows);
  const failures = [v.failedEngines.length ? `failed: ${v.failedEngines.join(', ')}` : '', v.missedVariants.length ? `not caught: ${v.missedVariants.join(', ')}` : ''];
  return [
    '',
    LEGEND,
    ...notes(rows.engines, rows.variants, findings),
    '',
    'KNOWN OPEN UPSTREAM (expected to fail; mainline without the fix)',
    ...findingsTable(rows.findings),
    '',
    `${t.runs} runs, ${t.opsExecuted} ops; engines ${timing.engines.toFixed(1)} s, variants ${timing.variants.toFixed(1)} s, findings ${timing.findings.toFixed(1)} s; total ${timing.total.toFixed(1)} s`,
    v.pass
      ? 'campaign: PASS (every mainline and proposed engine held every property; every variant was caught)'
      : `campaign: FAIL (${failures.filter(Boolean).join('; ')})`,
  ];
}

/** The `campaign --json` (and `merge --json`) document. */
export function campaignJson(s: CampaignSettings, blocks: number, rows: CampaignRows, timing: CampaignTiming): Record<string, unknown> {
  const v = verdict(rows);
  return {
    settings: s,
    blocks,
    result: v.pass ? 'pass' : 'fail',
    failedEngines: v.failedEngines,
    missedVariants: v.missedVariants,
    engines: rows.engines.map(rowJson),
    variants: rows.variants.map(rowJson),
    findings: rows.findings,
    ...totals(rows),
    seconds: timing,
  };
}

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
