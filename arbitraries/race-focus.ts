/**
 * Where the membarrier races of the scenario catalogue stand in the current state, derived from the
 * trace view: which CPUs should act next for a race to happen, and which should keep still. The
 * weight rules (./weight-rules.ts) turn it into boosts. Computed once per state (the view's event
 * count) and cached, because the rules ask for every enabled op.
 *
 * Two families of races:
 * - C4, scenarios D and E (kernel/sched/membarrier.c): an expedited PRIVATE call is between its entry
 *   barrier (mb_start) and its scan of CPU c, while a thread of the call's mm runs on c. If c ends
 *   that thread's user (or kthread_use_mm) interval and clears ->mm before the scan reads it, the
 *   scan skips c; nothing but c's own barrier before clearing ->mm (exit_mm's and kthread_unuse_mm's
 *   smp_mb__after_spinlock) orders it. So: c hurries (`clearMm`), the caller's scan waits
 *   (`waitCpus`); once c has cleared ->mm without a barrier, c keeps still (`quietCpus`: its next
 *   step is the barrier of mmput/mmdrop) and, once the scan has passed it, the caller hurries to
 *   its exit barrier (`hurryCpus`).
 * - C3, scenarios 1-5 and Nick Piggin's case: once a SYNC_CORE call on mm M has passed its entry
 *   barrier, a CPU that has not serialized since owes M a core serialization (`owedMm`), and any way
 *   back to M's user code that does not serialize breaks the promise: a lazy return to a thread of M
 *   that SYSRETs, kthread_use_mm(M) on the lazy CPU then a switch to a thread of M, an IPI return
 *   that schedules to a thread of M, the caller's own SYSRET. Before the scan reaches a CPU running
 *   a thread of M, that CPU going mm-less from a syscall (`goLazy`) makes the scan skip it while the
 *   thread can still SYSRET later (scenario C).
 *
 * The two pull in opposite directions (exit versus switch away), and some scenarios (3-5) need the
 * scan to find the other threads where they are. So each call plays one part, by its id: see
 * {@link raceOfCall}.
 */
import { MEMBARRIER_STATE, type CpuId, type MmId } from '../src/trace/events';

const SYNC_CORE_READY = MEMBARRIER_STATE.PRIVATE_EXPEDITED_SYNC_CORE_READY;
import type { TraceView } from './trace-view';

/** The race focus of one state. */
export interface RaceFocus {
  /**
   * C4 D/E: CPUs running a thread of a window's mm that the scan has not read yet -> that mm.
   * `rejoin` holds those whose thread is in the kernel since before the window opened: it must
   * first return to user mode (its interval must reach into the window) before it leaves again.
   */
  clearMm: Map<CpuId, MmId>;
  rejoin: Set<CpuId>;
  /** Callers whose scan should wait (some CPU of `clearMm` is still ahead of it). */
  waitCpus: Set<CpuId>;
  /** Callers whose scan has passed a CPU that cleared its mm: on to the exit barrier. */
  hurryCpus: Set<CpuId>;
  /** CPUs that cleared ->mm in the window without a barrier: no barrier until the window closes. */
  quietCpus: Set<CpuId>;
  /** C3: per CPU, the mm (its current's or the one it is lazy on) it owes a core serialization. */
  owedMm: (MmId | null)[];
  /** C3 scenario C: CPUs running a thread of a SYNC_CORE window's mm, not scanned yet -> that mm. */
  goLazy: Map<CpuId, MmId>;
  /**
   * C3, once the SYNC_CORE call has returned: per owing CPU, the way back to user code of the owed
   * mm that is open to it ('sysret': its current thread SYSRETs; 'switch': it switches to a thread
   * of the mm waiting in a syscall; 'use-mm': a lazy kthread may first kthread_use_mm() the mm).
   */
  owedReturn: Map<CpuId, 'sysret' | 'switch' | 'use-mm'>;
  /**
   * C3: CPUs silently lazy on an mm registered for SYNC_CORE, with a thread of it waiting to SYSRET:
   * they stay so until a SYNC_CORE call has scanned them (then `owedReturn` takes over).
   */
  keepLazy: Set<CpuId>;
  /** The mms of `keepLazy`: a SYNC_CORE call on them is what should come next. */
  callWanted: Set<MmId>;
}

/** The part a membarrier call plays (by call id, so that a run mixes them). */
export type CallRace = 'clear-mm' | 'go-lazy' | 'none';

/**
 * Calls 1, 3, 5, ... race with exit_mm / kthread_unuse_mm (D, E); 2, 6, 10, ... make the CPUs ahead
 * of a SYNC_CORE scan go lazy (C); 4, 8, 12, ... let the scan find the others running (3-5). (Calls
 * are numbered from 1 and most runs make one or two: measured with test/variants/measure.ts, giving
 * the first call to D/E more than doubled their rate and cost scenarios 1 and 3-5 nothing.)
 */
export function raceOfCall(call: number): CallRace {
  const r = call % 4;
  return r === 0 ? 'none' : r === 2 ? 'go-lazy' : 'clear-mm';
}

const cache = new WeakMap<TraceView, { at: number; focus: RaceFocus }>();

/** The race focus of the state `view` shows (cached per state). */
export function raceFocus(view: TraceView): RaceFocus {
  const hit = cache.get(view);
  if (hit && hit.at === view.events) return hit.focus;
  const focus = computeFocus(view);
  cache.set(view, { at: view.events, focus });
  return focus;
}

