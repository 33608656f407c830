/** The toy SYNC_CORE engine, correct configuration: a module `lazymm generate-suite --engine` accepts. */
import { CORRECT, createToyEngine } from '../src/engine';

export const engine = createToyEngine(CORRECT, 'correct');
