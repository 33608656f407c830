/**
 * The campaign's text output: a results matrix printed row by row as the checks finish (rows:
 * engines, then variants; columns: properties), the notes below it, and the findings section.
 */
import { allProperties } from '../../../properties';
import { listEngines, listVariants } from '../../engine/registry';
import type { Counterexample, EngineSpec } from '../../run/types';
import { knownFinding, type Finding } from '../findings';
import { table } from '../table';
import type { FindingRow } from './findings-section';
import type { Row } from './sections';

const NUMBERS = [['runs', 7], ['ops', 10], ['s', 6]] as const;

/** Column layout of the matrix, fixed before the first row is checked so rows can stream. */
export class MatrixLayout {
  private readonly idWidth: number;
  private readonly kindWidth: number;
  private readonly propWidths: number[];

  constructor() {
    this.idWidth = Math.max(...listEngines().map((e) => e.id.length), ...listVariants().map((v) => v.id.length));
    this.kindWidth = Math.max(...listEngines().map((e) => e.label.length), ...listVariants().map((v) => v.base.length), 'label'.length);
    this.propWidths = allProperties.map((p) => Math.max(p.id.length, 'FAIL@1234'.length));
  }

  private line(id: string, kind: string, cells: string[], numbers: string[]): string {
    const props = cells.map((c, i) => c.padEnd(this.propWidths[i])).join('  ');
    const nums = numbers.map((n, i) => n.padStart(NUMBERS[i][1])).join(' ');
    return `${id.padEnd(this.idWidth)}  ${kind.padEnd(this.kindWidth)}  ${props}  ${nums}`.trimEnd();
  }

  header(first: string, second: string): string[] {
    const h = this.line(first, second, allProperties.map((p) => p.id), NUMBERS.map(([n]) => n));
    return [h, '-'.repeat(h.length)];
  }

  row(r: Row): string {
    const kind = r.kind === 'variant' ? `${r.spec.arch}/${r.spec.strategy}` : r.kind;
    const mark = r.ok ? '' : r.kind === 'variant' ? '  <- NOT CAUGHT' : '  <- FAILED';
    return this.line(r.id, kind, allProperties.map((p) => r.cells[p.id]), [String(r.runs), String(r.opsExecuted), r.seconds.toFixed(1)]) + mark;
  }
}

/** `lazymm check` flags that run `spec`. */
export function checkFlags(spec: EngineSpec): string {
  const engine = spec.variant ? `--variant ${spec.variant}` : `--arch ${spec.arch} --strategy ${spec.strategy}`;
  return [engine, ...Object.entries(spec.knobs ?? {}).map(([k, v]) => `--knob ${k}=${String(v)}`)].join(' ');
}

/** The lines under the matrix: every counterexample and every note, grouped by what they mean. */
export function notes(engines: Row[], variants: Row[], findings: readonly Finding[]): string[] {
  const out: string[] = [];
  const known = (cx: Counterexample) => {
    const f = knownFinding(cx, findings);
    return f ? ` [known open finding ${f.id}, not specific to this design]` : '';
  };
  const cxLines = (r: Row) =>
    r.counterexamples.map((cx) => `  ${r.id}: ${cx.property} ${cx.clause} at event ${cx.eventIndex} (${cx.ops.length} ops)${known(cx)}; lazymm check ${checkFlags(r.spec)} --property ${cx.property}`);
  const design = engines.filter((r) => r.kind === 'counterfactual' && r.counterexamples.length);
  if (design.length) out.push('', 'Counterfactual designs that break a property (findings about the design, not campaign failures):', ...design.flatMap(cxLines));
  const failed = engines.filter((r) => !r.ok);
  if (failed.length) out.push('', 'FAILED: mainline and proposed engines must pass:', ...failed.flatMap(cxLines));
  const vnotes = variants.filter((r) => r.note);
  if (vnotes.length) out.push('', 'Variants:', ...vnotes.map((r) => `  ${r.id}: ${r.note}`));
  const enotes = engines.filter((r) => r.note);
  if (enotes.length) out.push('', 'Engine errors:', ...enotes.map((r) => `  ${r.id}: ${r.note}`));
  return out;
}

export function findingsTable(rows: FindingRow[]): string[] {
  if (rows.length === 0) return ['  (none: src/findings.ts lists no findings)'];
  const search = (r: FindingRow) => (r.searchReproduced ? `reproduced in ${r.runs} runs` : r.search ? `other: ${r.search}` : `not in ${r.runs} runs`);
  const body = rows.map((r) => [
    r.id,
    r.status,
    r.engine,
    `${r.property} ${r.clause}`,
    r.reproduced ? 'reproduced' : 'NOT reproduced',
    search(r),
    r.fixture,
    r.withFix,
  ]);
  return table(body, ['finding', 'status', 'engine', 'violation', 'verdict', 'random search', 'fixture', 'fixture with fix']).map((l) => `  ${l}`);
}
