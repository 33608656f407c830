/**
 * How to start an explorer worker thread: from dist/ (the compiled package, bin/lazymm.js) the
 * thread runs worker-main.js; from the TypeScript sources (ts-node, `npm run lazymm`, jest) the
 * thread loads worker-main.ts through a require hook for .ts files that transpiles each file once
 * (TypeScript's transpileModule, as ts-node --transpile-only does) into a cache keyed by the SHA-1
 * of the source, under the project's node_modules/.cache (nothing is written outside the project). The coordinator fills the cache with the
 * files worker-main.ts imports (warmTranspileCache) before starting the threads, so a worker does
 * not load the compiler (ts-node in every thread took ~13 s on a loaded 2-core machine).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';

// Only used when running from the sources (src/explore -> the project root): node_modules/.cache is
// where build tools keep such caches, ignored by git and removed with node_modules.
const CACHE_DIR = join(__dirname, '..', '..', 'node_modules', '.cache', 'lazymm-worker-ts');

/**
 * The hook, as source (the thread runs it before worker-main.ts): it must not need TypeScript
 * itself. Kept in step with `cachedJs` below (same key, same options).
 */
const HOOK = `
const fs = require('fs'), path = require('path'), crypto = require('crypto');
const dir = ${JSON.stringify(CACHE_DIR)};
let ts = null;
require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const file = path.join(dir, crypto.createHash('sha1').update(filename).update('\\0').update(source).digest('hex') + '.js');
  let js;
  try { js = fs.readFileSync(file, 'utf8'); } catch {
    ts ??= require('typescript');
    js = ts.transpileModule(source, { fileName: filename, compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, resolveJsonModule: true } }).outputText;
    try { fs.mkdirSync(dir, { recursive: true }); const tmp = file + '.' + process.pid + '.' + require('worker_threads').threadId; fs.writeFileSync(tmp, js); fs.renameSync(tmp, file); } catch {}
  }
  module._compile(js, filename);
};
`;

/** The cache file of a .ts source (the hook's key). */
function cacheFile(filename: string, source: string): string {
  return join(CACHE_DIR, `${createHash('sha1').update(filename).update('\0').update(source).digest('hex')}.js`);
}

/** The project's .ts files `entry` imports, directly or not (relative imports only: the packages are JavaScript). */
function importGraph(entry: string): string[] {
  const seen = new Set<string>([entry]);
  const todo = [entry];
  const spec = /(?:\bfrom|\bimport|\brequire\()\s*['"](\.{1,2}\/[^'"]+)['"]/g;
  while (todo.length > 0) {
    const file = todo.pop() as string;
    for (const m of readFileSync(file, 'utf8').matchAll(spec)) {
      const base = join(dirname(file), m[1]);
      const found = [`${base}.ts`, join(base, 'index.ts'), base].find((f) => f.endsWith('.ts') && existsSync(f));
      if (found !== undefined && !seen.has(found)) {
        seen.add(found);
        todo.push(found);
      }
    }
  }
  return [...seen];
}

/**
 * Transpile into the cache every .ts file the worker imports that is not there yet (once, here,
 * rather than in every thread). Loads TypeScript only when one is missing.
 */
function warmTranspileCache(entry: string): void {
  let ts: typeof import('typescript') | null = null;
  for (const filename of importGraph(entry)) {
    const source = readFileSync(filename, 'utf8');
    const file = cacheFile(filename, source);
    if (existsSync(file)) continue;
    ts ??= require('typescript') as typeof import('typescript');
    const js = ts.transpileModule(source, { fileName: filename, compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, resolveJsonModule: true } }).outputText;
    try {
      mkdirSync(CACHE_DIR, { recursive: true });
      const tmp = `${file}.${process.pid}`;
      writeFileSync(tmp, js);
      renameSync(tmp, file);
    } catch {
      return; // no cache: the workers transpile what they need
    }
  }
}

export function startWorker(workerData: unknown): Worker {
  const options: WorkerOptions = { workerData };
  if (!__filename.endsWith('.ts')) return new Worker(join(__dirname, 'worker-main.js'), options);
  return new Worker(`${HOOK}\nrequire(${JSON.stringify(join(__dirname, 'worker-main.ts'))});`, { ...options, eval: true });
}

/** Before starting workers from sources: fill the transpile cache once (no-op from dist/). */
export function prepareWorkers(): void {
  if (__filename.endsWith('.ts')) warmTranspileCache(join(__dirname, 'worker-main.ts'));
}
