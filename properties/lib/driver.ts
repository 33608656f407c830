/**
 * Runs several mirror-based properties over one {@link Mirror}: per event, settle the previous
 * atomic step if it ended, call every live property's `before` hook, update the mirror, call every
 * `after` hook. A property that reported its first violation is not called again.
 *
 * This is the inner loop of every check (millions of events per second), so the hooks are kept in
 * one array per kind (a property without a hook costs nothing) and an event with no violation
 * allocates nothing: it returns the shared empty array NO_VIOLATIONS.
 */
import type { CpuId, InitEvent, TraceEvent } from '../../src/trace/events';
import type { Violation } from '../property';
import { Mirror } from './mirror';
import type { MirrorHooks, MirrorProperty } from './mirror-property';
import type { NameRenaming, Renamings } from './state-key';

/** What observe() and finish() return when nothing was violated (frozen: callers only read it). */
export const NO_VIOLATIONS: Violation[] = Object.freeze([]) as unknown as Violation[];

/**
 * The indices of the properties of `all` that have a hook of `kind`. The hook is called as a method
 * of its object (`all[p].before(ev, i)`): nothing is bound per driver, so a clone (the explorer
 * makes one per transition) shares these lists with its original and allocates no closures.
 */
function hooksOf(all: readonly MirrorHooks[], kind: keyof MirrorHooks): number[] {
  const out: number[] = [];
  all.forEach((h, p) => {
    if (h[kind] !== undefined) out.push(p);
  });
  return out;
}

/** One shared mirror and the hooks of several mirror-based properties (see the file comment). */
export class MirrorDriver {
  readonly mirror: Mirror;
  private readonly done: boolean[];
  private readonly all: MirrorHooks[];
  /** Indices (in `all`) of the properties with a before / after / settle hook. */
  private readonly before: readonly number[];
  private readonly after: readonly number[];
  private readonly settles: readonly number[];
  private started = false;
  /** The CPU whose atomic step is in progress (null: none since the last settle). */
  private stepCpu: CpuId | null = null;
  private stepEnd = 0;

  constructor(init: InitEvent, properties: readonly MirrorProperty[], from?: MirrorDriver) {
    this.mirror = from === undefined ? new Mirror(init) : from.mirror.clone();
    this.all = from === undefined ? properties.map((p) => p.hooks(this.mirror, init)) : from.all.map((h) => h.clone(this.mirror));
    this.done = from === undefined ? this.all.map(() => false) : [...from.done];
    // A clone's hook objects are clones of its original's, with the same hooks.
    this.before = from === undefined ? hooksOf(this.all, 'before') : from.before;
    this.after = from === undefined ? hooksOf(this.all, 'after') : from.after;
    this.settles = from === undefined ? hooksOf(this.all, 'settle') : from.settles;
    if (from !== undefined) {
      this.started = from.started;
      this.stepCpu = from.stepCpu;
      this.stepEnd = from.stepEnd;
    }
  }

  /**
   * An independent copy: the mirror and every property's state cloned (MirrorHooks.clone()), so
   * the copy can be fed a different continuation. O(state). `init` and `properties` must be the
   * ones this driver was built with.
   */
  clone(init: InitEvent, properties: readonly MirrorProperty[]): MirrorDriver {
    return new MirrorDriver(init, properties, this);
  }

  /** The live hook objects (a property that reported its violation is left out), in property order. */
  liveHooks(): MirrorHooks[] {
    return this.all.filter((_, p) => !this.done[p]);
  }

  /**
   * The properties' part of a state key (MirrorHooks.key() of every live property, with the CPU of
   * the step in progress, and the name renaming of symmetry reduction if any). The mirror's own part is written by the caller (src/explore/monitor.ts).
   */
  propertyKey(ids: Renamings, rename?: NameRenaming): string {
    const k = rename === undefined ? { ids, stepCpu: this.stepCpu } : { ids, stepCpu: this.stepCpu, rename };
    let out = '';
    for (let p = 0; p < this.all.length; p++) out += this.done[p] ? '|x' : `|${this.all[p].key(k)}`;
    return out;
  }

  /** Observes event `i`; returns the violations found at it (at most one per property). */
  observe(ev: TraceEvent, i: number): readonly Violation[] {
    let out = this.started ? NO_VIOLATIONS : this.start();
    if (ev.k === 'init') return out;
    if (this.stepCpu !== null && (ev.cpu !== this.stepCpu || (ev.k === 'path' && ev.phase === 'begin'))) {
      out = this.settle(out);
    }
    out = this.runHooks(this.before, false, ev, i, out);
    this.mirror.apply(ev, i);
    out = this.runHooks(this.after, true, ev, i, out);
    this.stepCpu = ev.cpu;
    this.stepEnd = i;
    return out;
  }

  /** Calls the live properties' `hooks` on event `i`; returns `out` with their violations added. */
  private runHooks(hooks: readonly number[], after: boolean, ev: TraceEvent, i: number, out: Violation[]): Violation[] {
    for (let k = 0; k < hooks.length; k++) {
      const p = hooks[k];
      if (this.done[p]) continue;
      const h = this.all[p] as Required<MirrorHooks>;
      const v = after ? h.after(ev, i) : h.before(ev, i);
      if (v !== null) out = this.record(p, v, out);
    }
    return out;
  }

  /** End of trace: settles the last step and runs the end-of-trace checks. */
  finish(): readonly Violation[] {
    let out = this.started ? NO_VIOLATIONS : this.start();
    out = this.settle(out);
    this.all.forEach((h, p) => {
      if (!this.done[p] && h.finish) {
        const v = h.finish();
        if (v !== null) out = this.record(p, v, out);
      }
    });
    return out;
  }

  /**
   * Ends the atomic step in progress here (settles it: the properties' pending checks run) without
   * ending the trace: what observe() does when the next event is another CPU's. The explorer calls it
   * at every op boundary (src/explore/monitor.ts ExploreMonitor.endOp()).
   */
  endStep(): readonly Violation[] {
    return this.settle(this.started ? NO_VIOLATIONS : this.start());
  }

  private start(): Violation[] {
    this.started = true;
    let out = NO_VIOLATIONS;
    this.all.forEach((h, p) => {
      if (h.start) {
        const v = h.start();
        if (v !== null) out = this.record(p, v, out);
      }
    });
    return out;
  }

  private settle(out: Violation[]): Violation[] {
    const cpu = this.stepCpu;
    if (cpu === null) return out;
    this.stepCpu = null;
    for (const p of this.settles) {
      if (this.done[p]) continue;
      const v = (this.all[p] as Required<Pick<MirrorHooks, 'settle'>>).settle(cpu, this.stepEnd);
      if (v !== null) out = this.record(p, v, out);
    }
    return out;
  }

  /** Marks property `p` done and adds its violation (copying the shared empty array on first use). */
  private record(p: number, v: Violation, out: Violation[]): Violation[] {
    this.done[p] = true;
    const next = out === NO_VIOLATIONS ? [] : out;
    next.push(v);
    return next;
  }
}
