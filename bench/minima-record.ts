/**
 * bench/minima.json: exhaustive searches too long for the bench's budgets (minutes to an hour with
 * two workers), recorded by bench/record-minimum.ts with the code fingerprint they ran under
 * (./code-fingerprint.ts). The reach rows (./explorer-reach.ts) use a record only under the current
 * fingerprint and report the others as stale: a minimum carried across an engine change is not a
 * minimum (docs/explore.md, "Correction and the reach as of 2026-12-07").
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ModelConfig } from '../src/engine/contract';

export const MINIMA_FILE = path.resolve(__dirname, 'minima.json');

export interface MinimumSearchRecord {
  variant: string;
  config: ModelConfig;
  /** codeFingerprint() when the search ran. */
  fingerprint: string;
  recordedAt: string;
  /** The command that reproduces it. */
  command: string;
  /** The explorer's result: a counterexample (then `minimum` is its length), clean to `depth`, or truncated. */
  result: 'counterexample' | 'clean' | 'truncated';
  depth: number;
  /** Every interleaving of up to this many ops is clean. */
  cleanTo: number;
  /** Length of the first (shortest) counterexample, when one was found. */
  minimum: number | null;
  clause: string | null;
  states: number;
  transitions: number;
  seconds: number;
  workers: number;
}

const sameConfig = (a: ModelConfig, b: ModelConfig) => a.cpus === b.cpus && a.procs === b.procs && a.threads === b.threads && a.kthreads === b.kthreads;

/** Every record of bench/minima.json (none when it does not exist); a malformed file is an error that names it. */
export function readMinimaRecords(file = MINIMA_FILE): MinimumSearchRecord[] {
  if (!fs.existsSync(file)) return [];
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: not JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(data)) throw new Error(`${file}: $ must be an array of search records`);
  data.forEach((r, i) => {
    const ok = r && typeof r === 'object' && typeof r.variant === 'string' && typeof r.fingerprint === 'string' && r.config && typeof r.config.cpus === 'number' && typeof r.cleanTo === 'number';
    if (!ok) throw new Error(`${file}: $[${i}] must be a search record (variant, config, fingerprint, cleanTo, ...)`);
  });
  return data as MinimumSearchRecord[];
}

/** The record of `variant` on `config` under `fingerprint` that says the most (a minimum first, then the deepest clean bound). */
export function bestRecord(records: readonly MinimumSearchRecord[], variant: string, config: ModelConfig, fingerprint: string): MinimumSearchRecord | undefined {
  const mine = records.filter((r) => r.variant === variant && sameConfig(r.config, config) && r.fingerprint === fingerprint);
  return mine.sort((a, b) => (b.minimum !== null ? 1 : 0) - (a.minimum !== null ? 1 : 0) || b.cleanTo - a.cleanTo)[0];
}

/** Records of `variant` on `config` under another fingerprint (stale). */
export function staleRecords(records: readonly MinimumSearchRecord[], variant: string, config: ModelConfig, fingerprint: string): MinimumSearchRecord[] {
  return records.filter((r) => r.variant === variant && sameConfig(r.config, config) && r.fingerprint !== fingerprint);
}

/** Adds `record` to the file (written whole to a temporary file, then renamed: never half-written). */
export function appendMinimumRecord(record: MinimumSearchRecord, file = MINIMA_FILE): void {
  const all = [...readMinimaRecords(file), record];
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, `${JSON.stringify(all, null, 1)}\n`);
  fs.renameSync(tmp, file);
}
