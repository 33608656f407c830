/**
 * `lazymm check-trace FILE... [--property P]... [--json]`: check traces written by any engine or
 * tracer (JSON or JSON Lines, docs/trace-format.md) against lazymm's properties.
 *
 * Every event is validated (schema, ordering, CPU range) and fed to the properties as it is read,
 * so a JSON Lines trace of any length is checked in bounded memory. Each property gets a verdict:
 * hold, violated (with the timeline around the violation), insufficient (the trace lacks events the
 * property needs, docs/engine-contract.md) or n/a (it does not apply to the trace's arch).
 *
 * Exit status: 0 every verdict is hold (or n/a); 1 a property is violated; 2 unusable input: a bad
 * command line, a file that is not a valid trace (the message names the file, the line or JSON
 * path, and what was expected), or, when nothing is violated, a verdict that is insufficient.
 */
import { allProperties, propertyById, type Property } from '../../properties';
import { parseArgs, type FlagSpec } from '../cli/args';
import { describeCliError, UsageError, USAGE_EXIT } from '../cli/errors';
import { eprintln, println, type CliIo } from '../cli/io';
import { checkTraceItems, type TraceReport } from './check-source';
import { formatProblem } from './problems';
import * as fs from 'node:fs';
import { HTML_FLAG, htmlDir } from '../cli/html-output';
import { writeTraceReports } from './html-reports';
import { openTraceFile, type TraceFileSource } from './read-trace';
import { openTraceStream } from './read-stream';
import { toJson } from './report-json';
import { summaryLines, timelineSections } from './report-text';

/** The flags of `lazymm check-trace` (for the CLI's usage text). */
export const CHECK_TRACE_FLAGS: readonly FlagSpec[] = [
  { name: 'property', kind: 'list', arg: 'P', help: `check only property P (repeatable; default: every property): ${allProperties.map((p) => p.id).join(', ')}` },
  { name: 'json', kind: 'switch', help: 'print one JSON document (lazymm-check-trace/1) instead of text' },
  HTML_FLAG,
];

/** Synopsis and summary for the CLI's command table. */
export const CHECK_TRACE_USAGE = {
  synopsis: 'check-trace FILE... [flags]',
  summary: 'check external traces (JSON or JSON Lines) against the properties (exit 0 hold, 1 violated, 2 unusable)',
};

function selectProperties(ids: readonly string[] | undefined): Property[] {
  if (ids === undefined) return [...allProperties];
  return ids.map((id) => {
    const p = propertyById(id);
    if (!p) throw new UsageError(`--property: expected one of ${allProperties.map((x) => x.id).join(', ')}, got ${JSON.stringify(id)}`);
    return p;
  });
}

/** The exit status of a set of reports (see the file comment). */
export function exitStatus(reports: readonly TraceReport[]): number {
  if (reports.some((r) => r.problems.length > 0)) return USAGE_EXIT;
  const verdicts = reports.flatMap((r) => r.verdicts.map((v) => v.verdict));
  if (verdicts.includes('violated')) return 1;
  if (verdicts.includes('insufficient')) return USAGE_EXIT;
  return 0;
}

/** Checks each file in turn; returns the reports. */
export async function checkTraceFiles(files: readonly string[], properties: readonly Property[], stdin: NodeJS.ReadableStream = process.stdin): Promise<TraceReport[]> {
  const reports: TraceReport[] = [];
  for (const file of files) {
    const source = await openTraceInput(file, stdin);
    reports.push(await checkTraceItems(source.file, source.format, source.items, { properties }));
  }
  return reports;
}

/** `-` is standard input; a FIFO or a character device is read as a stream; anything else as a file. */
async function openTraceInput(file: string, stdin: NodeJS.ReadableStream): Promise<TraceFileSource> {
  if (file === '-') return openTraceStream('<stdin>', stdin);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(file);
  } catch {
    stat = undefined; // openTraceFile says why
  }
  if (stat !== undefined && (stat.isFIFO() || stat.isCharacterDevice() || stat.isSocket())) return openTraceStream(file, fs.createReadStream(file));
  return openTraceFile(file);
}

/** Runs `lazymm check-trace` with `argv` (the arguments after the command name); resolves to the exit status. */
export async function checkTraceCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let files: string[];
  let properties: Property[];
  let json: boolean;
  let html: string | undefined;
  try {
    const a = parseArgs('check-trace', argv, CHECK_TRACE_FLAGS, true);
    if (a.positionals.length === 0) throw new UsageError('check-trace: expected at least one trace file (JSON or JSON Lines), e.g. lazymm check-trace run.jsonl');
    files = a.positionals;
    properties = selectProperties(a.lists.get('property'));
    json = a.switches.has('json');
    html = htmlDir(a.values);
  } catch (err) {
    const { exitCode, text } = describeCliError(err);
    eprintln(io, text);
    return exitCode;
  }
  const reports = await checkTraceFiles(files, properties, io.stdin);
  const status = exitStatus(reports);
  const index = html !== undefined ? await writeTraceReports(html, reports) : undefined;
  if (index) (json ? eprintln : println)(io, `HTML reports: ${index}`);
  if (json) {
    println(io, JSON.stringify(toJson(reports, status), null, 2));
    return status;
  }
  for (const r of reports) {
    if (r.problems.length > 0) eprintln(io, ...r.problems.map((p) => `lazymm: ${formatProblem(p)}`));
    else println(io, ...summaryLines(r));
  }
  const timelines = reports.flatMap(timelineSections);
  if (timelines.length) println(io, ...timelines);
  const count = (k: string) => reports.reduce((n, r) => n + r.verdicts.filter((v) => v.verdict === k).length, 0);
  const unusable = reports.filter((r) => r.problems.length > 0).length;
  println(io, '', `checked ${reports.length} trace${reports.length === 1 ? '' : 's'}: ${count('hold')} hold, ${count('violated')} violated, ${count('insufficient')} insufficient${unusable ? `, ${unusable} unusable` : ''}`);
  return status;
}
