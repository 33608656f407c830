/**
 * How likely each op is in a random interleaving.
 *
 * A uniform choice among enabled ops wastes most of a run: `schedule` alone is enabled once per
 * (CPU, runnable task) pair, and the races of the scenario catalogue (kernel-model.md section 6)
 * need a few specific ops to meet inside a kernel path that is still in flight on another CPU. So the
 * choice is made in two stages (see ./pick.ts): first an op *kind* by {@link Weights.kinds} (so a
 * kind's probability does not depend on how many instances of it are enabled), then an instance of
 * that kind by {@link Weights.instance}, which may look at the machine through the trace view.
 *
 * The reasoning behind the figures:
 * - `step` is the heaviest: every window (context_switch, exit_mm, exec_mmap, kthread_use_mm,
 *   membarrier, flush, text_poke, efi, hotplug) is a multi-step path, and a path that never
 *   progresses never reaches the state a race needs. But not so heavy that paths always finish
 *   before another CPU acts: races need ops of other CPUs *between* steps.
 * - Window openers are common: schedule/preempt (to and from kthreads and idle: the lazy switch and
 *   the lazy return), exit, exec, kthread_use_mm/unuse_mm, text_poke, efi_call, membarrier and its
 *   registration (a PRIVATE command of an unregistered mm is a no-op -EPERM; GLOBAL_EXPEDITED only
 *   IPIs registered mms), flush_tlb (freed_tables is the one that reaches lazy CPUs) and IPI
 *   delivery (with `next`: Andy's "IPI return that schedules and then SYSRETs").
 * - syscall/return_to_user are moderate: they toggle user mode, which membarrier's scan and IPI
 *   delivery care about, but on their own open no window.
 * - nmi and hw_walk are rare: they only *read* (deref events) and matter at a few points.
 * - cpu_down/cpu_up are rare but present: hotplug is a long path that removes a CPU from the races
 *   for the rest of the run, so frequent hotplug would starve everything else.
 * - fork is moderate: it is bounded by maxTasks/maxMms anyway and mostly feeds exit/exec.
 * - Some ops are only worth much in some states (a membarrier of a *registered* mm, an exit while
 *   another CPU uses the mm, kthread_use_mm on a lazy CPU): ./weight-rules.ts boosts their kind then.
 *
 * Races (the named variants of src/engine/variants.ts) need more than common window openers: a
 * membarrier call must meet an exit in its few steps, a lazy CPU must come back to a thread that
 * SYSRETs after a SYNC_CORE call skipped it, a shootdown IPI must land inside exec_mmap()'s window.
 * ./race-focus.ts and ./tlb-focus.ts derive from the trace where such a race stands, and the rules
 * of ./weight-rules.ts push the CPU that must act next (and hold back the one that must wait). Two
 * sets of kind weights (profiles) serve the two families: DEFAULT_WEIGHTS the lazy-TLB one,
 * MEMBARRIER_WEIGHTS the membarrier one (threads of one mm side by side, registrations, calls);
 * a check draws a profile per run (DEFAULT_PROFILES), or takes the one its properties need
 * (check.ts profilesFor). test/variants/measure.ts measures what it takes to catch each variant.
 *
 * Tuned by measuring scenario coverage (./statistics.ts) on x86/refcount, 200 runs x 120 ops, over
 * seeds 1-8. The rarest classes before the boosts: SYNC_CORE scan of an mm-less CPU in 1-6 runs of
 * 200, kthread_use_mm while lazy 4-13; after: 5-20 and 24-43, every other required class in 3 runs
 * or more (mm freed by a lazy drop being the rarest), cpu hotplug in 33-48. Weights are integers,
 * so they are scaled up to leave cpu_down (1) well below everything else.
 */
import type { Op, OpKind } from '../src/engine/ops';
import type { TraceView } from './trace-view';
import { defaultInstanceWeight, defaultKindBoost } from './weight-rules';

