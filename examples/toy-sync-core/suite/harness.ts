// lazymm-generated sha256:3da74eceacee837b2565928be1a5e12aa7f90217b345e055a8f572bd8ca759f4 (lazymm generate-suite rewrites this file while it is unedited; once you edit it, it is yours)
/**
 * The harness of this suite (written by lazymm generate-suite): it drives the engine with lazymm's
 * arbitraries (fast-check interleavings, shrinking, op-level minimisation), checks one lazymm
 * property, records every counterexample as a fixture in ./fixtures (or $LAZYMM_FIXTURES_DIR), and
 * replays recorded fixtures.
 *
 * Environment: LAZYMM_RUNS (random runs per property, default 200), LAZYMM_SEED (fast-check seed;
 * default derived from the engine id), LAZYMM_FIXTURES_DIR (where fixtures are recorded and replayed).
 */
import * as path from 'node:path';
import { checkEngine, replayOps } from 'lazymm/arbitraries';
import type { Engine } from 'lazymm/engines';
import { checkFixture, fastCheckVersion, FixtureError, listFixtureFiles, loadAnyFixture, writeFixture, type Fixture } from 'lazymm/fixtures';
import { checkTrace, createTraceChecker, propertyById } from 'lazymm/properties';
import { renderTimeline } from 'lazymm/trace';

/** Where counterexamples are recorded and replayed from. */
export const fixturesDir = process.env.LAZYMM_FIXTURES_DIR ? path.resolve(process.env.LAZYMM_FIXTURES_DIR) : path.join(__dirname, 'fixtures');

/** The engine a module exports: engine, createEngine(), or either under default. */
export function loadEngine(modulePath: string): Engine<unknown> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const m = require(modulePath);
  for (const x of [m, m && m.default]) {
    if (x && x.engine && typeof x.engine.apply === 'function') return x.engine;
    if (x && typeof x.createEngine === 'function') return x.createEngine();
  }
  throw new Error(modulePath + ': expected a module exporting engine or createEngine() (the Engine contract of lazymm/engines)');
}

/** Options of {@link checkProperty}. */
export interface PropertyCheckOptions {
  /** Random runs (default $LAZYMM_RUNS, else 200). */
  runs?: number;
  /** fast-check seed (default $LAZYMM_SEED, else derived from the engine id). */
  seed?: number;
  /** Most ops per run (default lazymm's: 160 under its default search). */
  maxOps?: number;
}

/** Records a counterexample as a fixture; returns what happened (the file, or why not). */
function record(fixture: Fixture): string {
  try {
    return 'recorded as ' + writeFixture(fixturesDir, fixture);
  } catch (err) {
    if (err instanceof FixtureError) return 'not recorded: ' + err.message;
    throw err;
  }
}

/**
 * Checks `propertyId` on random interleavings of `engine`. A failure is shrunk, recorded in
 * fixturesDir and thrown with its ops and timeline, so jest shows the counterexample.
 */
export function checkProperty(engine: Engine<unknown>, propertyId: string, options: PropertyCheckOptions = {}): void {
  const property = propertyById(propertyId);
  if (!property) throw new Error('unknown lazymm property ' + propertyId);
  const env = process.env;
  const seed = options.seed ?? (env.LAZYMM_SEED ? Number(env.LAZYMM_SEED) : undefined);
  const result = checkEngine({
    engine,
    makeChecker: (init) => createTraceChecker(init, [property]),
    propertyIds: [propertyId],
    runs: options.runs ?? (env.LAZYMM_RUNS ? Number(env.LAZYMM_RUNS) : 200),
    // Spread, not seed: undefined, so that the suite type-checks under exactOptionalPropertyTypes too.
    ...(seed !== undefined ? { seed } : {}),
    ...(options.maxOps !== undefined ? { maxOps: options.maxOps } : {}),
  });
  const cx = result.counterexample;
  if (!cx) return;
  const { events } = replayOps(engine, cx.config, cx.ops);
  const v = checkTrace(events, [property])[0];
  const info = engine.info;
  const fixture: Fixture = {
    format: 'lazymm-fixture/1',
    name: propertyId + ' ' + info.id + ' seed ' + cx.seed,
    description: cx.clause + ' on ' + info.id + ' (found by a suite lazymm generate-suite wrote)',
    engine: { arch: info.arch, strategy: info.strategy, ...(info.variant ? { variant: info.variant } : {}), knobs: info.knobs },
    config: cx.config,
    ops: cx.ops,
    expect: { property: cx.property, clause: cx.clause, eventIndex: cx.eventIndex },
    provenance: { seed: cx.seed, path: cx.path, fastCheckVersion: fastCheckVersion(), recordedAt: new Date().toISOString(), command: 'jest (' + propertyId + '.test.ts, engine ' + info.id + ')' },
  };
  const lines = [
    propertyId + ' violated on ' + info.id + ': ' + cx.clause + ' at event ' + cx.eventIndex + ' (' + result.runs + ' runs, shrunk to ' + cx.ops.length + ' ops; ' + record(fixture) + ')',
    'config: ' + JSON.stringify(cx.config),
    'ops:',
    ...cx.ops.map((op, i) => '  ' + i + '  ' + JSON.stringify(op)),
    '',
    v ? renderTimeline(events, { highlight: v.events, violation: v }) : cx.message,
  ];
  throw new Error(lines.join('\n'));
}

/** The fixture files recorded so far ([] when the directory does not exist yet). */
export function recordedFixtures(): string[] {
  try {
    return listFixtureFiles(fixturesDir);
  } catch {
    return [];
  }
}

/** Re-checks one fixture's recorded verdict on `engine` (ops are replayed, traces checked as they are). */
export function replayFixture(engine: Engine<unknown>, file: string): void {
  const r = checkFixture(loadAnyFixture(file), engine);
  if (!r.ok) throw new Error(file + ': ' + r.detail);
}
