/** FROZEN COPY of arbitraries/weights.ts + weight-rules.ts as they were before the variant tuning (for measure.ts's before/after comparison only). */
/**
 * The state-dependent parts of the default weights (./weights.ts): which instance of a kind to
 * favour, and when to boost a whole kind. Each rule names the scenario (kernel-model.md section 6)
 * it serves; the trace view gives the state before the op.
 */
import type { Op } from '../../src/engine/ops';
import type { TraceView } from '../../arbitraries/trace-view';
// A kernel fact, not a tuning: shared with the live rules.
import { isReady } from '../../arbitraries/weight-rules';

/**
 * Instance weights of {@link DEFAULT_WEIGHTS}: favour the variant of each op that opens a lazy-TLB
 * window over the plain one.
 */
export function baselineInstanceWeight(op: Op, view: TraceView): number {
  switch (op.op) {
    case 'schedule':
    case 'preempt':
      // Switching to or from a task without an mm is what makes a CPU lazy or ends its laziness.
      return view.isMmless(op.next) || view.isMmless(view.current(op.cpu)) ? 4 : 1;
    case 'ipi':
      // Rescheduling on the IPI return path is the scenario of Andy's SYNC_CORE patch.
      return op.next !== undefined && op.next !== view.current(op.cpu) ? 3 : 1;
    case 'flush_tlb':
      // Only a freed_tables flush must reach lazy CPUs (x86 should_flush_tlb()).
      return op.freedTables ? 3 : 1;
    case 'membarrier': {
      // A PRIVATE command of an unregistered mm returns -EPERM at once: no window. Among the
      // registered ones SYNC_CORE matters most (its core-serialisation rule, scenarios 1-5);
      // GLOBAL_EXPEDITED needs no registration and scans every CPU (scenario 14).
      const ready = isReady(view, op.cpu, op.cmd);
      if (op.cmd === 'GLOBAL_EXPEDITED') return 3;
      if (!ready) return 1;
      return op.cmd === 'PRIVATE_EXPEDITED_SYNC_CORE' ? 12 : op.cmd === 'PRIVATE_EXPEDITED' ? 6 : 3;
    }
    case 'membarrier_register':
      // Registering again is an early return: favour the commands the mm has not registered yet.
      if (isReady(view, op.cpu, op.cmd)) return 1;
      return op.cmd === 'PRIVATE_EXPEDITED_SYNC_CORE' ? 6 : op.cmd === 'GLOBAL_EXPEDITED' ? 4 : 2;
    case 'kthread_use_mm':
      // Using the very mm the kthread is lazily on is the subtle case (no switch_mm, lazy ref kept).
      return view.lazyMm(op.cpu) === op.mm ? 3 : 1;
    default:
      return 1;
  }
}

/**
 * Kind boosts of {@link DEFAULT_WEIGHTS}. A registered PRIVATE membarrier command is the start of
 * scenarios 1-5 but needs a registration first, then a syscall of a thread of that mm: without a
 * boost only a few runs per hundred get that far.
 */
export function baselineKindBoost(op: Op, view: TraceView): number {
  switch (op.op) {
    case 'membarrier':
      if (op.cmd === 'GLOBAL_EXPEDITED' || !isReady(view, op.cpu, op.cmd)) return 1;
      return op.cmd === 'PRIVATE_EXPEDITED_SYNC_CORE' ? 16 : 4;
    case 'membarrier_register':
      // The registration comes first; SYNC_CORE's is the one scenarios 1-5 need.
      return op.cmd === 'PRIVATE_EXPEDITED_SYNC_CORE' && !isReady(view, op.cpu, op.cmd) ? 6 : 1;
    case 'syscall': {
      // A thread of a registered mm must enter the kernel to call membarrier, or (scenario D) to
      // exit while another thread's PRIVATE membarrier is in flight.
      const mm = view.currentFacts(op.cpu)?.mm ?? null;
      if (view.inPrivateMembarrierWindow(mm, op.cpu)) return 8;
      return isReady(view, op.cpu, 'PRIVATE_EXPEDITED_SYNC_CORE') ? 3 : 1;
    }
    case 'kthread_unuse_mm':
      // Scenario E: the kthread stops using an mm while a PRIVATE membarrier on it is in flight.
      return view.inPrivateMembarrierWindow(view.currentFacts(op.cpu)?.mm ?? null, op.cpu) ? 16 : 1;
    case 'mmget_not_zero':
    case 'kthread_use_mm':
      // Scenario E: a kthread that is lazy on some mm takes (another or the same) mm.
      return view.isLazy(op.cpu) ? 4 : 1;
    case 'exit': {
      // Scenario D: exit while a PRIVATE membarrier of the same mm is in flight; scenarios 6 and 8:
      // exit while another CPU runs or lazily uses the same mm.
      const mm = view.currentFacts(op.cpu)?.mm ?? null;
      if (view.inPrivateMembarrierWindow(mm, op.cpu)) return 16;
      return mm !== null && otherCpuUses(view, op.cpu, mm) ? 6 : 1;
    }
    default:
      return 1;
  }
}

/** Whether a CPU other than `cpu` runs a task of `mm` or is lazy on it. */
function otherCpuUses(view: TraceView, cpu: number, mm: string): boolean {
  for (let c = 0; c < view.cpus; c++) {
    if (c !== cpu && (view.currentFacts(c)?.mm === mm || view.lazyMm(c) === mm)) return true;
  }
  return false;
}

import type { Weights } from '../../arbitraries/weights';

/** The kind weights of DEFAULT_WEIGHTS before the variant tuning. */
export const BASELINE_KIND_WEIGHTS = {
  step: 90, schedule: 28, preempt: 12, syscall: 12, return_to_user: 16, ipi: 24, fork: 10, exec: 10, exit: 14,
  membarrier: 16, membarrier_register: 12, flush_tlb: 12, text_poke: 10, efi_call: 10, mmget_not_zero: 6, mmput: 4,
  kthread_use_mm: 12, kthread_unuse_mm: 10, nmi: 3, hw_walk: 3, idle_leave_mm: 6, cpu_down: 1, cpu_up: 4,
};

/** DEFAULT_WEIGHTS before the variant tuning. */
export const BASELINE_WEIGHTS: Weights = {
  kinds: BASELINE_KIND_WEIGHTS,
  fallbackKind: 6,
  instance: baselineInstanceWeight,
  boost: baselineKindBoost,
};
