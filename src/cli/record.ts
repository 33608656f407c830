/**
 * `check --record`: a counterexample as a fixture file (src/fixtures), never over an existing one.
 */
import { listEngines } from '../engine/build';
import * as path from 'node:path';
import { FIXTURE_FORMAT, writeFixture, type Fixture } from '../fixtures/fixture';
import { commandLine, fastCheckVersion } from '../fixtures/provenance';
import type { Counterexample, EngineSpec } from '../run/types';
import { UsageError } from './errors';

import { fixturesDirProblem } from '../fixtures/fixtures-dir';
import { defaultFixturesDir, lazymmFixturesDir } from '../fixtures/project-dirs';

/** A combination no kernel shipped (lazymm list labels it counterfactual). */
function isCounterfactual(spec: EngineSpec): boolean {
  return listEngines().some((e) => e.arch === spec.arch && e.strategy === spec.strategy && e.label === 'counterfactual');
}

/**
 * The fixture for `cx` found on `spec`. Its name (and so its file name) is the engine, the knobs
 * given on the command line (`nameKnobs`; not those a variant check adds) and the property.
 */
export function fixtureFor(spec: EngineSpec, engine: string, cx: Counterexample, argv: readonly string[], dir: string, nameKnobs: Record<string, unknown> = spec.knobs ?? {}, now = new Date()): Fixture {
  const knobs = Object.entries(nameKnobs).map(([k, v]) => ` ${k}=${String(v)}`).join('');
  const schema = path.relative(dir, path.join(lazymmFixturesDir(), 'schema.json')).split(path.sep).join('/');
  return {
    $schema: schema.startsWith('.') ? schema : `./${schema}`,
    format: FIXTURE_FORMAT,
    name: `${engine}${knobs} ${cx.property}`,
    description: `${cx.property} ${cx.clause} at event ${cx.eventIndex} on ${engine}${knobs} (${cx.ops.length} shrunk ops), found by lazymm check`,
    status: spec.variant ? 'caught-variant' : isCounterfactual(spec) ? 'counterfactual' : 'regression',
    engine: spec,
    config: cx.config,
    expect: { property: cx.property, clause: cx.clause, eventIndex: cx.eventIndex },
    provenance: { seed: cx.seed, path: cx.path, fastCheckVersion: fastCheckVersion(), recordedAt: now.toISOString(), command: commandLine(argv) },
    ops: cx.ops,
  };
}

/** The folder `--record` writes to: `--fixtures-dir`, else `<project root>/fixtures` (src/fixtures/project-dirs.ts). */
export function recordDir(values: ReadonlyMap<string, string | undefined>): string {
  if (!values.has('fixtures-dir')) return defaultFixturesDir();
  const dir = values.get('fixtures-dir');
  if (!dir) throw new UsageError('--fixtures-dir: expected a directory, got nothing');
  return path.resolve(dir);
}

/** With --record, a folder that cannot be written is bad input, said before the search starts. */
export function checkRecordDir(dir: string, recording: boolean, flag: string): void {
  if (!recording) return;
  const problem = fixturesDirProblem(dir);
  if (problem !== undefined) throw new UsageError(`${flag}: cannot record fixtures in ${dir}: ${problem}`);
}

/** Writes the fixture; returns its path. Throws FixtureError when the file exists. */
export const recordFixture = (dir: string, fixture: Fixture): string => writeFixture(dir, fixture);
