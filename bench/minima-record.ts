/**
 * bench/minima.json: exhaustive searches too long for the bench's budgets (minutes to an hour with
 * two workers), recorded by bench/record-minimum.ts with the code fingerprint they ran under
 * (./code-fingerprint.ts). The reach rows (./explorer-reach.ts) use a record only under the current
 * fingerprint and report the others as stale: a minimum carried across an engine change is not a
 * minimum (docs/explore.md, "Correction and the reach as of 2026-12-07").
 *
 * The one exception is bench/fingerprint-carries.json: a change of the explorer's code that leaves
 * every recorded search as it was (a new option that is off unless asked for) is listed there, old
 * fingerprint to new, with the commit and the reason; records under the old fingerprint then count
 * under the new one (validFingerprints()). The claim is checked, not trusted: every record cheap
 * enough is run again under today's code and must give the same result and counts
 * (test/bench/records-reproduce.test.ts; the larger ones in test/explore-long/).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ModelConfig } from '../src/engine/contract';

export const MINIMA_FILE = path.resolve(__dirname, 'minima.json');
export const CARRIES_FILE = path.resolve(__dirname, 'fingerprint-carries.json');

/** A code change that leaves every recorded search unchanged: records under `from` count under `to`. */
export interface FingerprintCarry {
  from: string;
  to: string;
  /** The commit subject of the change. */
  change: string;
  /** Why no recorded search can give another result under `to`. */
  why: string;
}

/** The JSON array in `file` ([] when it does not exist); not JSON or not an array is an error naming the file. */
// any[]: each caller checks its entries field by field before it trusts them.
function readJsonArray(file: string, what: string): any[] {
  if (!fs.existsSync(file)) return [];
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: not JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(data)) throw new Error(`${file}: $ must be an array of ${what}`);
  return data;
}

/** bench/fingerprint-carries.json (none when it does not exist); a malformed entry is an error naming the file and its JSON path. */
export function readCarries(file = CARRIES_FILE): FingerprintCarry[] {
  const data = readJsonArray(file, 'carries');
  data.forEach((c, i) => {
    for (const field of ['from', 'to', 'change', 'why']) {
      if (!c || typeof c !== 'object' || typeof c[field] !== 'string' || c[field] === '') throw new Error(`${file}: $[${i}].${field} must be a non-empty string`);
    }
  });
  return data as FingerprintCarry[];
}

/** `current` and every fingerprint a chain of carries leads from to it. */
export function validFingerprints(current: string, carries: readonly FingerprintCarry[]): Set<string> {
  const valid = new Set([current]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const c of carries) {
      if (valid.has(c.to) && !valid.has(c.from)) {
        valid.add(c.from);
        grew = true;
      }
    }
  }
  return valid;
}

const matches = (fingerprint: string, valid: string | ReadonlySet<string>) => (typeof valid === 'string' ? fingerprint === valid : valid.has(fingerprint));

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
  const data = readJsonArray(file, 'search records');
  data.forEach((r, i) => {
    const ok = r && typeof r === 'object' && typeof r.variant === 'string' && typeof r.fingerprint === 'string' && r.config && typeof r.config.cpus === 'number' && typeof r.cleanTo === 'number';
    if (!ok) throw new Error(`${file}: $[${i}] must be a search record (variant, config, fingerprint, cleanTo, ...)`);
  });
  return data as MinimumSearchRecord[];
}

/** The record of `variant` on `config` under `fingerprint` (or one of a set: validFingerprints()) that says the most (a minimum first, then the deepest clean bound). */
export function bestRecord(records: readonly MinimumSearchRecord[], variant: string, config: ModelConfig, fingerprint: string | ReadonlySet<string>): MinimumSearchRecord | undefined {
  const mine = records.filter((r) => r.variant === variant && sameConfig(r.config, config) && matches(r.fingerprint, fingerprint));
  return mine.sort((a, b) => (b.minimum !== null ? 1 : 0) - (a.minimum !== null ? 1 : 0) || b.cleanTo - a.cleanTo)[0];
}

/** Records of `variant` on `config` under another fingerprint (stale). */
export function staleRecords(records: readonly MinimumSearchRecord[], variant: string, config: ModelConfig, fingerprint: string | ReadonlySet<string>): MinimumSearchRecord[] {
  return records.filter((r) => r.variant === variant && sameConfig(r.config, config) && !matches(r.fingerprint, fingerprint));
}

/** Adds `record` to the file (written whole to a temporary file, then renamed: never half-written). */
export function appendMinimumRecord(record: MinimumSearchRecord, file = MINIMA_FILE): void {
  const all = [...readMinimaRecords(file), record];
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, `${JSON.stringify(all, null, 1)}\n`);
  fs.renameSync(tmp, file);
}
