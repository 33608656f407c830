/** The toy SYNC_CORE engine, buggy configuration (the handler and the lazy return do not serialize). */
import { BUGGY, createToyEngine } from '../src/engine';

export const engine = createToyEngine(BUGGY, 'buggy');
