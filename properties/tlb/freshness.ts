/**
 * x86 TLB freshness C6.4 (kernel-model.md C6.4, errata Part 2 E6/E12). Per CPU and mm, the TLB is
 * up to date up to `local_tlb_gen` (ctxs[asid].tlb_gen); a `load_mm` that flushed brings it to the
 * mm's tlb_gen. Then:
 *  - at `flush_done(M, gen)`: every settled CPU with loaded_mm == M that is not lazy is at >= gen; with
 *    freed tables lazy CPUs too ("if page tables are getting freed, we need to send the IPI
 *    everywhere", native_flush_tlb_multi());
 *  - at `user_enter` on a CPU with loaded_mm == M: it is at >= the largest completed flush of M;
 *  - a hardware page walk (`deref` by 'walker') through M is not below the largest completed
 *    freed-tables flush of M (paging-structure caches must not point at freed page tables).
 * At boot every CPU is taken to be up to date with every mm (the init event has no per-CPU
 * generations); a new mm is unknown (-1) on every CPU until a flushed load or a local_tlb_gen.
 */
import type { CpuId, DerefEvent, FlushDoneEvent, InitEvent, MmId, UserEnterEvent } from '../../src/trace/events';
import type { Violation } from '../property';
import { Explanation, violation, type EventRef } from '../lib/explain';
import type { Mirror } from '../lib/mirror';
import { KeyMemo, sortedEntries, type NameRenaming } from '../lib/state-key';
import { TLB_COHERENCE_ID } from './state-checks';

type Gen = { gen: number; at: EventRef };

/** The generations (the `{ gen, at }` records are frozen: replaced, never mutated). */
interface FreshTables {
  /** Per CPU: mm -> the generation its TLB is up to date with, and the event that set it. */
  local: Map<MmId, Gen>[];
  /** Per mm: the largest completed flush, and the largest completed freed-tables flush. */
  done: Map<MmId, Gen>;
  doneFreed: Map<MmId, Gen>;
}

/** Per-CPU TLB generations and completed flushes, with the C6.4 checks. */
export class TlbFreshness {
  /**
   * Copy-on-write (issue 15: the explorer clones the monitors per transition, and most transitions
   * write no generation): a clone shares the frozen tables with its original; whichever side
   * writes first copies them (`own()`). Frozen tables are never written again.
   */
  private t: FreshTables;
  /** key() without a renaming, shared with clones until the next write of a generation (issue 15: most transitions write none). */
  private memo = new KeyMemo();

  constructor(private readonly mirror: Mirror, init: InitEvent) {
    this.t = { local: mirror.cpus.map(() => new Map()), done: new Map(), doneFreed: new Map() };
    for (const c of this.t.local) for (const m of init.mms) c.set(m.mm, Object.freeze({ gen: m.tlbGen, at: { ev: init, i: 0 } }));
  }

  /** An independent copy reading `mirror`: the tables shared copy-on-write, with the key memo. */
  clone(mirror: Mirror): TlbFreshness {
    const c = Object.create(TlbFreshness.prototype) as TlbFreshness;
    const w = c as unknown as { mirror: Mirror; t: FreshTables; memo: KeyMemo };
    w.mirror = mirror;
    w.t = Object.freeze(this.t);
    w.memo = this.memo;
    return c;
  }

  /** The tables, this object's own (copied first if shared); the key memo dropped: for every write. */
  private own(): FreshTables {
    const t = this.t;
    if (Object.isFrozen(t)) this.t = { local: t.local.map((m) => (m === undefined ? m : new Map(m))), done: new Map(t.done), doneFreed: new Map(t.doneFreed) };
    this.memo = new KeyMemo();
    return this.t;
  }

  private get local(): readonly (ReadonlyMap<MmId, Gen> | undefined)[] {
    return this.t.local;
  }
  private get done(): ReadonlyMap<MmId, Gen> {
    return this.t.done;
  }
  private get doneFreed(): ReadonlyMap<MmId, Gen> {
    return this.t.doneFreed;
  }

  /** The generations (not the events that set them: messages only), canonically ordered; mm names under `rename` (symmetry reduction). */
  key(rename?: NameRenaming): string {
    if (rename === undefined) return (this.memo.text ??= this.keyOf(undefined));
    return this.keyOf(rename);
  }

  private keyOf(rename: NameRenaming | undefined): string {
    const gen = (x: { gen: number }) => x.gen;
    const local = this.local.map((m, cpu) => `G${cpu}:${m === undefined ? '' : sortedEntries(m, gen, rename)}`).join(' ');
    return `${local} F${sortedEntries(this.done, gen, rename)} R${sortedEntries(this.doneFreed, gen, rename)}`;
  }

  private gen(cpu: CpuId, mm: MmId): { gen: number; at: EventRef | null } {
    const m = this.local[cpu] ?? (this.own().local[cpu] = new Map()); // a hole becomes an empty map: key() writes it
    return m.get(mm) ?? { gen: -1, at: null };
  }

