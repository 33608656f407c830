/**
 * x86 TLB-state coherence C6.1-C6.3 (kernel-model.md C6, errata Part 2 E2/E5) for one CPU whose
 * step has settled. Only online CPUs with no path in flight are judged: inside context_switch(),
 * exec_mmap(), kthread_use_mm() and sched_force_init_mm() the scheduler's and the arch's views are
 * legitimately out of step (errata Part 2 E5, the "mmSwitchInFlight" flag).
 */
import { INIT_MM, type CpuId } from '../../src/trace/events';
import type { Violation } from '../property';
import { Explanation, violation, type EventRef } from '../lib/explain';
import type { CpuView, Mirror, TaskView } from '../lib/mirror';

/** The property id. */
export const TLB_COHERENCE_ID = 'tlb-coherence';

function fail(clause: string, i: number, cpu: CpuId, mm: string | null, x: Explanation): Violation {
  return violation({ property: TLB_COHERENCE_ID, clause, index: i, mm: mm === 'SWITCHING' ? null : mm, cpus: [cpu] }, x);
}

/** The state of `c` and its current task, with the events that set it. */
function describeState(x: Explanation, c: CpuView, t: TaskView): string {
  return (
    `cpu${c.id}: current ${t.id} (mm ${t.mm ?? 'NULL'}, active_mm ${t.activeMm ?? 'NULL'}, set by ${x.ref(t.lastMmChange, 'the init event')}; ` +
    `current since ${x.ref(c.lastSwitchTo, 'boot')}), loaded_mm ${c.loadedMm} (${x.ref(c.lastLoadMm, 'since boot')}), ` +
    `is_lazy ${c.isLazy}${c.tempMm ? `, temporary mm ${c.tempMm.temp} (saved ${c.tempMm.saved ?? 'NULL'})` : ''}.`
  );
}

/** C6.1-C6.3 for CPU `cpu` after the step that ended at event `i`. */
export function checkCpuState(mirror: Mirror, cpu: CpuId, i: number): Violation | null {
  const c = mirror.cpu(cpu);
  if (!c.online || mirror.paths.inFlight(cpu)) return null;
  const t = mirror.task(c.current);
  const loaded = c.loadedMm;
  const lazyShape = t.mm === null && loaded === t.activeMm && loaded !== INIT_MM;

  // C6.2: is_lazy => the scheduler agrees the CPU is lazy on the loaded mm.
  if (c.isLazy && !lazyShape) {
    const x = new Explanation();
    x.say(`After event ${i}, ${describeState(x, c, t)}`);
    x.say(`cpu${cpu} is marked lazy, but lazy requires current->mm NULL and loaded_mm == current->active_mm != init_mm (C6.2):`);
    x.say(`switch_mm_irqs_off() must clear is_lazy when it switches to a user mm.`);
    return fail('C6.2 lazy flag without a lazy task', i, cpu, loaded, x);
  }
  // C6.2': the converse, outside temporary-mm windows.
  if (!c.isLazy && lazyShape && c.tempMm === null) {
    const x = new Explanation();
    x.say(`After event ${i}, ${describeState(x, c, t)}`);
    x.say(`The scheduler runs a lazy task on ${loaded} and the CPU really translates through ${loaded}, but is_lazy is false (C6.2'):`);
    x.say(`the CPU keeps taking every flush for ${loaded} as an active user. ${nonLazyReloadCause(c.lastLoadMm)}`);
    return fail("C6.2' lazy task on a non-lazy CPU", i, cpu, loaded, x);
  }
  // C6.3: a loaded user mm has this CPU in its mm_cpumask (flush IPIs reach it).
  if (loaded !== INIT_MM && loaded !== 'SWITCHING' && !mirror.mm(loaded).cpumask[cpu]) {
    const x = new Explanation();
    x.say(`After event ${i}, ${describeState(x, c, t)}`);
    x.say(`cpu${cpu} translates through ${loaded} but is not in mm_cpumask(${loaded}) (C6.3), so flush_tlb_mm_range() will not IPI it.`);
    return fail('C6.3 loaded mm without cpumask bit', i, cpu, loaded, x);
  }
  // C6.1: loaded_mm is the active mm, init_mm (unlazied), or the temporary mm.
  if (loaded !== t.activeMm && loaded !== INIT_MM && !(c.tempMm !== null && loaded === c.tempMm.temp)) {
    const x = new Explanation();
    x.say(`After event ${i}, ${describeState(x, c, t)}`);
    x.say(`Outside a switch, loaded_mm must be current->active_mm, init_mm or a temporary mm (C6.1).`);
    return fail('C6.1 loaded mm is not the active mm', i, cpu, loaded, x);
  }
  return null;
}

/** Which path reloaded the lazy mm non-lazily, from the CPU's last load_mm (C6.2' message). */
function nonLazyReloadCause(last: EventRef | null): string {
  const fn = last !== null && last.ev.k === 'load_mm' ? last.ev.fn : null;
  if (fn === 'flush_tlb_func') {
    return `flush_tlb_func() reloaded it (event ${last!.i}) for the global ASID before testing is_lazy, and switch_mm_irqs_off() cleared is_lazy (errata Part 2 E2; Rik van Riel's fix of 20 May 2025 tests is_lazy first).`;
  }
  if (fn === 'unuse_temporary_mm' || fn === 'efi_leave_mm') {
    return `${fn}() (event ${last!.i}) must not reload a lazy mm non-lazily (use_temporary_mm() leaves it first).`;
  }
  return fn === null ? 'No load_mm since boot explains it.' : `The last switch to it, by ${fn}() (event ${last!.i}), did not keep the CPU lazy.`;
}
