/**
 * The state-dependent parts of the default weights (./weights.ts): which instance of a kind to
 * favour, and when to boost a whole kind. Each rule names the scenario (kernel-model.md section 6)
 * it serves; the trace view gives the state before the op.
 */
import type { Op } from '../src/engine/ops';
import { MEMBARRIER_READY, type MembarrierCmd } from '../src/trace/events';
import type { TraceView } from './trace-view';
import { raceFocus, silentLazyReturn } from './race-focus';
import { tlbFocus } from './tlb-focus';

/** The boosts of ./tlb-focus.ts. */
export const TLB = {
  /** Steps that open a window or bring the final mmdrop closer; the shootdown IPI into a window. */
  windowInstance: 16,
  windowKind: 4,
  /** Kind boost of exit/syscall by a user of an mm hidden in a window. */
  dyingKind: 16,
  /** Kind boost of exec / efi_call by a CPU lazy on an mm with at most one user (cpu_down of a lazy CPU: one more). */
  enterKind: 3,
  /** Kind boost of a flush of an mm another CPU is switching to. */
  flushKind: 8,
} as const;

/**
 * The race boosts (./race-focus.ts), in one place. Instance weights are relative to the plain
 * instance of the kind (1; `step` instances weigh STEP_BASE so that a step can also be made
 * *less* likely than the others); kind boosts multiply the kind's weight (./weights.ts).
 */
export const RACE = {
  /** Weight of a step nothing favours or disfavours. */
  STEP_BASE: 4,
  /** D/E: the step of exit_mm on a CPU that must clear ->mm before the scan reads it. */
  clearStep: 32,
  /** D/E: the scan step of a caller while a CPU ahead of the scan still runs a thread of the mm. */
  waitStep: 0,
  /** D/E: the caller's steps once the scan has skipped a CPU that cleared its mm. */
  hurryStep: 32,
  /** D/E: kind boost of syscall / exit / kthread_unuse_mm / step on a CPU that must clear ->mm. */
  clearKind: 16,
  /** D/E: kind boost of step while the caller should hurry. */
  hurryKind: 4,
  /** C3: instance weight of the way back to user code of the owed mm without serialization. */
  owedInstance: 16,
  /** C3: kind boost of that way back (schedule, return_to_user, kthread_use_mm, mmget_not_zero, ipi). */
  owedKind: 4,
  /** C3 scenario C: a CPU ahead of the SYNC_CORE scan switching to a task without mm. */
  goLazyInstance: 16,
  goLazyKind: 4,
  /** Kind boost of a registered PRIVATE membarrier while another CPU uses the caller's mm. */
  companyCall: 48,
  /** C3 set-up: a thread of a SYNC_CORE mm blocking in a syscall in favour of a kthread (idle: half). */
  lazySetUpInstance: 16,
  lazySetUpKind: 3,
  /** A switch to a thread of an mm registered for a PRIVATE command (company for its calls). */
  gatherInstance: 4,
  /** Kind boost of return_to_user of a thread of such an mm. */
  gatherReturn: 2,
} as const;

/**
 * Instance weights of {@link DEFAULT_WEIGHTS}: favour the variant of each op that opens a lazy-TLB
 * window over the plain one.
 */
