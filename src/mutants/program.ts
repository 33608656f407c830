/**
 * A TypeScript program over the engine's sources, for the operators that need declared types
 * (swap-arg, ./arguments.ts): the mutable files of src/engine and what they import, with the ES5
 * library only (array callbacks get their element types; nothing else of the library matters).
 * Built once per engine directory (about a second); a file given with other text than on disk (a
 * test's edited copy) gets a program of its own, built incrementally from that one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ts } from './ast';

const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  strict: true,
  skipLibCheck: true,
  noEmit: true,
  types: [],
  lib: ['lib.es5.d.ts', 'lib.es2015.symbol.d.ts', 'lib.es2015.iterable.d.ts', 'lib.es2015.collection.d.ts'],
};

interface Built {
  program: ts.Program;
  checker: ts.TypeChecker;
}

const memo = new Map<string, Built>();

function build(roots: string[], override?: { path: string; text: string }, old?: ts.Program): Built {
  const host = ts.createCompilerHost(OPTIONS, true);
  if (override) {
    const get = host.getSourceFile.bind(host);
    host.getSourceFile = (f, lang, onError, create) => (path.resolve(f) === override.path ? ts.createSourceFile(f, override.text, lang, true, ts.ScriptKind.TS) : get(f, lang, onError, create));
    const exists = host.fileExists.bind(host);
    host.fileExists = (f) => path.resolve(f) === override.path || exists(f);
    const read = host.readFile.bind(host);
    host.readFile = (f) => (path.resolve(f) === override.path ? override.text : read(f));
  }
  const program = ts.createProgram({ rootNames: roots, options: OPTIONS, host, oldProgram: old });
  return { program, checker: program.getTypeChecker() };
}

/**
 * The checker and the parsed file (its nodes belong to that checker's program) of `file` (relative
 * to `engineDir`) with text `text`; `files` are the mutable files, the program's roots.
 */
export function typedFile(engineDir: string, files: readonly string[], file: string, text: string): { checker: ts.TypeChecker; sf: ts.SourceFile } {
  const roots = files.map((f) => path.join(engineDir, f));
  let base = memo.get(engineDir);
  if (!base) memo.set(engineDir, (base = build(roots)));
  const abs = path.resolve(engineDir, file);
  let onDisk: string | null = null;
  try {
    onDisk = fs.readFileSync(abs, 'utf8');
  } catch {
    // A file of a test only.
  }
  const built = onDisk === text ? base : build(roots.includes(abs) ? roots : [...roots, abs], { path: abs, text }, base.program);
  const sf = built.program.getSourceFile(abs);
  if (!sf) throw new Error(`mutants: ${abs} is not in the engine's program`);
  return { checker: built.checker, sf };
}
