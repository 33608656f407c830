/**
 * The three sections of the default campaign, each a list of rows:
 *   engines   every (arch, strategy) engine; mainline and proposed ones with the proposed-fix knobs of
 *             the open-upstream findings (they must pass), counterfactual ones as they are (their
 *             failures are findings about the design);
 *   variants  every named buggy variant, checked as arbitraries/variant-check.ts defines (fix knobs
 *             that cannot mask it, its own property, the differential base): each must be caught;
 * (the third, the known findings, is ./findings-section.ts).
 */
import { listVariants } from '../../engine/registry';
import type { EngineListing, VariantListing } from '../../engine/build';
import type { CheckResult, Counterexample, EngineSpec } from '../../run/types';
import { allProperties } from '../../../properties';
import { runCheck } from '../../../arbitraries';
import { applicableProperties } from '../engine-spec';
import { variantById } from '../../engine/variants';
import { isExpectedBreak, variantCheckOptions } from '../../../arbitraries/variant-check';
import { fixKnobsFor, type Finding } from '../findings';

export interface CampaignSettings {
  runs: number;
  /** Runs for a variant or a finding (they stop at the first counterexample). */
  searchRuns: number;
  maxOps: number;
  /** One seed for every check; undefined: each engine's derived seed. */
  seed?: number;
}

/** A matrix cell: 'ok', 'FAIL@<event>', 'caught', 'ERROR' (the engine threw), '-' (not applicable), '.' (not checked). */
export type Cell = string;

export interface Row {
  id: string;
  kind: 'mainline' | 'counterfactual' | 'proposed' | 'variant';
  spec: EngineSpec;
  cells: Record<string, Cell>;
  counterexamples: (Counterexample & { engine: string })[];
  runs: number;
  opsExecuted: number;
  seconds: number;
  /** Mainline/proposed: passed. Counterfactual: always true. Variant: caught. */
  ok: boolean;
  note?: string;
  /** Variant rows: the properties its check ran on (the one it must break). */
  checked?: string[];
}

const nonEmpty = (k: Record<string, boolean>) => (Object.keys(k).length ? { knobs: k } : {});

function emptyRow(id: string, kind: Row['kind'], spec: EngineSpec): Row {
  const applicable = new Set(applicableProperties(spec).map((p) => p.id));
  const cells = Object.fromEntries(allProperties.map((p) => [p.id, applicable.has(p.id) ? '.' : '-']));
  return { id, kind, spec, cells, counterexamples: [], runs: 0, opsExecuted: 0, seconds: 0, ok: true };
}

function add(row: Row, r: CheckResult): void {
  row.runs += r.runs;
  row.opsExecuted += r.opsExecuted;
  row.seconds += r.seconds;
  if (r.counterexample) row.counterexamples.push({ ...r.counterexample, engine: r.engine });
}

/**
 * Checks every applicable property of `spec`: after a counterexample, checks the remaining ones
 * again, so that each property gets its own verdict ('ok' or 'FAIL@<event>').
 */
function checkEveryProperty(row: Row, s: CampaignSettings): void {
  let remaining = Object.keys(row.cells).filter((p) => row.cells[p] !== '-');
  while (remaining.length > 0) {
    const r = runCheck({ engine: row.spec, properties: remaining, runs: s.runs, maxOps: s.maxOps, seed: s.seed });
    add(row, r);
    const cx = r.counterexample;
    if (!cx) {
      for (const p of remaining) row.cells[p] = 'ok';
      return;
    }
    if (!remaining.includes(cx.property)) {
      // The engine itself threw (engine-contract): no property verdict can be trusted after it.
      row.note = `${cx.property}: ${cx.message}`;
      for (const p of remaining) row.cells[p] = 'ERROR';
      return;
    }
    row.cells[cx.property] = `FAIL@${cx.eventIndex}`;
    remaining = remaining.filter((p) => p !== cx.property);
  }
}