export function defaultInstanceWeight(op: Op, view: TraceView): number {
  if ((view.anyMembarrierWindow || view.anySyncCoreOwed) && !raceAllows(op, view)) return 0;
  const tlb = tlbInstanceWeight(op, view);
  if (tlb !== undefined) return tlb;
  switch (op.op) {
    case 'step': {
      const f = raceFocus(view);
      const c = op.cpu;
      if (f.quietCpus.has(c)) return 0;
      if (f.hurryCpus.has(c)) return RACE.hurryStep;
      if (f.waitCpus.has(c)) return RACE.waitStep;
      if (f.clearMm.has(c) && view.stepPath(c) === 'exit_mm') return RACE.clearStep;
      if (f.owedMm[c] !== null && isReturnPath(view.stepPath(c))) return RACE.owedInstance;
      return RACE.STEP_BASE;
    }
    case 'schedule':
    case 'preempt': {
      const f = raceFocus(view);
      if (f.quietCpus.has(op.cpu) || f.hurryCpus.has(op.cpu)) return 0;
      // A CPU that must clear ->mm should not switch away (a barrier) instead.
      if (f.clearMm.has(op.cpu)) return 0;
      if (f.goLazy.has(op.cpu) && view.isMmless(op.next)) {
        // A kthread can go on to kthread_use_mm() the lazy mm (Nick Piggin's case); idle cannot.
        return view.task(op.next)?.type === 'kthread' ? RACE.goLazyInstance : RACE.goLazyInstance / 2;
      }
      const owed = f.owedMm[op.cpu];
      if (owed !== null && view.canSysret(op.next, owed)) {
        // A lazy kthread should rather take the mm first (Nick Piggin's case); idle can only switch.
        return f.owedReturn.get(op.cpu) === 'use-mm' ? 2 : RACE.owedInstance;
      }
      // Switching to or from a task without an mm is what makes a CPU lazy or ends its laziness;
      // running the threads of a registered mm side by side is what the membarrier races need.
      if (view.isMmless(op.next)) {
        // C3 set-up (scenario 1, Nick Piggin's case): a thread of a SYNC_CORE-registered mm blocks in
        // a syscall (so that it can SYSRET later) and leaves its CPU lazy on the mm.
        if (lazySetUp(view, op.cpu)) return view.task(op.next)?.type === 'kthread' ? RACE.lazySetUpInstance : RACE.lazySetUpInstance / 2;
        return 4;
      }
      if (view.isMmless(view.current(op.cpu))) return 4;
      return registeredPrivate(view, view.task(op.next)?.mm ?? null) ? RACE.gatherInstance : 1;
    }
    case 'ipi': {
      const f = raceFocus(view);
      if (f.quietCpus.has(op.cpu) || f.clearMm.has(op.cpu)) return 0;
      if (op.next !== undefined && ipiReturnToOwed(op.cpu, op.next, view)) return RACE.owedInstance;
      // Rescheduling on the IPI return path is the scenario of Andy's SYNC_CORE patch.
      return op.next !== undefined && op.next !== view.current(op.cpu) ? 3 : 1;
    }
    case 'return_to_user': {
      // C3: SYSRET does not serialize; IRET does.
      const owed = raceFocus(view).owedMm[op.cpu];
      if (owed === null) return 1;
      return op.via === 'sysret' ? RACE.owedInstance : 1;
    }
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
      // Using the very mm the kthread is lazily on is the subtle case (no switch_mm, lazy ref kept);
      // after a SYNC_CORE call that skipped this CPU it is Nick Piggin's case (C3).
      if (view.lazyMm(op.cpu) !== op.mm) return 1;
      return raceFocus(view).owedMm[op.cpu] === op.mm && silentLazyReturn(view, op.cpu, op.mm) ? RACE.owedInstance : 3;
    default:
      return 1;
  }
}

/**
 * D/E races: a CPU that must clear ->mm does only that (no switch, IPI, or other syscall, which
 * would execute a barrier or take it elsewhere); a CPU that has cleared it without a barrier keeps
 * still but for NMIs and walks; a caller that should hurry does not schedule away.
 */
