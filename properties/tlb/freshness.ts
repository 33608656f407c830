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

/** Per-CPU TLB generations and completed flushes, with the C6.4 checks. */
export class TlbFreshness {
  /** Per CPU: mm -> the generation its TLB is up to date with, and the event that set it. */
  private readonly local: Map<MmId, { gen: number; at: EventRef }>[];
  /** Per mm: the largest completed flush, and the largest completed freed-tables flush. */
  private readonly done = new Map<MmId, { gen: number; at: EventRef }>();
  private readonly doneFreed = new Map<MmId, { gen: number; at: EventRef }>();
  /** key() without a renaming, shared with clones until the next write of a generation (issue 15: most transitions write none). */
  private memo = new KeyMemo();

  constructor(private readonly mirror: Mirror, init: InitEvent) {
    this.local = mirror.cpus.map(() => new Map());
    for (const c of this.local) for (const m of init.mms) c.set(m.mm, Object.freeze({ gen: m.tlbGen, at: { ev: init, i: 0 } }));
  }

  /** An independent copy reading `mirror` (the `{ gen, at }` records are frozen: replaced, never mutated, so they are shared). */
  clone(mirror: Mirror): TlbFreshness {
    const c = Object.create(TlbFreshness.prototype) as TlbFreshness;
    const w = c as unknown as { mirror: Mirror; local: TlbFreshness['local']; done: TlbFreshness['done']; doneFreed: TlbFreshness['doneFreed']; memo: KeyMemo };
    w.mirror = mirror;
    w.local = this.local.map((m) => (m === undefined ? m : new Map(m)));
    w.done = new Map(this.done);
    w.doneFreed = new Map(this.doneFreed);
    w.memo = this.memo;
    return c;
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
    if (this.local[cpu] === undefined) this.memo = new KeyMemo(); // a hole becomes an empty map: key() writes it
    return (this.local[cpu] ??= new Map()).get(mm) ?? { gen: -1, at: null };
  }

  setLocal(cpu: CpuId, mm: MmId, gen: number, at: EventRef): void {
    this.memo = new KeyMemo();
    (this.local[cpu] ??= new Map()).set(mm, Object.freeze({ gen, at }));
  }

  /** A new mm (mm_alloc): no CPU has translations for it. */
  forget(mm: MmId): void {
    this.memo = new KeyMemo();
    for (const c of this.local) c?.delete(mm);
    this.done.delete(mm);
    this.doneFreed.delete(mm);
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
    this.memo = new KeyMemo();
    const at = { ev, i };
    if ((this.done.get(ev.mm)?.gen ?? -1) < ev.gen) this.done.set(ev.mm, Object.freeze({ gen: ev.gen, at }));
    if (ev.freedTables && (this.doneFreed.get(ev.mm)?.gen ?? -1) < ev.gen) this.doneFreed.set(ev.mm, Object.freeze({ gen: ev.gen, at }));
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
