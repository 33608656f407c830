/**
 * `lazymm generate-suite --engine MODULE [--out DIR] [--check]`: write a ready-to-run jest suite for
 * a foreign engine module (one that exports `engine` or `createEngine()` implementing the Engine
 * contract): one test file per property that applies to the engine, driven by lazymm's arbitraries,
 * with fixture recording and replay, and a README on running and extending it.
 *
 * Re-running it updates the generated files whose content still matches their hash header and skips
 * files the user edited (naming them). `--check` writes nothing and exits 1 when a file would be
 * created or updated (for CI: "is the checked-in suite what lazymm generates?").
 *
 * Exit status: 0 done (or, with --check, up to date); 1 with --check, out of date; 2 bad input.
 */
import * as path from 'node:path';
import { parseArgs, type FlagSpec } from '../cli/args';
import { describeCliError, UsageError } from '../cli/errors';
import { eprintln, println, type CliIo } from '../cli/io';
import { planSuite, relativeModule, writeSuite, type FileOutcome, type FileResult } from './generate-suite';
import { EngineModuleError, loadEngineModule } from './load-engine-module';

/** The default output directory (relative to the working directory). */
export const DEFAULT_SUITE_DIR = 'lazymm-suite';

/** The flags of `lazymm generate-suite` (for the CLI's usage text). */
export const GENERATE_SUITE_FLAGS: readonly FlagSpec[] = [
  { name: 'engine', kind: 'value', arg: 'MODULE', help: 'a JS/TS module exporting `engine` or `createEngine()` (the Engine contract of lazymm/engines); required' },
  { name: 'out', kind: 'value', arg: 'DIR', help: `the suite directory (default ./${DEFAULT_SUITE_DIR})` },
  { name: 'check', kind: 'switch', help: 'write nothing; exit 1 if a generated file would be created or updated' },
];

/** Synopsis and summary for the CLI's command table. */
export const GENERATE_SUITE_USAGE = {
  synopsis: 'generate-suite --engine MODULE [flags]',
  summary: 'write a jest suite (one test per applicable property, fixture recording and replay) for a foreign engine',
};

const LABELS: Record<FileOutcome, string> = {
  created: 'created',
  updated: 'updated',
  unchanged: 'unchanged',
  'skipped-edited': 'skipped',
  'skipped-not-generated': 'skipped',
  stale: 'stale',
};

const WHY: Partial<Record<FileOutcome, string>> = {
  'skipped-edited': 'edited since it was generated (its content no longer matches its hash): kept as you left it',
  'skipped-not-generated': 'not written by lazymm generate-suite (no lazymm-generated header): left alone',
  stale: 'generated earlier but no longer part of the suite (its property does not apply any more): left in place',
};

function resultLine(r: FileResult, outDir: string, check: boolean): string {
  const label = check && (r.outcome === 'created' || r.outcome === 'updated') ? `would be ${r.outcome}` : LABELS[r.outcome];
  const shown = path.join(path.relative(process.cwd(), outDir) || '.', r.path);
  return `  ${label.padEnd(16)} ${shown}${WHY[r.outcome] ? ` (${WHY[r.outcome]})` : ''}`;
}

/** Runs `lazymm generate-suite` with `argv` (the arguments after the command name); returns the exit status. */
export function generateSuiteCommand(argv: readonly string[], io: CliIo): number {
  try {
    const a = parseArgs('generate-suite', argv, GENERATE_SUITE_FLAGS);
    const moduleArg = a.values.get('engine');
    if (moduleArg === undefined) throw new UsageError('generate-suite: --engine MODULE is required (a JS/TS module exporting `engine` or `createEngine()`)');
    const outDir = path.resolve(a.values.get('out') ?? DEFAULT_SUITE_DIR);
    const check = a.switches.has('check');
    let loaded: ReturnType<typeof loadEngineModule>;
    try {
      loaded = loadEngineModule(moduleArg);
    } catch (err) {
      if (err instanceof EngineModuleError) throw new UsageError(`--engine: ${err.message}`);
      throw err;
    }
    const moduleFromSuite = path.relative(outDir, loaded.file).split(path.sep).join('/');
    const command = `npx lazymm generate-suite --engine ${moduleFromSuite} --out .   # in this directory`;
    const plan = planSuite({ engine: loaded.engine, moduleFile: loaded.file, outDir, command });
    const results = writeSuite(outDir, plan.files, check);
    const info = loaded.engine.info;
    println(
      io,
      `generate-suite: ${info.id} (${info.arch}/${info.strategy}) from ${relativeModule(process.cwd(), loaded.file)}; ${plan.properties.length} properties: ${plan.properties.map((p) => p.id).join(', ')}`,
      ...(plan.skipped.length ? [`  not applicable: ${plan.skipped.map((p) => p.id).join(', ')}`] : []),
      ...results.map((r) => resultLine(r, outDir, check)),
    );
    const skipped = results.filter((r) => r.outcome.startsWith('skipped'));
    if (skipped.length) println(io, `skipped ${skipped.length} file${skipped.length === 1 ? '' : 's'} you edited or wrote: ${skipped.map((r) => r.path).join(', ')}`);
    const changes = results.filter((r) => r.outcome === 'created' || r.outcome === 'updated').length;
    if (check) {
      println(io, changes ? `out of date: ${changes} file${changes === 1 ? '' : 's'} would change` : 'up to date');
      return changes ? 1 : 0;
    }
    return 0;
  } catch (err) {
    const { exitCode, text } = describeCliError(err);
    eprintln(io, text);
    return exitCode;
  }
}