function computeFocus(view: TraceView): RaceFocus {
  const f: RaceFocus = {
    clearMm: new Map(),
    rejoin: new Set(),
    waitCpus: new Set(),
    hurryCpus: new Set(),
    quietCpus: new Set(),
    owedMm: new Array<MmId | null>(view.cpus).fill(null),
    goLazy: new Map(),
    owedReturn: new Map(),
    keepLazy: new Set(),
    callWanted: new Set(),
  };
  if (view.anyMembarrierWindow) {
    for (const w of view.membarrierWindows()) {
      if (w.cmd === 'GLOBAL_EXPEDITED' || w.mm === null) continue;
      const race = raceOfCall(w.call);
      if (race === 'none') continue;
      const caller = view.cpuOf(w.task);
      let ahead = false;
      let passed = false;
      let quiet = false;
      for (let c = 0; c < view.cpus; c++) {
        if (c === caller || !view.online(c) || view.lastMb(c) > w.tA) continue; // ordered already
        const facts = view.currentFacts(c);
        const unscanned = c >= w.nextScan;
        const p = view.stepPath(c);
        if (race === 'go-lazy') {
          // A thread of the mm in a syscall (so that it can SYSRET later) switches to a task
          // without mm before the scan reads this CPU.
          if (unscanned && facts?.mm === w.mm && facts.type === 'user' && view.current(c) !== w.task) {
            f.goLazy.set(c, w.mm);
            ahead = true;
          }
          continue;
        }
        const cleared = (facts?.mm ?? null) === null && view.lastMmClear(c) > w.tA;
        if ((unscanned || w.skippedMmless.has(c)) && cleared && (p === 'exit_mm' || p === 'kthread_unuse_mm')) {
          // It has cleared ->mm without a barrier (the variants), and the scan has skipped it or
          // will: its next step (mmput's or mmdrop's barrier) must wait for the exit barrier.
          f.quietCpus.add(c);
          quiet = true;
          if (!unscanned) passed = true;
          continue;
        }
        if (!unscanned || facts?.mm !== w.mm || view.current(c) === w.task) continue;
        // A user thread's interval must reach into the window (user mode now or since tA), or the
        // thread must return to user mode first (from no kernel path); a kthread_use_mm() section
        // is open since before it.
        const overlaps = facts.type !== 'user' || view.mode(c) === 'user' || view.lastUserExit(c) > w.tA;
        if (overlaps || p === null) {
          f.clearMm.set(c, w.mm);
          if (!overlaps) f.rejoin.add(c);
          ahead = true;
        }
      }
      if (caller !== null) {
        if (ahead) f.waitCpus.add(caller);
        else if (passed || quiet) f.hurryCpus.add(caller);
      }
    }
  }
  for (let c = 0; c < view.cpus; c++) {
    const lazy = view.lazyMm(c);
    if (lazy === null || (view.membarrierState(lazy) & SYNC_CORE_READY) === 0 || !view.online(c)) continue;
    if (view.owesSyncCore(c, lazy) && !view.syncCoreCallInFlight(lazy)) continue; // scanned: owedReturn's
    if (scannedBySyncCoreWindow(view, c, lazy)) continue; // the scan has skipped it: on to the return
    if (!silentLazyReturn(view, c, lazy) || !view.sysretWaiting(lazy)) continue;
    // Someone must be able to make the call: a thread of the mm running on another CPU.
    let caller = false;
    for (let d = 0; d < view.cpus && !caller; d++) caller = d !== c && view.currentFacts(d)?.mm === lazy && view.currentFacts(d)?.type === 'user';
    if (!caller) continue;
    f.keepLazy.add(c);
    f.callWanted.add(lazy);
  }
  if (view.anySyncCoreOwed) {
    for (let c = 0; c < view.cpus; c++) {
      const mm = view.currentFacts(c)?.mm ?? view.lazyMm(c);
      if (mm === null || !view.owesSyncCore(c, mm)) continue;
      f.owedMm[c] = mm;
      if (!view.online(c)) continue;
      const facts = view.currentFacts(c);
      if (facts?.type === 'user' && facts.mm === mm && view.canSysret(view.current(c), mm)) f.owedReturn.set(c, 'sysret');
      else if (facts?.mm === mm || silentLazyReturn(view, c, mm)) {
        if (!view.sysretWaiting(mm)) continue;
        f.owedReturn.set(c, facts?.type === 'kthread' && facts.mm === null ? 'use-mm' : 'switch');
      }
    }
  }
  return f;
}

/** Whether a SYNC_CORE call on `mm` between its barriers has scanned `cpu` (and skipped it). */
function scannedBySyncCoreWindow(view: TraceView, cpu: CpuId, mm: MmId): boolean {
  for (const w of view.membarrierWindows()) {
    if (w.cmd === 'PRIVATE_EXPEDITED_SYNC_CORE' && w.mm === mm && w.skippedMmless.has(cpu)) return true;
  }
  return false;
}

/**
 * Whether `cpu`, lazy on `mm`, would return to it without any CR3 write: its MMU still translates
 * through `mm` and its TLB is up to date (x86 switch_mm_irqs_off()'s early return). That is the
 * return on which only membarrier_mm_sync_core_before_usermode() serializes.
 */
export function silentLazyReturn(view: TraceView, cpu: CpuId, mm: MmId): boolean {
  return view.lazyMm(cpu) === mm && view.loadedMm(cpu) === mm && view.tlbFresh(cpu, mm);
}
