/**
 * Telling JSON from JSON Lines: by the file name (`.jsonl`, `.ndjson`), else by the first line
 * (a line that is a complete JSON object with a `k` field is an event, so the file is JSON Lines;
 * a pretty-printed or one-line `{format, events}` document or an array is JSON).
 * Only the first line is read, so detection costs nothing on a large file.
 */
import * as fs from 'node:fs';

/** The two containers of docs/trace-format.md. */
export type TraceFileFormat = 'json' | 'jsonl';

/** Longest first line read for detection (an init event with many tasks is a few KB). */
const MAX_FIRST_LINE = 16 * 1024 * 1024;

/** The first line of `file` (without the newline), at most MAX_FIRST_LINE bytes. */
export function readFirstLine(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const chunks: Buffer[] = [];
    const buf = Buffer.alloc(64 * 1024);
    let total = 0;
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, total);
      if (n === 0) break;
      const nl = buf.subarray(0, n).indexOf(10);
      chunks.push(Buffer.from(buf.subarray(0, nl >= 0 ? nl : n)));
      total += n;
      if (nl >= 0 || total >= MAX_FIRST_LINE) break;
    }
    return Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, '').replace(/\r$/, '');
  } finally {
    fs.closeSync(fd);
  }
}

/** The container of `file`: by extension, else by content. */
export function detectFormat(file: string): TraceFileFormat {
  if (/\.(jsonl|ndjson)$/i.test(file)) return 'jsonl';
  return looksLikeJsonLines(readFirstLine(file)) ? 'jsonl' : 'json';
}

/** Whether a first line is one complete event object (JSON Lines) rather than the start of a JSON document. */
export function looksLikeJsonLines(firstLine: string): boolean {
  const line = firstLine.trim();
  if (!line.startsWith('{')) return false;
  try {
    const v: unknown = JSON.parse(line);
    return typeof v === 'object' && v !== null && !Array.isArray(v) && 'k' in v;
  } catch {
    return false;
  }
}
