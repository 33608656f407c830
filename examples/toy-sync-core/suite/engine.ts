// lazymm-generated sha256:1021da248eb210487d4be49f63e7d56d6b044228ac0661159cbf4a1fab3abcee (lazymm generate-suite rewrites this file while it is unedited; once you edit it, it is yours)
/**
 * The engine under test: toy-sync-core/correct, from ../engines/correct (the module given to
 * lazymm generate-suite --engine), or the module named by $LAZYMM_ENGINE_MODULE (a path, absolute or
 * relative to the working directory), for example to run this suite against another configuration.
 */
import * as path from 'node:path';
import { loadEngine } from './harness';

/** The module the suite was generated for. */
export const DEFAULT_ENGINE_MODULE = path.join(__dirname, '../engines/correct');

export const engineModule = process.env.LAZYMM_ENGINE_MODULE ? path.resolve(process.env.LAZYMM_ENGINE_MODULE) : DEFAULT_ENGINE_MODULE;

export const engine = loadEngine(engineModule);
