/**
 * A fingerprint of the code an exploration result depends on. A cached or recorded result
 * (bench/minima.json, the bench's cache) is valid only under the same fingerprint: after a change
 * there, a minimum or a "clean to depth d" is a claim about other code.
 *
 * What it covers: every module the explorer runs, found by following the runtime imports of its
 * entry points (FINGERPRINT_ENTRIES) through the project's sources: the search, its worker thread,
 * the engines, the properties and what they load (src/trace, src/findings.ts, ...), and the table
 * that turns a variant into the engine, property and differential base it is searched with. Each
 * module is hashed as TypeScript emits it (transpileModule, comments removed, types erased), so an
 * edit to a comment or a type cannot invalidate an hour-long search, while any edit to code that
 * runs does. A module only imported for its types is not loaded and not hashed.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..');

/**
 * Where the explorer starts: the single-threaded search, the two-worker coordinator, the module a
 * worker thread runs (started by path, not imported), and variant-check, which decides the fix
 * knobs, the property and the differential base of `explore --variant`.
 */
export const FINGERPRINT_ENTRIES = ['src/explore/explore.ts', 'src/explore/parallel.ts', 'src/explore/worker-main.ts', 'arbitraries/variant-check.ts'];

/**
 * Hashed without following their imports: the explore command's exploreTarget() (a variant's
 * search target) lives with the command-line code, whose imports (the shrinker, the renderers)
 * cannot change what a search finds.
 */
export const FINGERPRINT_ALONE = ['src/explore/command.ts'];

/** A module as TypeScript emits it: no comments, no types, the formatting of the printer. */
function emitted(file: string): string {
  const source = fs.readFileSync(file, 'utf8');
  if (!file.endsWith('.ts')) return source;
  return ts.transpileModule(source, {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, resolveJsonModule: true, removeComments: true },
  }).outputText;
}

const RELATIVE_REQUIRE = /\brequire\("(\.{1,2}\/[^"]+)"\)/g;

/** The file a relative require names, from `from`'s directory (a .ts module, a directory's index.ts, or a data file). */
function resolveRequire(from: string, spec: string): string {
  const base = path.join(path.dirname(from), spec);
  const found = [`${base}.ts`, path.join(base, 'index.ts'), base].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
  if (found === undefined) throw new Error(`code fingerprint: ${from} requires ${spec}, which is not a file of the project`);
  return found;
}

/** Every module the entries load (project-relative paths, sorted), each with its emitted text. */
export function fingerprintModules(root = ROOT): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (file: string, follow: boolean) => {
    const rel = path.relative(root, file).split(path.sep).join('/');
    if (out.has(rel)) return;
    const text = emitted(file);
    out.set(rel, text);
    if (follow) for (const m of text.matchAll(RELATIVE_REQUIRE)) visit(resolveRequire(file, m[1]), true);
  };
  for (const e of FINGERPRINT_ENTRIES) visit(path.join(root, e), true);
  for (const e of FINGERPRINT_ALONE) visit(path.join(root, e), false);
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function codeFingerprint(root = ROOT): string {
  const h = createHash('sha1');
  for (const [rel, text] of fingerprintModules(root)) h.update(rel).update('\0').update(text).update('\0');
  return h.digest('hex').slice(0, 16);
}
