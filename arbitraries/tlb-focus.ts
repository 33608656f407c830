/**
 * Where the lazy-TLB races of the scenario catalogue stand in the current state (the TLB
 * counterpart of ./race-focus.ts), derived from the trace view and cached per state.
 *
 * - Shootdown windows (scenarios 10-12, 16; variants exec-mmap-irqs-on, shootdown-temporary-mm-
 *   hides-lazy, hotplug-clears-cpumask-while-lazy): a CPU lazy on mm M enters a path during which M
 *   is out of the shootdown's sight (exec_mmap() between `active_mm = mm` and activate_mm(), an old
 *   style EFI call with active_mm = efi_mm, a CPU going offline after cleanup_cpu_mmu_context()).
 *   For a race, M's last user must exit and the final mmdrop's do_shoot_lazy_tlb() IPIs must be
 *   sent (and delivered) while the window is open. So: the window opens (`opening`), stays open
 *   (`hidden`), M's users hurry to exit (`dying`), and the IPI lands in the window.
 * - Switch windows (variants flush-skips-switching-cpu, switching-store-after-tlb-gen-read): a CPU
 *   in the middle of a context switch to a task of mm M (after rq->curr, before switch_to) while
 *   another CPU flushes M: should_flush_tlb() must see LOADED_MM_SWITCHING or the new mm.
 */
import type { CpuId, MmId } from '../src/trace/events';
import type { TraceView } from './trace-view';

export interface TlbFocus {
  /** CPUs in a window whose hidden lazy mm is out of the shootdown's sight now -> that mm. */
  hidden: Map<CpuId, MmId>;
  /** CPUs in a window that has not opened yet (their steps open it) -> the lazy mm. */
  opening: Map<CpuId, MmId>;
  /** The mms of `hidden` and `opening`, not freed yet: their users should exit. */
  dying: Set<MmId>;
  /** CPUs in the middle of a context switch to a task of another mm -> that mm. */
  switchingTo: Map<CpuId, MmId>;
  /**
   * Of those, the ones between the tlb_gen read (S3) and the CR3 write (S3b) of a split
   * switch_mm_irqs_off(): a flush of the mm now must not skip them.
   */
  genRead: Map<CpuId, MmId>;
}

const cache = new WeakMap<TraceView, { at: number; focus: TlbFocus }>();

/** The TLB focus of the state `view` shows (cached per state). */
export function tlbFocus(view: TraceView): TlbFocus {
  const hit = cache.get(view);
  if (hit && hit.at === view.events) return hit.focus;
  const focus = compute(view);
  cache.set(view, { at: view.events, focus });
  return focus;
}

function compute(view: TraceView): TlbFocus {
  const f: TlbFocus = { hidden: new Map(), opening: new Map(), dying: new Set(), switchingTo: new Map(), genRead: new Map() };
  for (let c = 0; c < view.cpus; c++) {
    const mm = view.hiddenLazyMm(c);
    if (mm !== null && !view.isFreed(mm)) {
      const path = view.stepPath(c);
      const open =
        path === 'cpu_down' ? !view.online(c) : (view.currentFacts(c)?.activeMm ?? null) !== mm || view.loadedMm(c) !== mm;
      (open ? f.hidden : f.opening).set(c, mm);
      f.dying.add(mm);
    }
    const start = view.switchStart(c);
    if (start !== null) {
      const next = view.task(view.rqCurr(c));
      if (next?.mm && next.mm !== view.loadedMm(c)) {
        f.switchingTo.set(c, next.mm);
        if (view.stepsSinceRqCurr(c) === 1) f.genRead.set(c, next.mm);
      }
    }
  }
  return f;
}