/** The row of one (arch, strategy) engine (one seed block of it, when the campaign is split in blocks). */
export function engineRow(e: EngineListing, s: CampaignSettings, findings: readonly Finding[]): Row {
  const fix = e.label === 'counterfactual' ? {} : fixKnobsFor(e.arch, findings);
  const row = emptyRow(e.id, e.label, { arch: e.arch, strategy: e.strategy, ...nonEmpty(fix) });
  checkEveryProperty(row, s);
  if (e.label !== 'counterfactual') row.ok = row.counterexamples.length === 0;
  return row;
}

/**
 * One variant as arbitraries/variant-check.ts checks it: the fix knobs of the open findings except
 * those that would mask the variant's bug, only the property it must break, and the differential
 * criterion (a violation counts only if the base engine replaying the same ops does not share it).
 */
export function variantRow(listing: VariantListing, s: CampaignSettings): Row {
  const v = variantById(listing.id)!;
  const options = variantCheckOptions(v.id, { runs: s.searchRuns, maxOps: s.maxOps, ...(s.seed !== undefined ? { seed: s.seed } : {}) });
  const row = emptyRow(v.id, 'variant', options.engine);
  const r = runCheck(options);
  add(row, r);
  row.checked = r.properties;
  const cx = r.counterexample;
  row.ok = cx !== undefined && cx.property in row.cells;
  if (!cx) row.note = notCaught(listing, r.runs, r.properties);
  else if (!(cx.property in row.cells)) row.note = `${cx.property}: ${cx.message}`; // the engine threw: not a catch
  else {
    row.cells[cx.property] = 'caught';
    if (!isExpectedBreak(v, cx.property, cx.clause)) row.note = `caught by ${cx.property} ${cx.clause}, but it is expected to break: ${v.breaks}`;
  }
  return row;
}

const notCaught = (v: VariantListing, runs: number, checked: readonly string[]): string =>
  `not caught in ${runs} runs (checked: ${checked.join(', ')}; expected: ${v.breaks})`;

/**
 * The row of a check split into seed blocks (campaign --blocks): numbers add up; a property cell
 * is the first block's FAIL or ERROR, else 'ok'; a variant is caught when a block caught it, and
 * shows the first such block. One block gives that block's row unchanged.
 */
export function combineBlocks(blocks: readonly Row[]): Row {
  if (blocks.length === 1) return blocks[0];
  const [first] = blocks;
  const row: Row = { ...emptyRow(first.id, first.kind, first.spec), cells: { ...first.cells } };
  for (const b of blocks) {
    row.runs += b.runs;
    row.opsExecuted += b.opsExecuted;
    row.seconds += b.seconds;
  }
  if (first.kind === 'variant') {
    const caught = blocks.find((b) => b.ok);
    const shown = caught ?? first;
    Object.assign(row, { cells: { ...shown.cells }, counterexamples: [...shown.counterexamples], ok: caught !== undefined, checked: first.checked });
    const listing = listVariants().find((v) => v.id === first.id)!;
    if (caught) {
      if (caught.note !== undefined) row.note = caught.note;
    } else {
      const thrown = blocks.find((b) => b.counterexamples.length > 0);
      row.note = thrown ? thrown.note : notCaught(listing, row.runs, first.checked ?? []);
    }
    return row;
  }
  for (const p of Object.keys(row.cells)) {
    const bad = blocks.find((b) => b.cells[p] !== 'ok' && b.cells[p] !== '-' && b.cells[p] !== '.');
    row.cells[p] = bad ? bad.cells[p] : first.cells[p];
  }
  for (const b of blocks) {
    for (const cx of b.counterexamples) if (!row.counterexamples.some((c) => c.property === cx.property)) row.counterexamples.push(cx);
  }
  const noted = blocks.find((b) => b.note !== undefined);
  if (noted) row.note = noted.note;
  row.ok = first.kind === 'counterfactual' || blocks.every((b) => b.ok);
  return row;
}
