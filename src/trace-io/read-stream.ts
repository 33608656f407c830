/**
 * Reading a trace from a stream: standard input (`-`), a FIFO (`<(zcat run.jsonl.gz)`), a character
 * device. The container is told from the first line, as for a file; JSON Lines are then streamed
 * line by line, a JSON document is read whole.
 */
import * as readline from 'node:readline';
import { looksLikeJsonLines } from './detect-format';
import { TRACE_SHAPES } from './problems';
import { readJsonTrace } from './read-json';
import { readJsonLines } from './read-jsonl';
import type { TraceFileSource } from './read-trace';

export async function openTraceStream(name: string, input: NodeJS.ReadableStream): Promise<TraceFileSource> {
  let lastByte = -1;
  input.on('data', (chunk: Buffer | string) => {
    if (chunk.length > 0) lastByte = typeof chunk === 'string' ? chunk.charCodeAt(chunk.length - 1) : chunk[chunk.length - 1];
  });
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  const it = rl[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) {
    rl.close();
    return { file: name, format: null, items: [{ problem: { file: name, message: `empty input: expected ${TRACE_SHAPES}` } }] };
  }
  const firstLine = String(first.value).replace(/^\uFEFF/, '');
  async function* lines(): AsyncGenerator<string> {
    try {
      yield firstLine;
      for (let n = await it.next(); !n.done; n = await it.next()) yield n.value;
    } finally {
      rl.close();
    }
  }
  if (looksLikeJsonLines(firstLine)) return { file: name, format: 'jsonl', items: readJsonLines(name, lines(), () => lastByte === 10) };
  const parts: string[] = [];
  for await (const line of lines()) parts.push(line);
  return { file: name, format: 'json', items: readJsonTrace(name, parts.join('\n')) };
}