function raceAllows(op: Op, view: TraceView): boolean {
  const f = raceFocus(view);
  if (op.op === 'idle_leave_mm' && f.owedMm[op.cpu] !== null) return false; // keep the lazy return silent
  const c = op.cpu;
  if (f.quietCpus.has(c)) return op.op === 'nmi' || op.op === 'hw_walk';
  if (f.rejoin.has(c)) return op.op === 'return_to_user' || op.op === 'nmi' || op.op === 'hw_walk';
  if (f.clearMm.has(c)) {
    switch (op.op) {
      case 'syscall':
      case 'exit':
      case 'kthread_unuse_mm':
      case 'step':
      case 'nmi':
      case 'hw_walk':
        return true;
      default:
        return false;
    }
  }
  if (f.goLazy.has(c)) {
    switch (op.op) {
      case 'syscall':
      case 'step':
      case 'nmi':
      case 'hw_walk':
        return true;
      case 'schedule':
        return view.isMmless(op.next);
      default:
        return false;
    }
  }
  if (f.hurryCpus.has(c)) return op.op !== 'schedule';
  if (f.keepLazy.has(c)) return op.op === 'step' || op.op === 'nmi' || op.op === 'hw_walk' || op.op === 'mmget_not_zero';
  const back = f.owedReturn.get(c);
  if (back !== undefined && op.op !== 'step' && op.op !== 'nmi' && op.op !== 'hw_walk') {
    const mm = f.owedMm[c] as string;
    switch (op.op) {
      case 'return_to_user':
        return back === 'sysret' && op.via === 'sysret';
      case 'schedule':
        return back !== 'sysret' && view.canSysret(op.next, mm);
      case 'mmget_not_zero':
      case 'kthread_use_mm':
        return back === 'use-mm' && op.mm === mm;
      default:
        return false;
    }
  }
  return true;
}

/** Paths that bring a task back towards user mode (C3: they must serialize when owed). */
function isReturnPath(path: string | null): boolean {
  return path === 'context_switch' || path === 'kthread_use_mm';
}

/**
 * C3 (sync-core-ipi-preempt-sysret): an IPI of a SYNC_CORE call on mm M, delivered to a CPU running
 * a thread of M, whose return path schedules to another thread of M that can SYSRET.
 */
function ipiReturnToOwed(cpu: number, next: string, view: TraceView): boolean {
  const mm = view.currentFacts(cpu)?.mm ?? null;
  return mm !== null && next !== view.current(cpu) && view.canSysret(next, mm) && view.hasPendingMembarrierIpi(cpu);
}

/** Whether the mm of `cpu`'s current task has registered `cmd`. */
export function isReady(view: TraceView, cpu: number, cmd: MembarrierCmd): boolean {
  return (view.membarrierState(view.currentFacts(cpu)?.mm ?? null) & MEMBARRIER_READY[cmd]) !== 0;
}

/**
 * Kind boosts of {@link DEFAULT_WEIGHTS}. A registered PRIVATE membarrier command is the start of
 * scenarios 1-5 but needs a registration first, then a syscall of a thread of that mm: without a
 * boost only a few runs per hundred get that far.
 */
export function defaultKindBoost(op: Op, view: TraceView): number {
  return Math.max(raceKindBoost(op, view), tlbKindBoost(op, view), plainKindBoost(op, view));
}

/** Paths of an exit that end in the final mmdrop (and, under shootdown, its IPIs). */
const EXIT_PATHS: ReadonlySet<string> = new Set(['exit_mm', '__mmput', '__mmdrop']);

/** The instance weights of ./tlb-focus.ts, or undefined when none applies. */
function tlbInstanceWeight(op: Op, view: TraceView): number | undefined {
  const f = tlbFocus(view);
  const c = op.cpu;
  if (op.op === 'step' && f.genRead.has(c) && flusherOf(view, f.genRead.get(c) as string, c)) return 0; // hold the window for the flush
  if (op.op === 'flush_tlb' && f.switchingTo.size > 0) {
    // Only an ordinary flush is filtered by should_flush_tlb() (a page-table free IPIs every CPU).
    const mm = view.currentFacts(c)?.mm ?? '';
    for (const m of f.switchingTo.values()) if (m === mm) return op.freedTables ? 1 : TLB.windowInstance;
  }
  if (f.dying.size === 0) return undefined;
  switch (op.op) {
    case 'step':
      if (f.hidden.has(c)) {
        // Keep the window open while the mm's users exit (one of them is running) and, once it has
        // none left, until it is freed (unless a shootdown IPI is still to be taken here).
        const mm = f.hidden.get(c) as string;
        if (pendingShootdown(view, c)) return 1;
        return view.users(mm) === 0 || runsThreadOf(view, mm) ? 0 : 1;
      }
      if (f.opening.has(c)) return TLB.windowInstance;
      return EXIT_PATHS.has(view.stepPath(c) ?? '') ? TLB.windowInstance : undefined;
    case 'ipi':
      return f.hidden.has(c) && pendingShootdown(view, c) ? TLB.windowInstance : undefined;
    case 'schedule':
      // A user of a hidden mm must run to exit.
      return view.task(op.next)?.type === 'user' && f.dying.has(view.task(op.next)?.mm ?? '') ? TLB.windowInstance / 2 : undefined;
    default:
      return undefined;
  }
}

