/**
 * A mutant engine is the engine loaded from its sources with one file replaced by its mutated text,
 * in an isolated module registry: every file of src/engine is transpiled (TypeScript's
 * transpileModule, as ts-node --transpile-only does) and evaluated afresh for that mutant, so the
 * mutated code is seen by every engine module that imports it, while the process's own engine
 * (the differential base, the rest of lazymm) is untouched. Modules outside src/engine (the trace
 * types and constants) come from the ordinary `require`.
 *
 * Transpiled text of the unmutated files is cached (per process, and on disk under
 * node_modules/.cache/lazymm-mutants by content hash); a mutant costs the transpilation of
 * one file and the evaluation of the engine's modules (milliseconds).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import type { Engine } from '../engine/contract';
import type { KernelState } from '../engine/state';
import type { EngineSpec } from '../run/types';
import { ts } from './ast';
import { ENGINE_DIR } from './enumerate';

/** What a mutant's engine registry exports (src/engine/build.ts). */
export interface EngineFactory {
  createEngine(spec: EngineSpec): Engine<KernelState>;
}

const transpiled = new Map<string, string>();
/** Transpiled unmutated files survive the process here (keyed by content), as ts-jest's cache does. */
const DISK_CACHE = path.resolve(__dirname, '..', '..', 'node_modules', '.cache', 'lazymm-mutants');

function transpileCached(file: string, source: string): string {
  const key = createHash('sha1').update(ts.version).update('\0').update(file).update('\0').update(source).digest('hex');
  const cached = path.join(DISK_CACHE, `${key}.js`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    const js = transpile(file, source);
    try {
      fs.mkdirSync(DISK_CACHE, { recursive: true });
      fs.writeFileSync(`${cached}.${process.pid}`, js);
      fs.renameSync(`${cached}.${process.pid}`, cached);
    } catch {
      // A read-only checkout: no cache.
    }
    return js;
  }
}

function transpile(file: string, source: string): string {
  return ts.transpileModule(source, {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, isolatedModules: true },
  }).outputText;
}

/** Whether `require` loads .ts files here (ts-node's or jest's hook), i.e. we run from the sources. */
function canRequireTs(): boolean {
  return __filename.endsWith('.ts');
}

function resolveTs(from: string, request: string): string | null {
  const base = path.resolve(path.dirname(from), request);
  for (const f of [`${base}.ts`, path.join(base, 'index.ts')]) if (fs.existsSync(f)) return f;
  return null;
}

/**
 * The engine registry with `mutated` (a file relative to src/engine and its new text) in place of
 * that file; without it, a fresh copy of the unmutated engine. Throws when the mutated text does
 * not load (a syntax error is an operator's bug).
 */
export function loadEngineFactory(mutated?: { file: string; text: string }): EngineFactory {
  const mutatedPath = mutated ? path.join(ENGINE_DIR, mutated.file) : null;
  const registry = new Map<string, { exports: unknown }>();
  const load = (file: string): unknown => {
    const hit = registry.get(file);
    if (hit) return hit.exports;
    let js: string;
    if (file === mutatedPath && mutated) js = transpile(file, mutated.text);
    else {
      const cached = transpiled.get(file);
      js = cached ?? transpileCached(file, fs.readFileSync(file, 'utf8'));
      if (cached === undefined) transpiled.set(file, js);
    }
    const module = { exports: {} as unknown };
    registry.set(file, module);
    const req = (request: string): unknown => {
      if (request.startsWith('.')) {
        const target = resolveTs(file, request);
        if (target && target.startsWith(ENGINE_DIR + path.sep)) return load(target);
        // Outside src/engine (the trace types and constants): the process's own module when it can
        // load TypeScript (ts-node, jest), else (the compiled CLI) a transpiled copy of its source.
        if (target && !canRequireTs()) return load(target);
        return require(path.resolve(path.dirname(file), request));
      }
      return require(request);
    };
    const fn = vm.compileFunction(js, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: file });
    fn(module.exports, req, module, file, path.dirname(file));
    return module.exports;
  };
  return load(path.join(ENGINE_DIR, 'build.ts')) as EngineFactory;
}
