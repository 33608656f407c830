/**
 * Runs several mirror-based properties over one {@link Mirror}: per event, settle the previous
 * atomic step if it ended, call every live property's `before` hook, update the mirror, call every
 * `after` hook. A property that reported its first violation is not called again.
 */
import type { CpuId, InitEvent, TraceEvent } from '../../src/trace/events';
import type { Violation } from '../property';
import { Mirror } from './mirror';
import type { MirrorHooks, MirrorProperty } from './mirror-property';

interface Entry {
  hooks: MirrorHooks;
  done: boolean;
}

/** One shared mirror and the hooks of several mirror-based properties (see the file comment). */
export class MirrorDriver {
  readonly mirror: Mirror;
  private readonly entries: Entry[];
  private started = false;
  /** The CPU whose atomic step is in progress (null: none since the last settle). */
  private stepCpu: CpuId | null = null;
  private stepEnd = 0;

  constructor(init: InitEvent, properties: readonly MirrorProperty[]) {
    this.mirror = new Mirror(init);
    this.entries = properties.map((p) => ({ hooks: p.hooks(this.mirror, init), done: false }));
  }

  /** Observes event `i`; returns the violations found at it (at most one per property). */
  observe(ev: TraceEvent, i: number): Violation[] {
    const out: Violation[] = [];
    this.start(out);
    if (ev.k === 'init') return out;
    if (this.stepCpu !== null && (ev.cpu !== this.stepCpu || (ev.k === 'path' && ev.phase === 'begin'))) {
      this.settle(out);
    }
    for (const e of this.entries) if (!e.done && e.hooks.before) this.record(e, e.hooks.before(ev, i), out);
    this.mirror.apply(ev, i);
    for (const e of this.entries) if (!e.done && e.hooks.after) this.record(e, e.hooks.after(ev, i), out);
    this.stepCpu = ev.cpu;
    this.stepEnd = i;
    return out;
  }

  /** End of trace: settles the last step and runs the end-of-trace checks. */
  finish(): Violation[] {
    const out: Violation[] = [];
    this.start(out);
    this.settle(out);
    for (const e of this.entries) if (!e.done && e.hooks.finish) this.record(e, e.hooks.finish(), out);
    return out;
  }

  private start(out: Violation[]): void {
    if (this.started) return;
    this.started = true;
    for (const e of this.entries) if (e.hooks.start) this.record(e, e.hooks.start(), out);
  }

  private settle(out: Violation[]): void {
    const cpu = this.stepCpu;
    if (cpu === null) return;
    this.stepCpu = null;
    for (const e of this.entries) if (!e.done && e.hooks.settle) this.record(e, e.hooks.settle(cpu, this.stepEnd), out);
  }

  private record(e: Entry, v: Violation | null, out: Violation[]): void {
    if (v === null) return;
    e.done = true;
    out.push(v);
  }
}
