/**
 * `lazymm replay FIXTURE...`: replay each fixture's ops on its engine (or take its recorded trace),
 * check every property on the trace, print the timeline, and compare with the recorded verdict. Exit 0 every verdict held, 1 one
 * changed (or the engine no longer accepts the ops), 2 a fixture file is unreadable or invalid.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadAnyFixture, listFixtureFiles, FixtureError } from '../../fixtures/fixture';
import { checkFixture } from '../../fixtures/check';
import { isTraceFixture, type AnyFixture } from '../../fixtures/types';
import { parseArgs, type FlagSpec } from '../args';
import { timelineOf } from '../counterexample';
import { checkSpec, engineId } from '../engine-spec';
import { UsageError } from '../errors';
import { eprintln, println, type CliIo } from '../io';
import { HTML_FLAG, HtmlReports, htmlDir } from '../html-output';
import { reportOfFixture } from '../../report/sources';

export const REPLAY_FLAGS: readonly FlagSpec[] = [{ name: 'quiet', kind: 'switch', help: 'print only the verdict of each fixture, no timelines' }, HTML_FLAG];

/** One line about a bad fixture file: `file: /json/path: what was expected` (+ how many more). */
function fixtureErrorLine(err: FixtureError): string {
  const lines = err.message.split('\n');
  return lines.length > 1 ? `${lines[0]} (and ${lines.length - 1} more problem${lines.length > 2 ? 's' : ''})` : lines[0];
}

/** The fixture files named by `args` (directories are searched for *.json). */
function expand(args: readonly string[]): string[] {
  return args.flatMap((arg) => (fs.existsSync(arg) && fs.statSync(arg).isDirectory() ? listFixtureFiles(arg) : [arg]));
}

/** Loads and checks every file; a bad one is a usage error naming the file and the JSON path. */
function loadAll(files: readonly string[]): { loaded: { file: string; fixture: AnyFixture }[]; errors: string[] } {
  const loaded: { file: string; fixture: AnyFixture }[] = [];
  const errors: string[] = [];
  for (const file of files) {
    try {
      const fixture = loadAnyFixture(file);
      try {
        if (!isTraceFixture(fixture)) checkSpec(fixture.engine);
      } catch (err) {
        throw new FixtureError(file, [{ path: '/engine', message: (err as Error).message }]);
      }
      loaded.push({ file, fixture });
    } catch (err) {
      if (!(err instanceof FixtureError)) throw err;
      errors.push(fixtureErrorLine(err));
    }
  }
  return { loaded, errors };
}

/** Re-checks one fixture (ops replayed on its engine, or a recorded trace); prints its timeline and verdict. */
function replayOne(file: string, f: AnyFixture, quiet: boolean, io: CliIo): boolean {
  const r = checkFixture(f);
  if (!quiet) {
    const what = isTraceFixture(f) ? `a recorded trace of ${f.trace.length} events` : `${engineId(f.engine)}${Object.entries(f.engine.knobs ?? {}).map(([k, v]) => ` ${k}=${String(v)}`).join('')}, ${f.ops.length} ops`;
    const timeline = r.events.length > 0 ? [timelineOf(r.events, r.found ?? r.violations[0]), ''] : [];
    println(io, `== ${file}`, `${f.name} [${f.status ?? 'unlabelled'}] on ${what}`, f.description, '', ...timeline);
  }
  println(io, `${file}: ${r.detail}`);
  if (!quiet) println(io, '');
  return r.ok;
}

export function replayCommand(argv: readonly string[], io: CliIo): number {
  const a = parseArgs('replay', argv, REPLAY_FLAGS, true);
  if (a.positionals.length === 0) throw new UsageError('replay: expected at least one fixture file or directory (e.g. lazymm replay fixtures/*.json)');
  let files: string[];
  try {
    files = expand(a.positionals);
  } catch (err) {
    if (err instanceof FixtureError) throw new UsageError(fixtureErrorLine(err));
    throw err;
  }
  if (files.length === 0) throw new UsageError(`replay: no fixture files in ${a.positionals.join(', ')}`);
  const { loaded, errors } = loadAll(files);
  if (errors.length > 0) {
    eprintln(io, ...errors.map((e) => `lazymm: ${e}`));
    return 2;
  }
  const dir = htmlDir(a.values);
  const html = dir !== undefined ? new HtmlReports(dir) : undefined;
  let changed = 0;
  for (const { file, fixture } of loaded) {
    if (!replayOne(file, fixture, a.switches.has('quiet'), io)) changed++;
    html?.add(path.basename(file, '.json'), fixture.status ?? 'fixture', reportOfFixture(file, fixture));
  }
  if (html) println(io, `wrote ${html.count} HTML report${html.count === 1 ? '' : 's'}: ${html.writeIndex('lazymm replay', `Reports of ${html.count} fixture${html.count === 1 ? '' : 's'} replayed by lazymm replay.`)}`);
  println(io, `replayed ${loaded.length} fixture${loaded.length === 1 ? '' : 's'}: ${loaded.length - changed} as recorded, ${changed} changed`);
  return changed === 0 ? 0 : 1;
}
