/**
 * `campaign --html DIR`: a report page for every counterexample of the campaign (engine rows'
 * failures, variants' catches) and for every finding's fixture, and an index page linking them.
 */
import * as path from 'node:path';
import { HtmlReports } from '../html-output';
import type { Finding } from '../findings';
import { fixturePath } from './findings-section';
import { commandLine } from '../../fixtures/provenance';
import { loadAnyFixture } from '../../fixtures/fixture';
import { reportOfCheck, reportOfFixture } from '../../report/sources';
import type { CampaignRows } from './units';

/** Writes the pages and the index; returns the index path and one line per case that has no page. */
export function writeCampaignReports(dir: string, rows: CampaignRows, findings: readonly Finding[], seedNote: string): { index: string; skipped: string[] } {
  const html = new HtmlReports(dir);
  const skipped: string[] = [];
  const attempt = (what: string, fn: () => void) => {
    try {
      fn();
    } catch (err) {
      skipped.push(`${what}: no report (${(err as Error).message.split('\n')[0]})`);
    }
  };
  for (const row of [...rows.engines, ...rows.variants]) {
    for (const cx of row.counterexamples) {
      const name = `${row.kind === 'variant' ? 'variant' : 'engine'} ${row.id} ${cx.property}`;
      const command = commandLine(['check', '--arch', row.spec.arch, '--strategy', row.spec.strategy, ...(row.spec.variant ? ['--variant', row.spec.variant] : []), ...Object.entries(row.spec.knobs ?? {}).flatMap(([k, v]) => ['--knob', `${k}=${String(v)}`]), '--seed', String(cx.seed)]);
      attempt(name, () => html.add(name, row.kind, reportOfCheck({ ...cx, spec: row.spec, command }, `${cx.property} on ${cx.engine}`)));
    }
  }
  for (const f of findings) {
    attempt(`finding ${f.id}`, () => {
      const file = fixturePath(f);
      if (file === undefined) throw new Error(`fixture ${f.fixture} not found`);
      html.add(`finding ${f.id}`, `finding (${f.status})`, reportOfFixture(path.relative(process.cwd(), file) || file, loadAnyFixture(file)));
    });
  }
  const index = html.writeIndex('lazymm campaign: counterexamples', `Every counterexample the campaign found (${seedNote}) and every known finding's fixture, each as a self-contained report.`);
  return { index, skipped };
}
