/**
 * C2 checks at the moment an mm goes away: at free_mm(M) nothing may still point at M (tasks,
 * rq->prev_mm, loaded_mm, temporary-mm windows, hazard slots), and under shootdown every lazy user
 * must be reachable by cleanup_lazy_tlbs() when __mmdrop() starts (C2.5).
 */
import type { MmdropBeginEvent, MmFreeEvent } from '../../src/trace/events';
import type { Violation } from '../property';
import { Explanation } from '../lib/explain';
import type { Mirror } from '../lib/mirror';
import { uafFail } from './report';

/**
 * A stale `active_mm` nobody will follow: a task with no mm of its own whose active_mm is M but that
 * executes nowhere -- not current or rq->curr of an online CPU. Nothing dereferences such a pointer:
 * the next context_switch() to the task overwrites next->active_mm without reading it, and the only
 * other reader, finish_cpu() for the idle task of a CPU that went offline before v6.14 ("mm =
 * idle->active_mm; if (mm != &init_mm) idle->active_mm = &init_mm; mmdrop_lazy_tlb(mm);"), compares
 * the pointer and, under MMU_LAZY_TLB_SHOOTDOWN, only executes smp_mb() (kernel-model.md 1.1, 1.2).
 * Whoever does follow it later is reported by the use clauses (a reference on a freed mm, a task
 * pointed at it again, an NMI read), and whether the CPU still translates through M by C2.3.
 */
export function isStalePointer(mirror: Mirror, t: { mm: string | null; activeMm: string | null; onCpu: number | null; currOn: number | null }, mm: string): boolean {
  if (t.mm !== null || t.activeMm !== mm) return false;
  const runsOn = (cpu: number | null) => cpu !== null && mirror.cpu(cpu).online;
  return !runsOn(t.onCpu) && !runsOn(t.currOn);
}

/** At free_mm(M): nothing that will be followed may still point at M. */
export function checkAtFree(mirror: Mirror, ev: MmFreeEvent, i: number): Violation | null {
  const mm = ev.mm;
  if (mirror.mm(mm).freed) return null;
  for (const t of mirror.tasks.values()) {
    if (t.mm !== mm && t.activeMm !== mm) continue;
    if (isStalePointer(mirror, t, mm)) continue;
    const x = new Explanation();
    const field = t.mm === mm ? 'mm' : 'active_mm';
    const where = t.onCpu === null ? 'not running' : `current on cpu${t.onCpu}`;
    x.say(`${x.ev(ev, i)} frees ${mm} while ${t.id} (${where}) still has ${field} ${mm}, set by ${x.ref(t.lastMmChange, 'the init event')}.`);
    x.say(field === 'active_mm' && t.mm === null ? `A lazy user must hold a reference (refcount) or be shot down by cleanup_lazy_tlbs() (shootdown) before __mmdrop() frees the mm.` : '');
    return uafFail('C2.1 task points at a freed mm', i, mm, t.onCpu === null ? [ev.cpu] : [t.onCpu], x);
  }
  for (const c of mirror.cpus) {
    const x = new Explanation();
    if (c.prevMm === mm) {
      x.say(`${x.ev(ev, i)} frees ${mm} while rq->prev_mm of cpu${c.id} is ${mm} (finish_task_switch() has not dropped it yet).`);
      return uafFail('C2.2 rq->prev_mm is a freed mm', i, mm, [c.id], x);
    }
    if (c.loadedMm === mm) {
      x.say(`${x.ev(ev, i)} frees ${mm} while cpu${c.id} still translates through it (loaded_mm ${mm} since ${x.ref(c.lastLoadMm, 'boot')}; current ${c.current}):`);
      x.say(`its page-table walker can now read a freed pgd.`);
      return uafFail('C2.3 loaded_mm is a freed mm', i, mm, [c.id], x);
    }
    if (c.hazardLazyMm === mm || c.hazardDropMm === mm) {
      const slot = c.hazardLazyMm === mm ? 'lazy_mm' : 'drop_mm';
      x.say(`${x.ev(ev, i)} frees ${mm} while rq${c.id}->${slot} still points at it: __mmput()'s mm_unlazy_mm_count() must turn every lazy_mm hazard pointer into a counted drop_mm reference first (C2.7).`);
      return uafFail('C2.7 hazard pointer to a freed mm', i, mm, [c.id], x);
    }
    if (c.tempMm !== null && (c.tempMm.saved === mm || c.tempMm.temp === mm)) {
      x.say(`${x.ev(ev, i)} frees ${mm} while cpu${c.id} is inside a temporary-mm window that will restore it (saved ${c.tempMm.saved ?? 'NULL'}).`);
      return uafFail('C2.3 saved temporary-mm value is a freed mm', i, mm, [c.id], x);
    }
  }
  return null;
}

/**
 * C2.5 (shootdown, errata Part 1 E1/E5): at __mmdrop(M) entry every lazy user of M -- the task
 * current on a CPU, or the next of a switch in flight -- is on an online CPU in mm_cpumask(M),
 * since cleanup_lazy_tlbs() IPIs exactly mm_cpumask(M) & cpu_online_mask.
 */
export function checkShootdownReach(mirror: Mirror, ev: MmdropBeginEvent, i: number): Violation | null {
  if (mirror.init.strategy !== 'shootdown') return null;
  const m = mirror.mm(ev.mm);
  if (m.isStatic) return null;
  for (const c of mirror.cpus) {
    const users = [mirror.task(c.current), mirror.task(c.curr)].filter((t) => t.activeMm === ev.mm);
    if (users.length === 0 || (c.online && m.cpumask[c.id])) continue;
    // An offline CPU that no longer translates through M (idle_task_exit() switched it to init_mm)
    // keeps only a stale idle->active_mm, which finish_cpu() compares and never dereferences. While
    // it still has M loaded (the pre-v6.14 window after __cpu_disable()), it is a real lazy user.
    if (!c.online && c.loadedMm !== ev.mm) continue;
    const t = users[0];
    const x = new Explanation();
    x.say(`${x.ev(ev, i)} starts freeing ${ev.mm} while ${t.id} on cpu${c.id} uses it (active_mm ${ev.mm}, set by ${x.ref(t.lastMmChange, 'the init event')}),`);
    x.say(c.online
      ? `but cpu${c.id} is not in mm_cpumask(${ev.mm}), so cleanup_lazy_tlbs() will not shoot it down: MMU_LAZY_TLB_SHOOTDOWN requires the arch to keep lazy CPUs in mm_cpumask.`
      : `but cpu${c.id} is offline, and on_each_cpu_mask() reaches only online CPUs (errata Part 1 E5).`);
    return uafFail('C2.5 lazy user unreachable by shootdown', i, ev.mm, [c.id], x);
  }
  return null;
}
