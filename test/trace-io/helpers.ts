/** Test helpers for check-trace: run the command in-process, write traces in every container. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkTraceCommand } from '../../src/trace-io/check-trace-command';
import type { CheckTraceJson } from '../../src/trace-io/report-json';
import type { TraceEvent } from '../../src/trace/events';

export interface Ran {
  code: number;
  out: string;
  err: string;
}

/** `lazymm check-trace ...argv`, in-process. */
export async function checkTrace(...argv: string[]): Promise<Ran> {
  let out = '';
  let err = '';
  const code = await checkTraceCommand(argv, { out: (s) => void (out += s), err: (s) => void (err += s) });
  return { code, out, err };
}

/** `lazymm check-trace --json ...argv`, parsed. */
export async function checkTraceJson(...argv: string[]): Promise<{ code: number; json: CheckTraceJson }> {
  const r = await checkTrace('--json', ...argv);
  return { code: r.code, json: JSON.parse(r.out) as CheckTraceJson };
}

export type Container = 'json' | 'jsonl' | 'array';

/** The text of `events` in a container. */
export function traceText(events: readonly unknown[], container: Container): string {
  if (container === 'jsonl') return `${events.map((e) => JSON.stringify(e)).join('\n')}\n`;
  if (container === 'array') return JSON.stringify(events, null, 1);
  return JSON.stringify({ format: 'lazymm-trace/1', events }, null, 1);
}

const EXT: Record<Container, string> = { json: '.json', jsonl: '.jsonl', array: '.json' };

/** A temporary directory, removed by the returned cleanup. */
export function tempDir(prefix: string): { dir: string; put(name: string, text: string): string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return {
    dir,
    put(name, text) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, text);
      return file;
    },
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Writes `events` as `<name><ext>` in `dir`. */
export function writeTrace(dir: string, name: string, events: readonly TraceEvent[] | readonly unknown[], container: Container): string {
  const file = path.join(dir, `${name}${container === 'array' ? '.array' : ''}${EXT[container]}`);
  fs.writeFileSync(file, traceText(events, container));
  return file;
}
