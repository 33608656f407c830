/**
 * The campaign as a list of units of work, so that it can be split over machines
 * (`campaign --shard I/N`, then `lazymm merge`): one unit per (row, seed block), rows in matrix
 * order (engines, variants, findings). Shard I of N runs every N-th unit from the I-th
 * (src/run/shard.ts shardOf); whichever shard runs a unit, it runs it with the same seed and
 * the same number of runs, so merging the shards gives the unsharded campaign's rows.
 *
 * With one block (the default) a unit is a whole row, run exactly as before sharding existed (the
 * engine's derived seed, or --seed). With B blocks, a row's runs are split into B blocks, block b
 * seeded with deriveSeed(`<seed>#<b>`) where <seed> is --seed or deriveSeed(`campaign:<row id>`):
 * one long check spread over B machines.
 */
import { deriveSeed } from '../../../arbitraries/seed';
import { listEngines, listVariants } from '../../engine/registry';
import type { Finding } from '../findings';
import { combineFindingBlocks, findingRow, type FindingRow } from './findings-section';
import { combineBlocks, engineRow, variantRow, type CampaignSettings, type Row } from './sections';

export type Section = 'engine' | 'variant' | 'finding';

export interface CampaignUnit {
  /** Position in the unsharded campaign. */
  unit: number;
  section: Section;
  /** Row id: the engine, variant or finding id. */
  id: string;
  block: number;
}

export type UnitRow = { section: 'engine' | 'variant'; row: Row } | { section: 'finding'; row: FindingRow };

export interface UnitResult extends CampaignUnit {
  result: UnitRow;
}

/** Every unit of the campaign, in matrix order. */
export function campaignUnits(findings: readonly Finding[], blocks: number): CampaignUnit[] {
  const rows: [Section, string][] = [
    ...listEngines().map((e): [Section, string] => ['engine', e.id]),
    ...listVariants().map((v): [Section, string] => ['variant', v.id]),
    ...findings.map((f): [Section, string] => ['finding', f.id]),
  ];
  return rows.flatMap(([section, id], r) => Array.from({ length: blocks }, (_, block) => ({ unit: r * blocks + block, section, id, block })));
}

/** Block `block` of `blocks` of n runs: n / blocks, the first n % blocks blocks one more. */
const blockRuns = (n: number, block: number, blocks: number): number => Math.floor(n / blocks) + (block < n % blocks ? 1 : 0);

/** The settings one block of a row runs with. */
export function blockSettings(s: CampaignSettings, blocks: number, unit: CampaignUnit): CampaignSettings {
  if (blocks === 1) return s;
  const base = s.seed ?? deriveSeed(`campaign:${unit.id}`);
  return {
    runs: blockRuns(s.runs, unit.block, blocks),
    searchRuns: blockRuns(s.searchRuns, unit.block, blocks),
    maxOps: s.maxOps,
    seed: deriveSeed(`${base}#${unit.block}`),
  };
}

export function runUnit(unit: CampaignUnit, s: CampaignSettings, blocks: number, findings: readonly Finding[]): UnitResult {
  const bs = blockSettings(s, blocks, unit);
  const result: UnitRow =
    unit.section === 'engine'
      ? { section: 'engine', row: engineRow(listEngines().find((e) => e.id === unit.id)!, bs, findings) }
      : unit.section === 'variant'
        ? { section: 'variant', row: variantRow(listVariants().find((v) => v.id === unit.id)!, bs) }
        : { section: 'finding', row: findingRow(findings.find((f) => f.id === unit.id)!, bs) };
  return { ...unit, result };
}

export interface CampaignRows {
  engines: Row[];
  variants: Row[];
  findings: FindingRow[];
}

/**
 * The rows of the campaign from the results of all its units (in any order): the blocks of each
 * row combined, rows in matrix order.
 */
export function combineUnits(results: readonly UnitResult[]): CampaignRows {
  const sorted = [...results].sort((a, b) => a.unit - b.unit);
  const byRow = new Map<string, UnitResult[]>();
  for (const r of sorted) {
    const key = `${r.section}:${r.id}`;
    byRow.set(key, [...(byRow.get(key) ?? []), r]);
  }
  const out: CampaignRows = { engines: [], variants: [], findings: [] };
  for (const group of byRow.values()) {
    const section = group[0].section;
    if (section === 'finding') out.findings.push(combineFindingBlocks(group.map((g) => g.result.row as FindingRow)));
    else (section === 'engine' ? out.engines : out.variants).push(combineBlocks(group.map((g) => g.result.row as Row)));
  }
  return out;
}

/** The matrix row (engine or variant) of one row's units. */
export function matrixRow(group: readonly UnitResult[]): Row {
  const rows = combineUnits(group);
  return [...rows.engines, ...rows.variants][0];
}

/** Whether the unit is the last block of its row (its row can be printed). */
export const lastBlock = (unit: CampaignUnit, blocks: number): boolean => unit.block === blocks - 1;
