/**
 * tlb-coherence for the archs whose TLB entries are tagged by the mm's context id and kept across
 * switches, and whose flushes are broadcast by hardware (issue 12 item 7): powerpc book3s64 radix
 * (PID; tlbie, or a local tlbiel when flush_type_needed() finds this CPU alone in mm_cpumask) and
 * arm64 (ASID; TLBI ... IS, no mm_cpumask). Lazy CPUs are not special here: a CPU that still has the
 * mm's PID/ASID loaded keeps using and filling its entries.
 *
 *  - C6.1 (both): a settled CPU translates through current->active_mm, init_mm or a temporary mm.
 *  - C6.3 (powerpc): a CPU translating through mm M is in mm_cpumask(M) -- flush_type_needed()'s
 *    "active_cpus == 1 && cpumask_test_cpu(cpu, mm_cpumask(mm)) -> FLUSH_TYPE_LOCAL" relies on it.
 *  - C6.4 (both): when a flush of M completes, no online CPU that may hold entries of M is below its
 *    generation; user mode and hardware walks never run on entries older than a completed flush.
 *    A CPU may hold entries of M from the first load of M until a full flush of M's PID while it
 *    does not use M (powerpc exit_lazy_flush_tlb()'s "_tlbiel_pid(pid, RIC_FLUSH_ALL)"), or until
 *    it comes online ("radix__switch_mmu_context(NULL, &init_mm); tlbiel_all();" in
 *    radix__early_init_mmu_secondary(); arm64 __cpu_setup's "tlbi vmalle1"). A CPU that loads M
 *    holding nothing of it fills its TLB from the current page tables, so it starts up to date.
 *
 * All mutable state is in plain data fields (no closures), so the hooks object can be cloned.
 */
import { INIT_MM, type CpuId, type DerefEvent, type FlushDoneEvent, type InitEvent, type MmId, type TraceEvent, type UserEnterEvent } from '../../src/trace/events';
import type { Violation } from '../property';
import { Explanation, violation, type EventRef } from '../lib/explain';
import type { Mirror } from '../lib/mirror';
import type { MirrorHooks } from '../lib/mirror-property';
import { renamed, type KeyContext } from '../lib/state-key';
import { TLB_COHERENCE_ID } from './state-checks';
import { DirtyCpus } from './dirty-cpus';

/** What one CPU may hold of one mm: whether any entry at all, and up to which generation it is fresh. */
interface Held {
  cached: boolean;
  gen: number;
  at: EventRef | null;
}

/** The largest completed flush of an mm (and of one that freed page tables). */
interface Done {
  gen: number;
  at: EventRef;
}

export class TaggedTlbCoherence implements MirrorHooks {
  /** Per CPU: mm -> what it may hold. */
  readonly held: Record<MmId, Held>[];
  readonly done: Record<MmId, Done> = {};
  readonly doneFreed: Record<MmId, Done> = {};
  /** CPUs whose C6.1/C6.3 state changed since they were last checked. */
  readonly dirty: DirtyCpus;
  readonly hasCpumask: boolean;

  constructor(readonly mirror: Mirror, init: InitEvent) {
    this.hasCpumask = init.arch === 'powerpc';
    this.held = mirror.cpus.map(() => ({}));
    this.dirty = DirtyCpus.of(mirror.cpus.length);
    for (const m of init.mms) {
      for (const c of mirror.cpus) {
        const cached = c.loadedMm === m.mm || (m.cpumask ?? []).includes(c.id);
        this.held[c.id][m.mm] = { cached, gen: m.tlbGen, at: { ev: init, i: 0 } };
      }
    }
  }

