/**
 * Toy properties over the toy engine's traces, in the incremental-checker shape that
 * properties/index.ts's createTraceChecker() returns.
 */
import type { Violation } from '../../properties/property';
import type { InitEvent, TraceEvent } from '../../src/trace/events';
import type { CheckerFactory, TraceChecker } from '../monitored-run';

/**
 * A deliberately broken "property": no two CPUs may be inside __schedule() at once. Random runs
 * violate it quickly; the minimal counterexample has 2 or 3 ops (two schedules, plus a syscall
 * when no CPU starts in kernel mode).
 */
export const oneSchedulerAtATime: CheckerFactory = (_init: InitEvent): TraceChecker => {
  const inFlight = new Set<number>();
  return {
    observe(ev: TraceEvent, index: number): Violation[] {
      if (ev.k !== 'path' || ev.fn !== '__schedule') return [];
      if (ev.phase === 'end') {
        inFlight.delete(ev.cpu);
        return [];
      }
      inFlight.add(ev.cpu);
      if (inFlight.size < 2) return [];
      return [
        {
          property: 'toy-one-scheduler',
          clause: 'T1 two CPUs in __schedule',
          index,
          mm: null,
          cpus: [...inFlight],
          message: `event ${index}: CPUs ${[...inFlight].join(', ')} are in __schedule() together`,
          events: [index],
        },
      ];
    },
    finish: () => [],
  };
};

/** A property that always holds (every run passes). */
export const alwaysHolds: CheckerFactory = () => ({ observe: () => [], finish: () => [] });

/** A property that fails at the end of any run that applied at least `n` NMIs (a finish()-time check). */
export function atMostNmis(n: number): CheckerFactory {
  return () => {
    let nmis = 0;
    return {
      observe(ev) {
        if (ev.k === 'deref' && ev.who === 'nmi') nmis++;
        return [];
      },
      finish(): Violation[] {
        return nmis < n
          ? []
          : [{ property: 'toy-nmis', clause: 'N1 too many NMIs', index: -1, mm: null, cpus: [], message: `${nmis} NMIs`, events: [] }];
      },
    };
  };
}

/**
 * An injected window bug for the searches' tests: an NMI on one CPU while another CPU is between the
 * two steps of a switch to a kthread (rq->curr published, the lazy active_mm borrowed, switch_to not done).
 */
export const nmiInLazySwitch: CheckerFactory = (_init: InitEvent): TraceChecker => {
  const window = new Set<number>();
  return {
    observe(ev: TraceEvent, index: number): Violation[] {
      if (ev.k === 'task_mm' && ev.fn === 'context_switch' && ev.mm === null && ev.activeMm !== null) window.add(ev.cpu);
      if (ev.k === 'switch_to') window.delete(ev.cpu);
      if (ev.k !== 'deref' || ev.who !== 'nmi' || [...window].every((c) => c === ev.cpu)) return [];
      return [{ property: 'toy-window', clause: 'W1 NMI in a lazy switch', index, mm: null, cpus: [ev.cpu], message: `event ${index}`, events: [index] }];
    },
    finish: () => [],
  };
};
