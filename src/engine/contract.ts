/**
 * The engine contract: what any engine (lazymm's own or a foreign one) offers to the harness.
 *
 * An engine is an (arch, strategy, knobs) triple, optionally a named variant. It lists the ops
 * enabled in a state, applies one op (mutating the state) and returns the trace events the op
 * produced. It never throws on an op that it listed as enabled, and applying the same ops to the same
 * initial state always yields the same events. Engines import neither fast-check nor jest.
 */
import type { Arch, Strategy, TraceEvent } from '../trace/events';
import type { Op } from './ops';

/** The size of the modelled machine and workload. Small by default (2-4 CPUs). */
export interface ModelConfig {
  /** Number of CPUs (1..8). */
  cpus: number;
  /** Number of user processes at boot (0..4), each with its own mm. */
  procs: number;
  /** Threads per process at boot (1..4), sharing the process's mm. */
  threads: number;
  /** Number of kernel threads (0..3), not counting the per-CPU idle tasks. */
  kthreads: number;
  /** Upper bound on live+dead tasks created by fork/clone (default procs*threads + 3). */
  maxTasks?: number;
  /** Upper bound on non-static mms created by fork/exec (default procs + 3). */
  maxMms?: number;
}

export const DEFAULT_CONFIG: ModelConfig = { cpus: 3, procs: 2, threads: 2, kthreads: 1 };

export type KnobValue = string | number | boolean;
export type Knobs = Record<string, KnobValue>;

export interface EngineInfo {
  /** e.g. "x86/refcount" or "x86/refcount+no-lazy-mmgrab". */
  id: string;
  arch: Arch;
  strategy: Strategy;
  /** Fully resolved knob values (defaults filled in). */
  knobs: Knobs;
  /** Named variant (a historical or proposed bug), if any. */
  variant?: string;
}

export interface Engine<S = unknown> {
  readonly info: EngineInfo;
  /** A fresh initial state for `config`, and the trace's first event (`init`). */
  init(config: ModelConfig): { state: S; events: TraceEvent[] };
  /** The ops enabled in `state`, in a deterministic order. */
  enabled(state: S): Op[];
  /** Apply an op that `enabled(state)` listed; mutates `state`; returns the events produced. */
  apply(state: S, op: Op): TraceEvent[];
  /** A deep copy of `state` (for search and replay). */
  clone(state: S): S;
}