  setLocal(cpu: CpuId, mm: MmId, gen: number, at: EventRef): void {
    (this.own().local[cpu] ??= new Map()).set(mm, Object.freeze({ gen, at }));
  }

  /** A new mm (mm_alloc): no CPU has translations for it. */
  forget(mm: MmId): void {
    const t = this.own();
    for (const c of t.local) c?.delete(mm);
    t.done.delete(mm);
    t.doneFreed.delete(mm);
  }

  onFlushDone(ev: FlushDoneEvent, i: number): Violation | null {
    for (const c of this.mirror.cpus) {
      if (!c.online || c.loadedMm !== ev.mm || this.mirror.paths.inFlight(c.id)) continue;
      if (c.isLazy && !ev.freedTables) continue;
      const have = this.gen(c.id, ev.mm);
      if (have.gen >= ev.gen) continue;
      const x = new Explanation();
      x.say(`${x.ev(ev, i)} completes, but cpu${c.id} still translates through ${ev.mm}${c.isLazy ? ' lazily' : ''}`);
      x.say(`(loaded by ${x.ref(c.lastLoadMm, 'boot')}) with its TLB at generation ${have.gen} (${x.ref(have.at, 'never flushed')}).`);
      x.say(c.isLazy
        ? `A flush that frees page tables must reach lazy CPUs too: they may hold paging-structure caches of the freed tables (native_flush_tlb_multi()).`
        : `Every non-lazy CPU in mm_cpumask must have flushed before flush_tlb_mm_range() returns.`);
      const clause = c.isLazy ? 'C6.4 freed page tables not flushed on a lazy CPU' : 'C6.4 flush completed with a stale TLB';
      const v = violation({ property: TLB_COHERENCE_ID, clause, index: i, mm: ev.mm, cpus: [c.id] }, x);
      this.record(ev, i);
      return v;
    }
    this.record(ev, i);
    return null;
  }

  private record(ev: FlushDoneEvent, i: number): void {
    const t = this.own();
    const at = { ev, i };
    if ((t.done.get(ev.mm)?.gen ?? -1) < ev.gen) t.done.set(ev.mm, Object.freeze({ gen: ev.gen, at }));
    if (ev.freedTables && (t.doneFreed.get(ev.mm)?.gen ?? -1) < ev.gen) t.doneFreed.set(ev.mm, Object.freeze({ gen: ev.gen, at }));
  }

  onUserEnter(ev: UserEnterEvent, i: number): Violation | null {
    const c = this.mirror.cpu(ev.cpu);
    const t = this.mirror.task(ev.task);
    if (c.loadedMm !== t.mm) {
      const x = new Explanation();
      x.say(`${x.ev(ev, i)} runs user code of ${t.mm ?? 'no mm'} while cpu${ev.cpu} translates through ${c.loadedMm} (${x.ref(c.lastLoadMm, 'since boot')}):`);
      x.say(`the switch to ${ev.task} must load its mm before returning to user mode (C6.1).`);
      return violation({ property: TLB_COHERENCE_ID, clause: 'C6.1 user mode on a foreign mm', index: i, mm: t.mm, cpus: [ev.cpu] }, x);
    }
    const mm = c.loadedMm;
    if (mm === 'SWITCHING') return null;
    const need = this.done.get(mm);
    const have = this.gen(ev.cpu, mm);
    if (need === undefined || have.gen >= need.gen) return null;
    const x = new Explanation();
    x.say(`${x.ev(ev, i)} runs user code of ${mm} with cpu${ev.cpu}'s TLB at generation ${have.gen} (${x.ref(have.at, 'never flushed')}),`);
    x.say(`but ${x.ref(need.at)} already completed a flush of generation ${need.gen}: stale translations are usable (C6.4).`);
    return violation({ property: TLB_COHERENCE_ID, clause: 'C6.4 stale TLB in user mode', index: i, mm, cpus: [ev.cpu] }, x);
  }

  onWalk(ev: DerefEvent, i: number): Violation | null {
    if (ev.who !== 'walker' || ev.mm === null) return null;
    const need = this.doneFreed.get(ev.mm);
    const have = this.gen(ev.cpu, ev.mm);
    if (need === undefined || have.gen >= need.gen) return null;
    const x = new Explanation();
    x.say(`${x.ev(ev, i)}: cpu${ev.cpu}'s paging-structure caches for ${ev.mm} are at generation ${have.gen} (${x.ref(have.at, 'never flushed')}),`);
    x.say(`but ${x.ref(need.at)} freed page tables at generation ${need.gen}: the walk can follow freed tables (C6.4, errata Part 2 E12).`);
    return violation({ property: TLB_COHERENCE_ID, clause: 'C6.4 page walk through freed page tables', index: i, mm: ev.mm, cpus: [ev.cpu] }, x);
  }
}
