/**
 * Generating a jest suite for a foreign engine (`lazymm generate-suite`): plan the files (one test
 * per property that applies to the engine's init event, the fixture replay, the shared harness and a
 * README), then write them without touching what the user edited (./content-hash.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allProperties, type Property } from '../../properties';
import { DEFAULT_CONFIG, type Engine, type ModelConfig } from '../engine/contract';
import type { InitEvent } from '../trace/events';
import { stamp, stampState, type HeaderStyle } from './content-hash';
import { engineModuleTs } from './templates/engine-module';
import { HARNESS_TS } from './templates/harness';
import { readmeMd } from './templates/readme';
import { propertyTestTs, REPLAY_TEST_TS } from './templates/tests';

/** One file of the suite: its path relative to the suite directory and its full text (header included). */
export interface SuiteFile {
  path: string;
  content: string;
}

/** What happened to one file. */
export type FileOutcome = 'created' | 'updated' | 'unchanged' | 'skipped-edited' | 'skipped-not-generated' | 'stale';

export interface FileResult {
  path: string;
  outcome: FileOutcome;
}

/** A small configuration for engines that reject lazymm's default one. */
const SMALL_CONFIG: ModelConfig = { cpus: 2, procs: 1, threads: 1, kthreads: 0 };

/** The engine's init event (to decide which properties apply). */
export function initOf(engine: Engine<unknown>): InitEvent {
  for (const config of [DEFAULT_CONFIG, SMALL_CONFIG]) {
    try {
      const ev = engine.init(config).events[0];
      if (ev?.k === 'init') return ev;
    } catch {
      // try the next configuration
    }
  }
  throw new Error(`engine ${engine.info.id}: init() must return the init event first (tried ${JSON.stringify(DEFAULT_CONFIG)} and ${JSON.stringify(SMALL_CONFIG)})`);
}

/** `../engines/correct` from the suite directory to the module (POSIX separators, no extension). */
export function relativeModule(outDir: string, moduleFile: string): string {
  const rel = path.relative(outDir, moduleFile).split(path.sep).join('/').replace(/\.(ts|js|cjs|cts)$/, '');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** The files of the suite for `engine` (loaded from `moduleFile`) written to `outDir`. */
export function planSuite(o: { engine: Engine<unknown>; moduleFile: string; outDir: string; command: string }): { files: SuiteFile[]; properties: Property[]; skipped: Property[] } {
  const init = initOf(o.engine);
  const properties = allProperties.filter((p) => p.appliesTo(init));
  const skipped = allProperties.filter((p) => !p.appliesTo(init));
  const modulePath = relativeModule(o.outDir, o.moduleFile);
  const file = (p: string, body: string, style: HeaderStyle = 'ts'): SuiteFile => ({ path: p, content: stamp(body, style) });
  const files = [
    file('README.md', readmeMd({ engineId: o.engine.info.id, modulePath, properties, skipped, command: o.command }), 'md'),
    file('harness.ts', HARNESS_TS),
    file('engine.ts', engineModuleTs(modulePath, o.engine.info.id)),
    ...properties.map((p) => file(`${p.id}.test.ts`, propertyTestTs(p))),
    file('replay.test.ts', REPLAY_TEST_TS),
  ];
  return { files, properties, skipped };
}

/** What writing `file` into `outDir` would do (nothing is written). */
export function outcomeOf(outDir: string, file: SuiteFile): FileOutcome {
  const target = path.join(outDir, file.path);
  if (!fs.existsSync(target)) return 'created';
  const text = fs.readFileSync(target, 'utf8');
  if (text === file.content) return 'unchanged';
  const state = stampState(text);
  if (state === 'edited') return 'skipped-edited';
  if (state === 'not-generated') return 'skipped-not-generated';
  return 'updated';
}

/**
 * Writes `files` into `outDir` (unless `dryRun`), never over a file the user edited or wrote; also
 * reports generated files in `outDir` that are no longer part of the suite (`stale`, left in place).
 */
export function writeSuite(outDir: string, files: readonly SuiteFile[], dryRun = false): FileResult[] {
  const results = files.map((f) => ({ path: f.path, outcome: outcomeOf(outDir, f) }));
  if (!dryRun) {
    fs.mkdirSync(outDir, { recursive: true });
    files.forEach((f, i) => {
      if (results[i].outcome === 'created' || results[i].outcome === 'updated') fs.writeFileSync(path.join(outDir, f.path), f.content);
    });
  }
  const planned = new Set(files.map((f) => f.path));
  const stale = fs.existsSync(outDir)
    ? fs.readdirSync(outDir).filter((n) => !planned.has(n) && /\.(ts|md)$/.test(n) && stampState(fs.readFileSync(path.join(outDir, n), 'utf8')) !== 'not-generated')
    : [];
  return [...results, ...stale.sort().map((p) => ({ path: p, outcome: 'stale' as const }))];
}
