/**
 * Reading a JSON Lines trace (one event per line, `init` first, the line number minus one being the
 * event index) as a stream: lines are read one at a time (readline over a file stream), so memory
 * does not grow with the trace. Problems name the line and the JSON path inside that line's event.
 */
import * as fs from 'node:fs';
import * as readline from 'node:readline';
import { jsonErrorOffset, lineColumn } from '../fixtures/json-syntax';
import { EventChecks } from './event-checks';
import { TRACE_SHAPES, type TraceInputProblem } from './problems';
import { MAX_PROBLEMS, type ReadItem } from './read-item';

/** Whether the file's last byte is a newline (a last line without one may have been cut off). */
function endsWithNewline(file: string, size: number): boolean {
  if (size === 0) return true;
  const fd = fs.openSync(file, 'r');
  try {
    const b = Buffer.alloc(1);
    fs.readSync(fd, b, 0, 1, size - 1);
    return b[0] === 10;
  } finally {
    fs.closeSync(fd);
  }
}

/** Parses one line; on a syntax error returns the column and message. */
function parseLine(line: string): { value: unknown } | { column: number; message: string } {
  try {
    return { value: JSON.parse(line) };
  } catch (err) {
    // V8's message quotes the input and its position: noise next to the line and column.
    const message = (err as Error).message.replace(/( in JSON)? at position \d+.*$/s, '').replace(/, (\.\.\.)?".*" is not valid JSON$/s, '');
    return { column: lineColumn(line, jsonErrorOffset(line)).column, message: message.charAt(0).toLowerCase() + message.slice(1) };
  }
}

/** The events of a JSON Lines trace, in order, or the problems that make it unusable. */
export async function* readJsonLinesTrace(file: string): AsyncGenerator<ReadItem> {
  const complete = endsWithNewline(file, fs.statSync(file).size);
  const rl = readline.createInterface({ input: fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  try {
    yield* readJsonLines(file, rl, () => complete);
  } finally {
    rl.close();
  }
}

/**
 * The events of JSON Lines read from `lines` (a file or a stream: stdin, a FIFO). `complete()` is
 * asked once the lines are over: whether the input ended with a newline (else its last line may
 * have been cut off).
 */
export async function* readJsonLines(file: string, lines: AsyncIterable<string>, complete: () => boolean): AsyncGenerator<ReadItem> {
  const problem = (p: Omit<TraceInputProblem, 'file'>): ReadItem => ({ problem: { file, ...p } });
  const checks = new EventChecks();
  let lineNo = 0;
  let problems = 0;
  let blankAt = 0; // first blank line of the current run of blank lines (allowed only at the end)
  let pending: { line: string; lineNo: number } | null = null; // held back one line to know which is the last
  const handle = (line: string, n: number, isLast: boolean): ReadItem[] => {
    const out: ReadItem[] = [];
    if (n === 1) line = line.replace(/^\uFEFF/, '');
    const parsed = parseLine(line);
    if ('message' in parsed) {
      const truncated = isLast && !complete();
      out.push(problem({ line: n, column: truncated ? undefined : parsed.column, message: truncated
        ? `truncated event: the file ends in the middle of this line (no closing newline; ${parsed.message}); expected one complete JSON event per line`
        : `invalid JSON: ${parsed.message}` }));
      return out;
    }
    const errors = checks.check(parsed.value, n - 1);
    for (const e of errors) out.push(problem({ line: n, path: e.path, message: e.message }));
    if (errors.length === 0) out.push({ event: parsed.value as never, index: n - 1 });
    return out;
  };
  {
    for await (const line of lines) {
      lineNo++;
      if (line.trim() === '') {
        if (blankAt === 0) blankAt = lineNo;
        continue;
      }
      if (blankAt !== 0) {
        yield problem({ line: blankAt, message: 'empty line: JSON Lines has exactly one event per line (the line number minus one is the event index)' });
        return;
      }
      if (pending !== null) {
        for (const item of handle(pending.line, pending.lineNo, false)) {
          yield item;
          if ('problem' in item && ++problems >= MAX_PROBLEMS) return;
        }
      }
      pending = { line, lineNo };
    }
    if (pending === null) {
      yield problem({ message: `empty file: expected ${TRACE_SHAPES}` });
      return;
    }
    for (const item of handle(pending.line, pending.lineNo, true)) yield item;
  }
}
