/** The generated suite's engine.ts: which engine module the suite tests. */

/** `modulePath` is the engine module relative to the suite directory, POSIX style, without extension. */
export function engineModuleTs(modulePath: string, engineId: string): string {
  return `/**
 * The engine under test: ${engineId}, from ${modulePath} (the module given to
 * lazymm generate-suite --engine), or the module named by $LAZYMM_ENGINE_MODULE (a path, absolute or
 * relative to the working directory), for example to run this suite against another configuration.
 */
import * as path from 'node:path';
import { loadEngine } from './harness';

/** The module the suite was generated for. */
export const DEFAULT_ENGINE_MODULE = path.join(__dirname, ${quote(modulePath)});

export const engineModule = process.env.LAZYMM_ENGINE_MODULE ? path.resolve(process.env.LAZYMM_ENGINE_MODULE) : DEFAULT_ENGINE_MODULE;

export const engine = loadEngine(engineModule);
`;
}

/** `s` as a single-quoted TypeScript string literal. */
export const quote = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