/**
 * Whether a CPU other than `cpu` runs a thread of `mm` in a syscall with no path in flight (it can
 * flush), or with its flush of `mm` in flight: x86 flush_tlb_mm_range() reads each CPU's
 * cpu_tlbstate in a step of its own (src/engine/arch/x86-flush-steps.ts), so a flush that has begun
 * may not have read `cpu` yet (arbitraries/tlb-hold.test.ts; docs/mutants.md, 2026-12-06).
 */
function flusherOf(view: TraceView, mm: string, cpu: number): boolean {
  for (let c = 0; c < view.cpus; c++) {
    if (c === cpu) continue;
    const t = view.currentFacts(c);
    if (t?.type !== 'user' || t.mm !== mm || view.mode(c) !== 'kernel' || view.switchStart(c) !== null) continue;
    const path = view.stepPath(c);
    if (path === null || path === 'flush_tlb_mm_range') return true;
  }
  return false;
}

/** Whether some CPU runs a user thread of `mm` (which could exit). */
function runsThreadOf(view: TraceView, mm: string): boolean {
  for (let c = 0; c < view.cpus; c++) {
    const t = view.currentFacts(c);
    if (t?.type === 'user' && t.mm === mm) return true;
  }
  return false;
}

/**
 * Whether `cpu` has a pending IPI that takes lazy CPUs off an mm: the final mmdrop's
 * do_shoot_lazy_tlb() (shootdown) or powerpc exit_mmap()'s do_exit_flush_lazy_tlb().
 */
function pendingShootdown(view: TraceView, cpu: number): boolean {
  return view.hasPendingIpiOf(cpu, 'do_shoot_lazy_tlb') || view.hasPendingIpiOf(cpu, 'do_exit_flush_lazy_tlb');
}

/** The kind boosts of ./tlb-focus.ts (1 when none applies). */
function tlbKindBoost(op: Op, view: TraceView): number {
  const c = op.cpu;
  switch (op.op) {
    case 'exec':
    case 'efi_call':
      // Entering a window while lazy on an mm whose users are about to go.
      return view.isLazy(c) && view.users(view.lazyMm(c)) <= 1 ? TLB.enterKind : 1;
    case 'cpu_down':
      return view.isLazy(c) ? TLB.enterKind + 1 : 1;
    case 'flush_tlb': {
      const mm = view.currentFacts(c)?.mm ?? null;
      if (mm === null) return 1;
      const f = tlbFocus(view);
      for (const m of f.genRead.values()) if (m === mm) return TLB.flushKind * 4;
      for (const m of f.switchingTo.values()) if (m === mm) return TLB.flushKind;
      return 1;
    }
    default:
      break;
  }
  const f = tlbFocus(view);
  if (f.dying.size === 0) return 1;
  switch (op.op) {
    case 'exit':
    case 'syscall':
      return f.dying.has(view.currentFacts(c)?.mm ?? '') ? TLB.dyingKind : 1;
    case 'step':
      return f.opening.has(c) || EXIT_PATHS.has(view.stepPath(c) ?? '') ? TLB.windowKind : 1;
    case 'ipi':
      return f.hidden.has(c) && pendingShootdown(view, c) ? TLB.windowKind : 1;
    default:
      return 1;
  }
}

