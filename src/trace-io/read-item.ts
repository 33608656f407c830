/** What the trace readers yield: the next valid event, or a problem with the input. */
import type { TraceEvent } from '../trace/events';
import type { TraceInputProblem } from './problems';

export type ReadItem = { event: TraceEvent; index: number } | { problem: TraceInputProblem };

/** Readers stop after this many problems: the first ones are what needs fixing. */
export const MAX_PROBLEMS = 10;
