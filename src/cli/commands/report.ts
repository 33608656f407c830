/**
 * `lazymm report FIXTURE|RESULT.json [-o report.html]`: one self-contained HTML page of a
 * counterexample (src/report): swimlanes, the state at every step, the violation, the base run of a
 * variant, the text timeline and the replay command. Exit 0 written, 2 bad input (nothing written).
 */
import * as path from 'node:path';
import { parseArgs, type FlagSpec } from '../args';
import { UsageError } from '../errors';
import { println, type CliIo } from '../io';
import { renderReportHtml } from '../../report/html';
import { ReportInputError, reportOfFile } from '../../report/sources';
import { reportFileName, writeReportFile } from '../../report/write';

export const REPORT_FLAGS: readonly FlagSpec[] = [
  { name: 'output', kind: 'value', arg: 'FILE', help: 'where to write the page (also -o; default: the input file name with .html, in the current directory)' },
];

export function reportCommand(argv: readonly string[], io: CliIo): number {
  const a = parseArgs('report', argv.map((x) => (x === '-o' ? '--output' : x)), REPORT_FLAGS, true);
  if (a.positionals.length !== 1) throw new UsageError(`report: expected one fixture or 'lazymm check --json' result file, got ${a.positionals.length} (e.g. lazymm report fixtures/variants/no-lazy-mmgrab.json -o report.html)`);
  const [input] = a.positionals;
  const out = a.values.has('output') ? a.values.get('output') : reportFileName(path.basename(input, path.extname(input)));
  if (!out) throw new UsageError('--output: expected a file name, got nothing');
  let data;
  try {
    data = reportOfFile(input);
  } catch (err) {
    if (err instanceof ReportInputError) throw new UsageError(err.message);
    throw err;
  }
  writeReportFile(out, renderReportHtml(data));
  const v = data.main.violation;
  println(io, `wrote ${out}: ${data.main.steps.length - 1} ${data.kind === 'ops' ? 'ops' : 'events'}${v ? `, ${v.property} ${v.clause} at step ${v.step}` : ', no violation'}${data.base ? `, base ${data.base.engine} (${data.base.divergenceNote})` : ''}`);
  return 0;
}