/** Two-stage weights: per op kind, then per enabled instance of a kind. Weights are integers >= 0. */
export interface Weights {
  /** Weight of each op kind; kinds not listed (e.g. added to the engine later) weigh `fallbackKind`. */
  kinds: Partial<Record<OpKind, number>>;
  /** Weight of a kind missing from `kinds`. */
  fallbackKind: number;
  /** Relative weight of one enabled instance within its kind (default 1); `view` is before the op. */
  instance(op: Op, view: TraceView): number;
  /**
   * Optional multiplier of a whole kind's weight while `op` is enabled (the largest over the kind's
   * enabled instances; default 1). For ops that are only worth much in some states, e.g. a
   * membarrier command the caller's mm has registered.
   */
  boost?(op: Op, view: TraceView): number;
}

/** Kind weights of {@link DEFAULT_WEIGHTS}. */
export const DEFAULT_KIND_WEIGHTS: Readonly<Record<OpKind, number>> = {
  step: 90,
  schedule: 28,
  preempt: 12,
  syscall: 12,
  return_to_user: 16,
  ipi: 24,
  fork: 10,
  exec: 10,
  exit: 14,
  membarrier: 16,
  membarrier_register: 12,
  flush_tlb: 12,
  text_poke: 10,
  efi_call: 10,
  mmget_not_zero: 6,
  mmput: 4,
  kthread_use_mm: 12,
  kthread_unuse_mm: 10,
  nmi: 3,
  hw_walk: 3,
  idle_leave_mm: 6,
  cpu_down: 1,
  cpu_up: 4,
};

/** The weights tuned for the scenario catalogue. */
export const DEFAULT_WEIGHTS: Weights = {
  kinds: DEFAULT_KIND_WEIGHTS,
  fallbackKind: 6,
  instance: defaultInstanceWeight,
  boost: defaultKindBoost,
};

/**
 * Kind weights of {@link MEMBARRIER_WEIGHTS}: a machine busy with user threads, syscalls and
 * membarrier, where the TLB-only paths (text_poke, EFI, flushes, hotplug, NMIs) are rare.
 */
export const MEMBARRIER_KIND_WEIGHTS: Readonly<Record<OpKind, number>> = {
  step: 90,
  schedule: 16,
  preempt: 8,
  syscall: 24,
  return_to_user: 24,
  ipi: 30,
  fork: 8,
  exec: 2,
  exit: 10,
  membarrier: 24,
  membarrier_register: 20,
  flush_tlb: 2,
  text_poke: 1,
  efi_call: 1,
  mmget_not_zero: 6,
  mmput: 2,
  kthread_use_mm: 12,
  kthread_unuse_mm: 10,
  nmi: 1,
  hw_walk: 1,
  idle_leave_mm: 1,
  cpu_down: 0,
  cpu_up: 4,
};

/** Weights for the membarrier races (C3, C4): same rules as DEFAULT_WEIGHTS, other kind weights. */
export const MEMBARRIER_WEIGHTS: Weights = {
  kinds: MEMBARRIER_KIND_WEIGHTS,
  fallbackKind: 2,
  instance: defaultInstanceWeight,
  boost: defaultKindBoost,
};

/** Every enabled op kind equally likely, and every instance within a kind (for comparison and tests). */
export const UNIFORM_WEIGHTS: Weights = {
  kinds: {},
  fallbackKind: 1,
  instance: () => 1,
};

/**
 * The default profiles: each run of a check draws one. DEFAULT_WEIGHTS drives the lazy-TLB
 * scenarios (switches to kthreads and idle, temporary mms, flushes, hotplug), MEMBARRIER_WEIGHTS
 * the membarrier races (threads of one mm side by side, registrations, calls); one set of weights
 * for both starves one or the other.
 */
export const DEFAULT_PROFILES: readonly Weights[] = [DEFAULT_WEIGHTS, MEMBARRIER_WEIGHTS];