  /** A copy on `mirror` (MirrorHooks.clone()): no record is shared with the original. */
  clone(mirror: Mirror): TaggedTlbCoherence {
    const c = Object.create(TaggedTlbCoherence.prototype) as TaggedTlbCoherence;
    const w = c as unknown as {
      mirror: Mirror; held: Record<MmId, Held>[]; done: Record<MmId, Done>; doneFreed: Record<MmId, Done>;
      dirty: DirtyCpus; hasCpumask: boolean;
    };
    w.mirror = mirror;
    w.held = this.held.map((per) => {
      const out: Record<MmId, Held> = {};
      for (const [mm, h] of Object.entries(per)) out[mm] = { ...h };
      return out;
    });
    const copy = (r: Record<MmId, Done>) => Object.fromEntries(Object.entries(r).map(([mm, d]) => [mm, { ...d }]));
    w.done = copy(this.done);
    w.doneFreed = copy(this.doneFreed);
    w.dirty = this.dirty.clone();
    w.hasCpumask = this.hasCpumask;
    return c;
  }

  /**
   * What the future verdicts depend on (MirrorHooks.key()): per CPU and mm whether entries may be
   * held and up to which generation, the completed flushes' generations, and the CPUs to check at the
   * next settle with the step they come with. Event references only feed messages, so they are left out.
   */
  key(k: KeyContext): string {
    // mm names renamed (symmetry reduction) before they are sorted.
    const byName = (r: Record<MmId, unknown>) => Object.keys(r).map((mm) => [renamed(k, mm), mm]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const gens = (r: Record<MmId, { gen: number }>) => byName(r).map(([name, mm]) => `${name}=${r[mm].gen}`).join(',');
    const held = this.held
      .map((per, cpu) => `H${cpu}:${byName(per).map(([name, mm]) => `${name}=${per[mm].cached ? 'c' : 'n'}${per[mm].gen}`).join(',')}`)
      .join(' ');
    return `${this.dirty.key(k)} ${held} F${gens(this.done)} R${gens(this.doneFreed)}`;
  }

  private get(cpu: CpuId, mm: MmId): Held {
    return (this.held[cpu][mm] ??= { cached: false, gen: -1, at: null });
  }

  after(ev: TraceEvent, i: number): Violation | null {
    this.dirty.markChanged(ev, this.mirror);
    switch (ev.k) {
      case 'load_mm': {
        if (ev.mm === 'SWITCHING' || ev.mm === INIT_MM) return null;
        const h = this.get(ev.cpu, ev.mm);
        if (!h.cached) Object.assign(h, { cached: true, gen: this.mirror.mm(ev.mm).tlbGen, at: { ev, i } });
        return null;
      }
      case 'local_tlb_gen': {
        const h = this.get(ev.cpu, ev.mm);
        h.gen = Math.max(h.gen, ev.gen);
        h.at = { ev, i };
        // exit_lazy_flush_tlb(): RIC_FLUSH_ALL of the PID on a CPU that no longer uses it.
        if (ev.fn === 'exit_lazy_flush_tlb' && this.mirror.cpu(ev.cpu).loadedMm !== ev.mm) h.cached = false;
        return null;
      }
      case 'cpu_online':
        if (ev.online) for (const h of Object.values(this.held[ev.target])) h.cached = false;
        return null;
      case 'mm_alloc':
        for (const c of this.held) delete c[ev.mm];
        delete this.done[ev.mm];
        delete this.doneFreed[ev.mm];
        return null;
      case 'flush_done':
        return this.onFlushDone(ev, i);
      case 'user_enter':
        return this.onUserEnter(ev, i);
      case 'deref':
        return this.onWalk(ev, i);
      default:
        return null;
    }
  }

  settle(_cpu: CpuId, i: number): Violation | null {
    return this.dirty.settle((c) => this.checkCpu(c, i));
  }

  private checkCpu(cpu: CpuId, i: number): Violation | null {
    const c = this.mirror.cpu(cpu);
    if (!c.online || this.mirror.paths.inFlight(cpu)) return null;
    const t = this.mirror.task(c.current);
    const loaded = c.loadedMm;
    const state = (x: Explanation) =>
      `cpu${cpu}: current ${t.id} (mm ${t.mm ?? 'NULL'}, active_mm ${t.activeMm ?? 'NULL'}, set by ${x.ref(t.lastMmChange, 'the init event')}), loaded mm ${loaded} (${x.ref(c.lastLoadMm, 'since boot')})`;
    if (this.hasCpumask && loaded !== INIT_MM && loaded !== 'SWITCHING' && !this.mirror.mm(loaded).cpumask[cpu]) {
      const x = new Explanation();
      x.say(`After event ${i}, ${state(x)}, but cpu${cpu} is not in mm_cpumask(${loaded}) (C6.3):`);
      x.say(`flush_type_needed() may then flush ${loaded} with a local tlbiel elsewhere, or not at all, and leave this CPU's entries stale.`);
      return violation({ property: TLB_COHERENCE_ID, clause: 'C6.3 loaded mm without cpumask bit', index: i, mm: loaded, cpus: [cpu] }, x);
    }
    if (loaded !== 'SWITCHING' && loaded !== t.activeMm && loaded !== INIT_MM && !(c.tempMm !== null && loaded === c.tempMm.temp)) {
      const x = new Explanation();
      x.say(`After event ${i}, ${state(x)}. Outside a switch, the loaded mm must be current->active_mm, init_mm or a temporary mm (C6.1).`);
      return violation({ property: TLB_COHERENCE_ID, clause: 'C6.1 loaded mm is not the active mm', index: i, mm: loaded, cpus: [cpu] }, x);
    }
    return null;
  }

  private onFlushDone(ev: FlushDoneEvent, i: number): Violation | null {
    let v: Violation | null = null;
    for (const c of this.mirror.cpus) {
      if (!c.online) continue;
      const h = this.get(c.id, ev.mm);
      if (!h.cached || h.gen >= ev.gen) continue;
      const x = new Explanation();
      x.say(`${x.ev(ev, i)} completes, but cpu${c.id} may still hold entries of ${ev.mm} at generation ${h.gen} (${x.ref(h.at, 'boot')})`);
      x.say(`(loaded mm ${c.loadedMm}; ${this.hasCpumask ? `in mm_cpumask: ${this.mirror.mm(ev.mm).cpumask[c.id]}` : 'no mm_cpumask'}): the flush did not reach it (C6.4).`);
      v = violation({ property: TLB_COHERENCE_ID, clause: 'C6.4 flush completed with a stale TLB', index: i, mm: ev.mm, cpus: [c.id] }, x);
      break;
    }
    const at = { ev, i };
    if ((this.done[ev.mm]?.gen ?? -1) < ev.gen) this.done[ev.mm] = { gen: ev.gen, at };
    if (ev.freedTables && (this.doneFreed[ev.mm]?.gen ?? -1) < ev.gen) this.doneFreed[ev.mm] = { gen: ev.gen, at };
    return v;
  }

  private onUserEnter(ev: UserEnterEvent, i: number): Violation | null {
    const mm = this.mirror.cpu(ev.cpu).loadedMm;
    if (mm === 'SWITCHING' || mm === INIT_MM) return null;
    const need = this.done[mm];
    const h = this.get(ev.cpu, mm);
    if (need === undefined || h.gen >= need.gen) return null;
    const x = new Explanation();
    x.say(`${x.ev(ev, i)} runs user code of ${mm} with cpu${ev.cpu}'s entries at generation ${h.gen} (${x.ref(h.at, 'boot')}),`);
    x.say(`but ${x.ref(need.at)} already completed a flush of generation ${need.gen}: stale translations are usable (C6.4).`);
    return violation({ property: TLB_COHERENCE_ID, clause: 'C6.4 stale TLB in user mode', index: i, mm, cpus: [ev.cpu] }, x);
  }

  private onWalk(ev: DerefEvent, i: number): Violation | null {
    if (ev.who !== 'walker' || ev.mm === null) return null;
    const need = this.doneFreed[ev.mm];
    const h = this.get(ev.cpu, ev.mm);
    if (need === undefined || h.gen >= need.gen) return null;
    const x = new Explanation();
    x.say(`${x.ev(ev, i)}: cpu${ev.cpu}'s paging-structure caches for ${ev.mm} are at generation ${h.gen} (${x.ref(h.at, 'boot')}),`);
    x.say(`but ${x.ref(need.at)} freed page tables at generation ${need.gen}: the walk can follow freed tables (C6.4).`);
    return violation({ property: TLB_COHERENCE_ID, clause: 'C6.4 page walk through freed page tables', index: i, mm: ev.mm, cpus: [ev.cpu] }, x);
  }
}
