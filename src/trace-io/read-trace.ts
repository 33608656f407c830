/**
 * Reading a trace file of either container (./detect-format.ts): JSON documents are parsed whole,
 * JSON Lines are streamed. Yields the valid events in order and the problems of the input; a file
 * that cannot be opened is one problem.
 */
import * as fs from 'node:fs';
import { detectFormat, type TraceFileFormat } from './detect-format';
import type { TraceEvent } from '../trace/events';
import { TRACE_SHAPES, TraceInputError } from './problems';
import type { ReadItem } from './read-item';
import { readJsonTrace } from './read-json';
import { readJsonLinesTrace } from './read-jsonl';

/** An opened trace file: its container and its items. */
export interface TraceFileSource {
  file: string;
  format: TraceFileFormat | null;
  items: AsyncIterable<ReadItem> | Iterable<ReadItem>;
}

/** Opens `file` for reading as a trace. Never throws: an unreadable file yields one problem. */
export function openTraceFile(file: string): TraceFileSource {
  let format: TraceFileFormat;
  try {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) return failed(file, `is a directory: expected a trace file (${TRACE_SHAPES})`);
    if (stat.size === 0) return failed(file, `empty file: expected ${TRACE_SHAPES}`);
    format = detectFormat(file);
  } catch (err) {
    return failed(file, `cannot read: ${(err as Error).message}`);
  }
  return { file, format, items: format === 'jsonl' ? readJsonLinesTrace(file) : readJsonTrace(file) };
}

const failed = (file: string, message: string): TraceFileSource => ({ file, format: null, items: [{ problem: { file, message } }] });

/** Reads a whole trace into memory (small traces, tests); throws TraceInputError on the first problem. */
export async function readTraceEvents(file: string): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  for await (const item of openTraceFile(file).items) {
    if ('problem' in item) throw new TraceInputError([item.problem]);
    events.push(item.event);
  }
  return events;
}
