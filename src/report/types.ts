/**
 * The data of one counterexample report (`lazymm report`, `--html DIR`): everything the page shows,
 * computed in TypeScript at report time and embedded in the page as JSON. The page's own script only
 * selects steps and fills the state panel from these values; it computes nothing about the kernel.
 */

/** One displayed value of the state panel, keyed `cpu0.loaded_mm`, `mm1.mm_count` (see ./snapshot.ts). */
export type StateValues = Record<string, string>;

/** One event of a step, as the timeline phrases it. */
export interface StepEvent {
  /** Index in the trace (event 0 is `init`). */
  i: number;
  k: string;
  fn: string;
  text: string;
}

/** One step: an op applied to the engine (ops reports) or one trace event (trace reports). Step 0 is boot. */
export interface Step {
  /** 0 = boot (the `init` event); otherwise 1 + the op's index (ops reports) or the event index (trace reports). */
  index: number;
  /** The CPU that executed it; null for boot. */
  cpu: number | null;
  /** The op as `formatOp` writes it (`cpu1 schedule(next=T2)`), or null (boot, trace reports). */
  op: string | null;
  /** The kernel function the step is labelled with. */
  fn: string;
  /** One line saying what the step did. */
  text: string;
  events: StepEvent[];
  /** The state after the step. */
  values: StateValues;
  /** Keys of `values` that this step changed. */
  changed: string[];
}

/** An IPI from its `ipi_send` step to its `ipi_handle` step (null: not handled within the steps shown). */
export interface IpiArrow {
  id: number;
  func: string;
  from: number;
  to: number;
  sendStep: number;
  handleStep: number | null;
}

export interface ViolationMark {
  property: string;
  clause: string;
  /** The event index the property fired at, and the step holding it. */
  event: number;
  step: number;
  message: string;
  /** The steps holding the events the explanation cites. */
  citedSteps: number[];
}

/** One engine's run of the ops (the report's main run, or a variant's base run). */
export interface RunData {
  engine: string;
  cpus: number;
  steps: Step[];
  ipis: IpiArrow[];
  violation: ViolationMark | null;
  /** Why the run stops before the last op (the engine does not enable it), if it does. */
  stopped: string | null;
}

/** The state panel's layout: which rows, columns and labels (values are per step). */
export interface StateLayout {
  cpus: number[];
  cpuFields: { key: string; label: string }[];
  /** Every mm that exists at some step, in creation order. */
  mms: string[];
  mmFields: { key: string; label: string }[];
}

export interface ReportData {
  format: 'lazymm-report/1';
  title: string;
  description: string;
  /** Fixture status, or 'counterexample' for a check result, or 'trace'. */
  status: string;
  /** `x86/refcount+no-lazy-mmgrab (knob=value, ...)`. */
  engineLine: string;
  /** `cpus=2 procs=1 threads=1 kthreads=0`, when known. */
  config: string | null;
  /** 'ops': steps are ops (state from the engine); 'trace': steps are events (state mirrored from the trace). */
  kind: 'ops' | 'trace';
  /** How the IRQ state was obtained: the engine's, the trace's IRQ events, or derived from paths. */
  irqSource: 'engine' | 'trace' | 'derived';
  main: RunData;
  /** For a variant: its base engine's run of the same ops, and the first step where the two differ. */
  base: (RunData & { divergence: number | null; divergenceNote: string }) | null;
  layout: StateLayout;
  /** The step selected when the page opens (the violation's, else the last). */
  initialStep: number;
  /** The membarrier.c-style timeline (src/render) for mail. */
  timeline: string;
  /** The ops, one per line (ops reports). */
  opsText: string | null;
  /** The command that replays the counterexample. */
  replayCommand: string;
  /** The verdict line (`as recorded: ...`, `FAIL ...`). */
  verdict: string;
  /** Trace reports of long traces show a window: the first event shown and the trace length. */
  window: { first: number; total: number } | null;
}
