/**
 * Properties written against the shared {@link Mirror}. Such a property supplies *hooks* that the
 * driver calls around the mirror's update, so several properties can share one mirror (one update
 * per event) when run together by createTraceChecker(); each property's `monitor()` still works on
 * its own, with a private mirror.
 */
import type { CpuId, InitEvent, TraceEvent } from '../../src/trace/events';
import type { Property, PropertyMonitor, Violation } from '../property';
import { MirrorDriver } from './driver';
import type { Mirror } from './mirror';
import type { KeyContext } from './state-key';

/**
 * What a mirror-based property does per event. Every hook may return the property's first
 * violation; after that the driver calls no more hooks of that property.
 */
export interface MirrorHooks {
  /** Once, before any event after `init`: checks of the init event itself (reported at index 0). */
  start?(): Violation | null;
  /** Before the mirror applies event `i` (the mirror shows the state just before it). */
  before?(ev: TraceEvent, i: number): Violation | null;
  /** After the mirror applied event `i`. */
  after?(ev: TraceEvent, i: number): Violation | null;
  /**
   * An atomic step of `cpu` ended with event `i`: the next event comes from another CPU, or a new
   * path begins on `cpu`, or the trace ends. The trace has no op boundaries, so a maximal run of
   * events of one CPU is taken as one atomic step; state invariants are checked here so that the
   * intermediate states inside one step (which no other CPU can observe) never fire.
   */
  settle?(cpu: CpuId, i: number): Violation | null;
  /** End of trace (after the final settle). */
  finish?(): Violation | null;
  /**
   * A copy of this hook object that reads `mirror` (a clone of the mirror this one reads), with
   * every piece of mutable state deep-copied: the copy and the original then evolve independently.
   * O(state), never a replay. The rule (docs/properties.md "Property state as data"): all mutable
   * state lives in plain fields of the hook object (or of objects in its fields), never in closures.
   */
  clone(mirror: Mirror): MirrorHooks;
  /**
   * The part of the state that can change a future verdict, as a canonical string (ids renamed,
   * trace indices written relative to what they are compared with: ./state-key.ts). Two hook
   * objects with equal keys (over equal mirrors) must give the same verdicts on every continuation.
   * Event references that only feed messages are left out.
   */
  key(k: KeyContext): string;
}

/** A property implemented as hooks on a shared mirror (its `monitor()` uses a private one). */
export interface MirrorProperty extends Property {
  /** The property's hooks on a mirror that the caller updates (see {@link MirrorDriver}). */
  hooks(mirror: Mirror, init: InitEvent): MirrorHooks;
  /**
   * Its hooks' key() honours KeyContext.rename (every task and mm name written renamed, before any
   * sort: ./state-key.ts), so the explorer's symmetry reduction may merge states equal up to a
   * renaming of processes or kthreads (src/explore/symmetry.ts). Without it `explore --symmetry` refuses the property.
   */
  symmetricKey?: boolean;
}

/** Whether `p` can share a mirror with other properties. */
export function isMirrorProperty(p: Property): p is MirrorProperty {
  return typeof (p as Partial<MirrorProperty>).hooks === 'function';
}

/** A {@link MirrorProperty} with `monitor()` derived from its hooks (a private mirror per monitor). */
export function defineMirrorProperty(spec: Omit<MirrorProperty, 'monitor'>): MirrorProperty {
  const p: MirrorProperty = {
    ...spec,
    monitor(init: InitEvent): PropertyMonitor {
      const driver = new MirrorDriver(init, [p]);
      return {
        observe: (ev, i) => driver.observe(ev, i)[0] ?? null,
        finish: () => driver.finish()[0] ?? null,
      };
    },
  };
  return p;
}