/** The race boosts of ./race-focus.ts (1 when none applies). */
function raceKindBoost(op: Op, view: TraceView): number {
  if (!view.anyMembarrierWindow && !view.anySyncCoreOwed) return 1;
  const f = raceFocus(view);
  const c = op.cpu;
  switch (op.op) {
    case 'syscall':
      if (f.goLazy.has(c)) return RACE.goLazyKind;
      return f.clearMm.has(c) && !f.rejoin.has(c) ? RACE.clearKind : 1;
    case 'exit':
    case 'kthread_unuse_mm':
      return f.clearMm.has(c) && !f.rejoin.has(c) ? RACE.clearKind : 1;
    case 'step':
      if (f.clearMm.has(c) && view.stepPath(c) === 'exit_mm') return RACE.clearKind;
      if (f.hurryCpus.has(c)) return RACE.hurryKind;
      return f.owedMm[c] !== null && isReturnPath(view.stepPath(c)) ? RACE.owedKind : 1;
    case 'schedule':
    case 'preempt': {
      if (f.goLazy.has(c) && view.isMmless(op.next)) return RACE.goLazyKind;
      const owed = f.owedMm[c];
      return owed !== null && view.canSysret(op.next, owed) ? RACE.owedKind : 1;
    }
    case 'return_to_user':
      if (f.rejoin.has(c)) return RACE.clearKind;
      return op.via === 'sysret' && f.owedMm[c] !== null ? RACE.owedKind : 1;
    case 'kthread_use_mm':
    case 'mmget_not_zero':
      return f.owedMm[c] === op.mm && silentLazyReturn(view, c, op.mm) ? RACE.owedKind : 1;
    case 'ipi':
      return op.next !== undefined && ipiReturnToOwed(c, op.next, view) ? RACE.owedKind : 1;
    default:
      return 1;
  }
}

/** The kind boosts of the scenario catalogue that are not races of ./race-focus.ts. */
function plainKindBoost(op: Op, view: TraceView): number {
  switch (op.op) {
    case 'membarrier': {
      // GLOBAL_EXPEDITED's company is any other CPU running a task of an mm registered for it
      // (membarrier_global_expedited() IPIs only CPUs whose rq->membarrier_state has
      // MEMBARRIER_STATE_GLOBAL_EXPEDITED): the same rule as the PRIVATE commands' below.
      if (op.cmd === 'GLOBAL_EXPEDITED') return globalCompany(view, op.cpu) ? RACE.companyCall / 2 : 1;
      if (!isReady(view, op.cpu, op.cmd)) return 1;
      // The races need company when the call opens its window: another thread of the mm in user
      // mode or a kthread using it (scenarios D, E, 3-5), or a CPU lazy on it (scenario C / 1,
      // Nick Piggin's case). A call without company is worth little (but SYNC_CORE's single-thread
      // short-circuit, scenario 4).
      const mm = view.currentFacts(op.cpu)?.mm ?? null;
      const company = companyOf(view, op.cpu, mm);
      const sync = op.cmd === 'PRIVATE_EXPEDITED_SYNC_CORE';
      if (company === 'running') return sync ? RACE.companyCall : RACE.companyCall / 2;
      if (company === 'lazy') return sync ? (raceFocus(view).callWanted.has(mm as string) ? RACE.companyCall : RACE.companyCall / 2) : 2;
      return sync ? 4 : 1;
    }
    case 'fork':
      // A registered mm with one thread needs a second one for the races.
      return op.cloneVm && registeredPrivate(view, view.currentFacts(op.cpu)?.mm ?? null) &&
        view.users(view.currentFacts(op.cpu)?.mm ?? null) === 1
        ? 4
        : 1;
    case 'membarrier_register':
      // The registration comes first; SYNC_CORE's is the one scenarios 1-5 need.
      return op.cmd === 'PRIVATE_EXPEDITED_SYNC_CORE' && !isReady(view, op.cpu, op.cmd) ? 6 : 1;
    case 'syscall': {
      // A thread of a registered mm must enter the kernel to call membarrier (the races in a
      // call's window are ./race-focus.ts's), the more so when a CPU waits lazily for the call.
      if (!isReady(view, op.cpu, 'PRIVATE_EXPEDITED_SYNC_CORE')) return 1;
      return raceFocus(view).callWanted.has(view.currentFacts(op.cpu)?.mm ?? '') ? RACE.owedKind * 2 : 3;
    }
    case 'return_to_user':
      return registeredPrivate(view, view.currentFacts(op.cpu)?.mm ?? null) ? RACE.gatherReturn : 1;
    case 'schedule':
      return view.isMmless(op.next) && lazySetUp(view, op.cpu) ? RACE.lazySetUpKind : 1;
    case 'mmget_not_zero':
    case 'kthread_use_mm':
      // Scenario E: a kthread that is lazy on some mm takes (another or the same) mm.
      return view.isLazy(op.cpu) ? 4 : 1;
    case 'exit': {
      // Scenarios 6 and 8: exit while another CPU runs or lazily uses the same mm (scenario D,
      // exit in a membarrier window, is ./race-focus.ts's).
      const mm = view.currentFacts(op.cpu)?.mm ?? null;
      return mm !== null && otherCpuUses(view, op.cpu, mm) ? 6 : 1;
    }
    default:
      return 1;
  }
}

