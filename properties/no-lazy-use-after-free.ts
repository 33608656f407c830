/**
 * no-lazy-use-after-free (kernel-model.md C2.1-C2.7; errata Part 1 E1, E4, E5, E7): once free_mm()
 * has freed M, nothing may point at M or touch it: no task's ->mm / ->active_mm, no rq->prev_mm, no
 * loaded_mm (the CR3 of a live pgd), no saved temporary-mm value, no hazard pointer (C2.7), no NMI,
 * page-walker or kernel dereference, no reference operation, no write to its fields. Under
 * shootdown, __mmdrop() must be able to reach every lazy user (C2.5, ./uaf/at-free.ts). Separately,
 * an NMI that finds a NULL current->active_mm is reported (C2.4, "incorrect active_mm references").
 *
 * Errata E7: under shootdown finish_task_switch()'s local `mm` may legitimately be freed before its
 * mmdrop_lazy_tlb_sched(); the trace has no event for that local, so there is nothing to exempt.
 *
 * C2.8 (./uaf/irqs-off.ts): no interrupt is taken inside a section the kernel runs with IRQs off.
 * C2.9, C2.10 (./uaf/mm-switch-window.ts): no IRQ window between an active_mm store and its
 * switch_mm where the kernel keeps IRQs off; no handler that reads current->active_mm runs where
 * active_mm and the loaded mm disagree about its mm. C2.11 (./uaf/switch-mm-irqs.ts):
 * switch_mm_irqs_off() is entered with IRQs off (x86, powerpc). C2.12 (./uaf/efi-serialized.ts): EFI
 * runtime calls do not overlap (the single efi_prev_mm, efi_runtime_lock).
 *
 * Reads: irqs, irq, ipi_handle, mm_free, mmdrop_begin, task_mm, task_new, prev_mm, load_mm, temp_mm, deref, ref, ref_move,
 * cpumask, mm_membarrier_state, tlb_gen, local_tlb_gen, mm_teardown, membarrier, hazard (and, through
 * the mirror, rq_curr, switch_to, cpu_online).
 */
import type { InitEvent, MmId, TraceEvent } from '../src/trace/events';
import type { Violation } from './property';
import { Explanation } from './lib/explain';
import type { Mirror } from './lib/mirror';
import { defineMirrorProperty, type MirrorHooks } from './lib/mirror-property';
import { checkAtFree, checkShootdownReach } from './uaf/at-free';
import { NO_LAZY_UAF_ID, uafFail } from './uaf/report';
import { useClause } from './uaf/use-clauses';
import { checkIrqsOff } from './uaf/irqs-off';
import { MmSwitchWindow } from './uaf/mm-switch-window';
import { checkSwitchMmIrqs } from './uaf/switch-mm-irqs';
import { checkEfiSerialized } from './uaf/efi-serialized';
import type { KeyContext } from './lib/state-key';

function hooks(mirror: Mirror, init: InitEvent, window?: MmSwitchWindow): MirrorHooks {
  const switchWindow = window ?? new MmSwitchWindow(mirror, init);
  const freed = (mm: MmId | null): boolean => mm !== null && (mirror.mms.get(mm)?.freed ?? false);

  /** A later event that uses an already freed mm. */
  function checkUse(ev: TraceEvent, i: number): Violation | null {
    if (ev.k === 'deref' && ev.who === 'nmi' && ev.mm === null) {
      const x = new Explanation();
      const c = mirror.cpu(ev.cpu);
      const t = mirror.task(c.current);
      x.say(`${x.ev(ev, i)}: the NMI dereferenced a NULL active_mm (current is ${t.id}, whose active_mm was set to ${t.activeMm ?? 'NULL'} by ${x.ref(t.lastMmChange, 'the init event')};`);
      x.say(`rq->curr is ${c.curr}, last switch_to ${x.ref(c.lastSwitchTo, 'at boot')}).`);
      x.say(`Between context_switch() clearing prev->active_mm and switch_to(), current->active_mm is NULL; NMI code must not read it (C2.4).`);
      return uafFail('C2.4 NMI dereferenced a NULL active_mm', i, null, [ev.cpu], x);
    }
    const use = useClause(ev);
    if (use === null) return null;
    if (ev.k === 'task_mm' || ev.k === 'task_new') {
      const bad = freed(ev.mm) ? ev.mm : freed(ev.activeMm) ? ev.activeMm : null;
      return bad === null ? null : usedAfterFree(ev, i, bad, use.clause, use.what);
    }
    return freed(use.mm) ? usedAfterFree(ev, i, use.mm as MmId, use.clause, use.what) : null;
  }

  function usedAfterFree(ev: TraceEvent, i: number, mm: MmId, clause: string, what: string): Violation {
    const x = new Explanation();
    x.say(`${x.ev(ev, i)} ${what} ${mm}, which ${x.ref(mirror.mm(mm).freedAt)} already freed.`);
    return uafFail(clause, i, mm, ev.cpu === null ? [] : [ev.cpu], x);
  }

  /** temp_mm: the mm loaded and the saved mm to restore are live (C2.3, C2.6). */
  function checkTemp(ev: TraceEvent, i: number): Violation | null {
    if (ev.k !== 'temp_mm') return null;
    if (freed(ev.saved)) return usedAfterFree(ev, i, ev.saved as MmId, 'C2.3 saved temporary-mm value is a freed mm', 'saves');
    if (freed(ev.mm)) return usedAfterFree(ev, i, ev.mm as MmId, 'C2.3 loaded_mm is a freed mm', 'loads');
    return null;
  }

  return {
    // Its only state is C2.9's open windows (./uaf/mm-switch-window.ts); the rest reads the mirror.
    clone: (m: Mirror) => hooks(m, init, switchWindow.clone(m)),
    key: (k: KeyContext) => switchWindow.key(k.rename),
    before(ev: TraceEvent, i: number): Violation | null {
      const v = checkUse(ev, i) ?? checkTemp(ev, i) ?? checkIrqsOff(mirror, ev, i) ?? switchWindow.before(ev, i) ?? checkSwitchMmIrqs(mirror, ev, i) ?? checkEfiSerialized(mirror, ev, i);
      if (v !== null) return v;
      if (ev.k === 'mmdrop_begin') return checkShootdownReach(mirror, ev, i);
      return ev.k === 'mm_free' ? checkAtFree(mirror, ev, i) : null;
    },
  };
}

/** The no-lazy-use-after-free property (C2). */
export const noLazyUseAfterFree = defineMirrorProperty({
  id: NO_LAZY_UAF_ID,
  title: 'No lazy (or any) use of a freed mm',
  reference:
    'kernel-model.md C2.1-C2.7 (errata Part 1 E1, E4, E5, E7); kernel/fork.c __mmdrop()/cleanup_lazy_tlbs(), kernel/sched/core.c context_switch(); C2.9-C2.11: 38cf307c1f20, d53c3dfb23c4 (kernel/kthread.c kthread_use_mm(), fs/exec.c exec_mmap(), arch/x86/mm/tlb.c switch_mm_irqs_off()); C2.12: arch/x86/platform/efi/efi_64.c efi_enter_mm(), drivers/firmware/efi/runtime-wrappers.c efi_runtime_lock',
  appliesTo: () => true,
  hooks,
  symmetricKey: true,
});
