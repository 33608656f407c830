/**
 * Steps as the swimlanes label them: each event phrased as the text timeline phrases it
 * (src/render/describe-event.ts), and a step's label: the kernel function of its first event that
 * changes something (barriers and path ends say less than what they close).
 */
import { describeEvent, type DescribeContext } from '../render/describe-event';
import type { TraceEvent } from '../trace/events';
import type { StepEvent } from './types';

/** Phrases the events of one trace in order (the context remembers each task's mms). */
export class EventPhraser {
  private readonly ctx: DescribeContext;

  constructor(events: readonly TraceEvent[]) {
    this.ctx = { tasks: new Map(), manyCalls: new Set(events.flatMap((e) => (e.k === 'membarrier' ? [e.call] : []))).size > 1 };
    const init = events[0];
    if (init?.k === 'init') for (const t of init.tasks) this.ctx.tasks.set(t.task, { mm: t.mm, activeMm: t.activeMm });
  }

  phrase(e: TraceEvent, i: number): StepEvent {
    let text: string;
    if (e.k === 'init') text = `start_kernel(): ${e.arch}/${e.strategy}`;
    else if (e.k === 'path') text = `${e.fn}() ${e.phase === 'begin' ? 'begins' : 'ends'} (${e.task})`;
    else if (e.k === 'mb') text = e.how === 'lock' ? `${e.fn}(): LOCK-prefixed, a full barrier` : 'smp_mb()';
    else if (e.k === 'serialize') text = `serialize (${e.how})`;
    // An event kind the renderer does not know yet (a newer trace) still gets a line of its own.
    else text = (describeEvent(e, this.ctx) as { text?: string } | undefined)?.text ?? `${e.k}${otherFields(e)}`;
    if (e.k === 'task_mm' || e.k === 'task_new') this.ctx.tasks.set(e.task, { mm: e.mm, activeMm: e.activeMm });
    return { i, k: e.k, fn: e.fn, text };
  }
}

/** ` (a=1, b=x)`: the fields of an event other than k, cpu and fn. */
function otherFields(e: TraceEvent): string {
  const rest = Object.entries(e).filter(([k]) => k !== 'k' && k !== 'cpu' && k !== 'fn');
  return rest.length ? ` (${rest.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')})` : '';
}

const quiet = (e: StepEvent): boolean => e.k === 'mb' || e.k === 'serialize' || (e.k === 'path' && / ends /.test(e.text));

/** The label of a step: its kernel function and one line (the first event that says something). */
export function stepLabel(events: readonly StepEvent[], fallback: string): { fn: string; text: string } {
  const main = events.find((e) => !quiet(e)) ?? events[0];
  if (!main) return { fn: fallback, text: '(a step that changes no traced state)' };
  return { fn: main.fn, text: main.text };
}