/**
 * Who else uses `mm` besides `cpu`: 'running' when another CPU runs a thread of it in user mode or a
 * kthread that uses it, 'lazy' when another CPU is lazy on it, null otherwise.
 */
function companyOf(view: TraceView, cpu: number, mm: string | null): 'running' | 'lazy' | null {
  if (mm === null) return null;
  let lazy = false;
  for (let c = 0; c < view.cpus; c++) {
    if (c === cpu) continue;
    if (codeMmOf(view, c) === mm) return 'running';
    if (view.lazyMm(c) === mm) lazy = true;
  }
  return lazy ? 'lazy' : null;
}

/** The mm whose code CPU `c` runs: its user task's in user mode, or a kthread's used mm; else null. */
function codeMmOf(view: TraceView, c: number): string | null {
  const f = view.currentFacts(c);
  return f?.mm != null && (f.type !== 'user' || view.mode(c) === 'user') ? f.mm : null;
}

/** Whether a CPU other than `cpu` runs code of an mm with GLOBAL_EXPEDITED_READY. */
function globalCompany(view: TraceView, cpu: number): boolean {
  for (let c = 0; c < view.cpus; c++) {
    const mm = c === cpu ? null : codeMmOf(view, c);
    if (mm !== null && (view.membarrierState(mm) & MEMBARRIER_READY.GLOBAL_EXPEDITED) !== 0) return true;
  }
  return false;
}

/**
 * Whether `cpu` runs a thread of an mm registered for SYNC_CORE, in a syscall with no kernel path in
 * flight, while another thread of the mm could call membarrier and no CPU is silently lazy on the mm
 * yet (the set-up of scenario 1 and of Nick Piggin's case).
 */
function lazySetUp(view: TraceView, cpu: number): boolean {
  const mm = view.currentFacts(cpu)?.mm ?? null;
  if (mm === null || !view.canSysret(view.current(cpu), mm)) return false;
  if ((view.membarrierState(mm) & MEMBARRIER_READY.PRIVATE_EXPEDITED_SYNC_CORE) === 0 || view.users(mm) < 2) return false;
  for (let c = 0; c < view.cpus; c++) if (silentLazyReturn(view, c, mm)) return false;
  return true;
}

/** Whether `mm` has registered PRIVATE_EXPEDITED or its SYNC_CORE form. */
function registeredPrivate(view: TraceView, mm: string | null): boolean {
  const s = view.membarrierState(mm);
  return (s & (MEMBARRIER_READY.PRIVATE_EXPEDITED | MEMBARRIER_READY.PRIVATE_EXPEDITED_SYNC_CORE)) !== 0;
}

/** Whether a CPU other than `cpu` runs a task of `mm` or is lazy on it. */
function otherCpuUses(view: TraceView, cpu: number, mm: string): boolean {
  for (let c = 0; c < view.cpus; c++) {
    if (c !== cpu && (view.currentFacts(c)?.mm === mm || view.lazyMm(c) === mm)) return true;
  }
  return false;
}
