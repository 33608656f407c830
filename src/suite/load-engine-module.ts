/**
 * Loading a foreign engine module for `lazymm generate-suite`: a JS or TS file that exports `engine`
 * (an object implementing the Engine contract) or `createEngine()` returning one. TypeScript modules
 * are loaded through ts-node when the process has no TypeScript loader yet.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Engine } from '../engine/contract';

/** An engine module that cannot be used, with a one-line reason. */
export class EngineModuleError extends Error {
  override readonly name = 'EngineModuleError';
}

const CONTRACT = 'a module exporting `engine` (or `createEngine()`) that implements the Engine contract of lazymm/engines (info, init, enabled, apply, clone)';

function registerTypeScript(file: string): void {
  // No `require.extensions` (jest's module system) or a .ts loader already there: nothing to do.
  const extensions = (require as { extensions?: Record<string, unknown> }).extensions;
  if (!/\.[cm]?ts$/.test(file) || extensions === undefined || extensions['.ts'] !== undefined) return;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('ts-node') as { register(o: object): void }).register({ transpileOnly: true });
  } catch {
    throw new EngineModuleError(`${file}: a TypeScript module needs ts-node to be loaded (npm install --save-dev ts-node), or pass the compiled .js file`);
  }
}

/** Whether `value` looks like an engine (the contract's members exist). */
export function isEngine(value: unknown): value is Engine<unknown> {
  const e = value as Partial<Engine<unknown>> | null;
  return !!e && typeof e === 'object' && typeof e.info?.id === 'string' && ['init', 'enabled', 'apply', 'clone'].every((m) => typeof (e as Record<string, unknown>)[m] === 'function');
}

/** The engine a module exports (`engine`, `createEngine()`, or the same under `default`). */
export function engineOf(mod: unknown, file: string): Engine<unknown> {
  const candidates = [mod, (mod as { default?: unknown } | null)?.default];
  for (const m of candidates) {
    if (!m || typeof m !== 'object') continue;
    const rec = m as { engine?: unknown; createEngine?: unknown };
    if (isEngine(rec.engine)) return rec.engine;
    if (typeof rec.createEngine === 'function') {
      const e: unknown = (rec.createEngine as () => unknown)();
      if (isEngine(e)) return e;
      throw new EngineModuleError(`${file}: createEngine() did not return an engine; expected ${CONTRACT}`);
    }
  }
  throw new EngineModuleError(`${file}: exports no engine; expected ${CONTRACT}`);
}

/** Loads `file` (absolute, or relative to the working directory) and returns its engine. */
export function loadEngineModule(file: string): { file: string; engine: Engine<unknown> } {
  const abs = path.resolve(file);
  const resolved = ['', '.ts', '.js'].map((ext) => abs + ext).find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
  if (resolved === undefined) {
    throw new EngineModuleError(`${file}: no such file${fs.existsSync(path.dirname(abs)) ? '' : ` (directory ${path.dirname(abs)} does not exist)`}; expected ${CONTRACT}`);
  }
  registerTypeScript(resolved);
  let mod: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(resolved);
  } catch (err) {
    throw new EngineModuleError(`${file}: loading it failed: ${(err as Error).message.split('\n')[0]}`);
  }
  return { file: resolved, engine: engineOf(mod, file) };
}
