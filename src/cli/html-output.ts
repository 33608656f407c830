/**
 * `--html DIR` on check, replay, campaign and check-trace: where the report pages go. The flag, and
 * a writer that names files uniquely within the directory and writes an index page of them.
 */
import * as path from 'node:path';
import type { FlagSpec } from './args';
import { UsageError } from './errors';
import { renderReportHtml } from '../report/html';
import { renderIndexHtml, type IndexEntry } from '../report/index-page';
import type { ReportData } from '../report/types';
import { FileNames, writeReportFile } from '../report/write';

export const HTML_FLAG: FlagSpec = { name: 'html', kind: 'value', arg: 'DIR', help: 'also write each counterexample as a self-contained HTML report in DIR, with an index.html (docs/cli.md)' };

/** The --html directory, or undefined when the flag is absent. */
export function htmlDir(values: Map<string, string | undefined>): string | undefined {
  if (!values.has('html')) return undefined;
  const dir = values.get('html');
  if (!dir) throw new UsageError('--html: expected a directory, got nothing');
  return dir;
}

/** The one-line verdict of a report, for the index. */
export function indexVerdict(d: ReportData): string {
  const v = d.main.violation;
  return v ? `${v.property} ${v.clause} at event ${v.event}` : 'no violation';
}

/** Writes report pages into one directory and, at the end, its index. */
export class HtmlReports {
  private readonly names = new FileNames();
  private readonly entries: IndexEntry[] = [];

  constructor(readonly dir: string) {
    this.names.take('index');
  }

  /** Writes the page of `d` as `<name>.html`; returns its path. */
  add(name: string, kind: string, d: ReportData): string {
    const file = this.names.take(name);
    writeReportFile(path.join(this.dir, file), renderReportHtml(d));
    const size = d.kind === 'ops' ? `${d.main.steps.length - 1} ops` : `${d.window?.total ?? d.main.steps.length} events`;
    this.entries.push({ href: file, name, kind, verdict: indexVerdict(d), size });
    return path.join(this.dir, file);
  }

  /** Writes `index.html` linking every page added; returns its path. */
  writeIndex(title: string, intro: string): string {
    return writeReportFile(path.join(this.dir, 'index.html'), renderIndexHtml(title, intro, this.entries));
  }

  get count(): number {
    return this.entries.length;
  }
}
