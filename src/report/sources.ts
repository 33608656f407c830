/**
 * What a report is made from: a fixture file (ops replayed on its engine, or a recorded trace) or
 * a `lazymm check --json` result with a counterexample. A file that is neither is a ReportInputError
 * (one line: the file, the JSON path, what was expected).
 */
import * as fs from 'node:fs';
import { validateConfig } from '../engine/build';
import type { ModelConfig } from '../engine/contract';
import type { Op } from '../engine/ops';
import { resolveEngineSpec } from '../engine/build';
import { checkFixture } from '../fixtures/check';
import { FixtureError, loadAnyFixture } from '../fixtures/fixture';
import { parseJson } from '../fixtures/json-syntax';
import { FIXTURE_FORMAT, isTraceFixture, type AnyFixture } from '../fixtures/types';
import type { EngineSpec } from '../run/types';
import { commandLine } from '../fixtures/provenance';
import { buildOpsReport, buildTraceReport } from './build';
import type { ReportData } from './types';

export class ReportInputError extends Error {
  override readonly name = 'ReportInputError';
}

/** The report of a fixture already loaded from `file`. */
export function reportOfFixture(file: string, f: AnyFixture): ReportData {
  const r = checkFixture(f);
  const info = {
    title: f.name,
    description: f.description,
    status: f.status ?? 'unlabelled',
    property: f.expect === 'pass' ? undefined : f.expect.property,
    verdict: `${file}: ${r.detail}`,
    replayCommand: commandLine(['replay', file]),
  };
  if (isTraceFixture(f)) return buildTraceReport({ ...info, events: f.trace });
  return buildOpsReport({ ...info, spec: f.engine, config: f.config, ops: f.ops });
}

/** The parts of a `check --json` result a report needs. */
export interface CheckResultCase {
  spec: EngineSpec;
  config: ModelConfig;
  ops: Op[];
  property: string;
  clause: string;
  eventIndex: number;
  /** The command that reproduces the check. */
  command: string;
}

/** The report of a check's counterexample (from `check --html` or a saved `check --json` result). */
export function reportOfCheck(c: CheckResultCase, title = `${c.property} on ${engineName(c.spec)}`): ReportData {
  return buildOpsReport({
    title,
    description: `${c.property} ${c.clause} at event ${c.eventIndex}: a counterexample found by lazymm check (${c.ops.length} shrunk ops).`,
    status: 'counterexample',
    property: c.property,
    verdict: `FAIL (${c.property} ${c.clause} at event ${c.eventIndex})`,
    replayCommand: `${c.command}\n# add --record to write it as a fixture, then: lazymm replay fixtures/<name>.json`,
    spec: c.spec,
    config: c.config,
    ops: c.ops,
  });
}

const engineName = (s: EngineSpec): string => `${s.arch}/${s.strategy}${s.variant ? `+${s.variant}` : ''}`;

function fail(file: string, pointer: string, expected: string): never {
  throw new ReportInputError(`${file}: ${pointer || '/'}: ${expected}`);
}

/** The case of a parsed `check --json` document, validated field by field. */
export function checkResultCase(file: string, doc: Record<string, unknown>): CheckResultCase {
  const cx = doc.counterexample as Record<string, unknown> | undefined;
  if (cx === undefined) fail(file, '/counterexample', `expected a counterexample (this check result is '${String(doc.result)}': nothing to report)`);
  if (typeof cx !== 'object' || cx === null) fail(file, '/counterexample', 'expected an object');
  const str = (v: unknown, p: string): string => (typeof v === 'string' ? v : fail(file, p, 'expected a string'));
  const arch = str(doc.arch, '/arch');
  const strategy = str(doc.strategy, '/strategy');
  const variant = doc.variant === null || doc.variant === undefined ? undefined : str(doc.variant, '/variant');
  const knobs = doc.knobs ?? {};
  if (typeof knobs !== 'object' || knobs === null || Array.isArray(knobs)) fail(file, '/knobs', 'expected an object of knob values');
  const spec = { arch, strategy, ...(variant !== undefined ? { variant } : {}), knobs } as EngineSpec;
  try {
    resolveEngineSpec(spec);
  } catch (err) {
    fail(file, '/arch', (err as Error).message);
  }
  const config = cx.config as ModelConfig;
  try {
    if (typeof config !== 'object' || config === null) throw new Error('expected an object {cpus, procs, threads, kthreads}');
    validateConfig(config);
  } catch (err) {
    fail(file, '/counterexample/config', (err as Error).message);
  }
  if (!Array.isArray(cx.ops)) fail(file, '/counterexample/ops', 'expected an array of ops');
  (cx.ops as unknown[]).forEach((op, i) => {
    const o = op as Record<string, unknown>;
    if (typeof o !== 'object' || o === null || typeof o.op !== 'string' || typeof o.cpu !== 'number') fail(file, `/counterexample/ops/${i}`, 'expected an op {op, cpu, ...}');
  });
  const property = str(cx.property, '/counterexample/property');
  const clause = str(cx.clause, '/counterexample/clause');
  const eventIndex = typeof cx.eventIndex === 'number' ? cx.eventIndex : fail(file, '/counterexample/eventIndex', 'expected a number');
  const flags = ['check', '--arch', arch, '--strategy', strategy, ...(variant ? ['--variant', variant] : []),
    ...Object.entries(knobs as Record<string, unknown>).flatMap(([k, v]) => ['--knob', `${k}=${String(v)}`])];
  if (typeof doc.seed === 'number') flags.push('--seed', String(doc.seed));
  if (typeof doc.runs === 'number') flags.push('--runs', String(doc.runs));
  if (typeof doc.maxOps === 'number') flags.push('--max-ops', String(doc.maxOps));
  const fixed = doc.config as ModelConfig | null;
  if (fixed && typeof fixed === 'object') for (const k of ['cpus', 'procs', 'threads', 'kthreads'] as const) flags.push(`--${k}`, String(fixed[k]));
  return { spec, config, ops: cx.ops as Op[], property, clause, eventIndex, command: commandLine(flags) };
}

/** The report of `file`: a fixture, or a `check --json` result with a counterexample. */
export function reportOfFile(file: string): ReportData {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ReportInputError(`${file}: cannot read: ${(err as Error).message}`);
  }
  const parsed = parseJson(text.replace(/^\uFEFF/, ''));
  if (!parsed.ok) throw new ReportInputError(`${file}: invalid JSON at line ${parsed.line}, column ${parsed.column}: ${parsed.message}`);
  const doc = parsed.value as Record<string, unknown>;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) fail(file, '', `expected an object: a fixture (format ${FIXTURE_FORMAT}) or a 'lazymm check --json' result`);
  if (doc.format === FIXTURE_FORMAT) {
    let f: AnyFixture;
    try {
      f = loadAnyFixture(file);
    } catch (err) {
      if (err instanceof FixtureError) throw new ReportInputError(err.message.split('\n')[0]);
      throw err;
    }
    if (!isTraceFixture(f)) {
      try {
        resolveEngineSpec(f.engine);
      } catch (err) {
        fail(file, '/engine', (err as Error).message);
      }
    }
    return reportOfFixture(file, f);
  }
  if ('counterexample' in doc || ('result' in doc && 'engine' in doc)) {
    const c = checkResultCase(file, doc);
    return reportOfCheck(c);
  }
  return fail(file, '', `expected a fixture (format ${FIXTURE_FORMAT}) or a 'lazymm check --json' result with a counterexample`);
}
