/**
 * x86 (arch/x86/mm/tlb.c, arch/x86/include/asm/sync_core.h; kernel-model.md 1.7 with errata Part 2).
 * Knobs: pti, cpumaskPolicy ('lazy-trim' >= v6.14 | 'eager-clear' <= v6.13), flushFilter
 * ('shouldFlush' >= v6.15 | 'notLazy' <= v6.13).
 */
import type { Kctx } from '../kctx';
import type { Ipi } from '../state';
import type { ArchHooks, SwitchPlan } from './arch';
import { switchLazyToInitMm } from '../kernel/unlazy-to-init-mm';
import { makeX86FlushSteps } from './x86-flush-steps';
import { INIT_MM, MEMBARRIER_STATE, type CpuId, type MmId } from '../../trace/events';

/**
 * Models: arch/x86/mm/tlb.c switch_mm_irqs_off() (the `prev` argument is ignored: it reads
 * cpu_tlbstate.loaded_mm). It writes CR3 (core serializing, a full barrier) only when the mm
 * changes or when a lazy CPU returns to the same mm with a stale tlb_gen; otherwise it returns early.
 */
function switchMmIrqsOff(k: Kctx, cpu: CpuId, fn: string, next: MmId): void {
  const plan = switchMmBegin(k, cpu, fn, next, false);
  if (plan) switchMmFinish(k, cpu, fn, next, plan);
}

/**
 * Models: switch_mm_irqs_off()'s choice (no global ASIDs): a different mm always reloads CR3
 * (load_new_mm_cr3()); the same mm returns early "if (!was_lazy) return;", and after a lazy period
 * only when "this_cpu_read(cpu_tlbstate.ctxs[prev_asid].tlb_gen) == next_tlb_gen" (`tlbFresh`).
 * Returns whether CR3 is written; with the same mm after a lazy period and `tlbFresh` unknown, null.
 */
export function switchMmWritesCr3(loadedMm: string, next: string, wasLazy: boolean, tlbFresh: boolean | null): boolean | null {
  if (loadedMm !== next) return true;
  if (!wasLazy) return false;
  return tlbFresh === null ? null : !tlbFresh;
}

/**
 * switch_mm_irqs_off() up to the CR3 write. Returns null when it returned early, else the tlb_gen
 * it read and whether the load must flush. With `split` (context_switch() runs the two halves as
 * separate steps, errata Part 2 E3) the LOADED_MM_SWITCHING store is visible to remote flushers.
 */
function switchMmBegin(k: Kctx, cpu: CpuId, fn: string, next: MmId, split: boolean): SwitchPlan | null {
  const c = k.cpu(cpu);
  const prev = c.loadedMm;
  const wasLazy = c.isLazy;
  if (wasLazy) k.setLazy(cpu, 'switch_mm_irqs_off', false);
  const nm = k.mm(next);
  if (prev === next) {
    // "Check if the current mm is transitioning to a global ASID": "if (mm_needs_global_asid(next,
    // prev_asid)) { ... ns = choose_new_asid(next, next_tlb_gen); goto reload_tlb; }" -- a CR3 write
    // onto the global ASID (errata Part 2 E1); is_lazy was already cleared above (E2).
    if (needsGlobalAsid(k, cpu, next)) return { gen: nm.tlbGen, needFlush: false, sameMm: true, globalAsid: true };
    // "Broadcast TLB invalidation keeps this ASID up to date all the time": return (no barrier).
    if (loadedAsidGlobal(k, cpu)) {
      if (wasLazy) archSyncCoreOnLazyReturn(k, cpu, next);
      return null;
    }
    // "if (!was_lazy) return;": thread -> thread of the same mm, nothing to do (no CR3 write).
    if (switchMmWritesCr3(prev, next, wasLazy, null) === false) return null;
    // smp_mb() pairs with the tlb_gen increment in the flush code.
    k.mb(cpu, 'switch_mm_irqs_off');
    // The TLB is fresh: return without writing CR3 (the x86 SYNC_CORE gap that
    // finish_task_switch()'s membarrier_mm_sync_core_before_usermode() covers).
    if (!switchMmWritesCr3(prev, next, wasLazy, (c.localTlbGen[next] ?? -1) === nm.tlbGen)) {
      archSyncCoreOnLazyReturn(k, cpu, next);
      return null;
    }
    return { gen: nm.tlbGen, needFlush: true, sameMm: true };
  }
  // >= v6.15: "this_cpu_write(cpu_tlbstate.loaded_mm, LOADED_MM_SWITCHING)" before the cpumask
  // update and the tlb_gen read; <= v6.14 (and the 6.1/6.6/6.12 stable trees) only after the read.
  // A plain store: with knob storeBuffer it waits in the store buffer (Kctx.setLoadedMmSwitching()).
  if (split && k.knob<string>('switchingStore') === 'beforeTlbGenRead') k.setLoadedMmSwitching(cpu, 'switch_mm_irqs_off');
  if (k.knob<string>('cpumaskPolicy') === 'eager-clear' && prev !== INIT_MM && prev !== 'SWITCHING') {
    // <= v6.13: cpumask_clear_cpu(cpu, mm_cpumask(prev)) on every switch away.
    k.setCpumask(cpu, 'switch_mm_irqs_off', k.mm(prev), cpu, false);
  }
  // "Make sure this CPU is set in mm_cpumask() such that we'll receive invalidation IPIs. Rely on
  // the smp_mb() implied by cpumask_set_cpu()'s atomic operation, or explicitly provide one. [...]
  // This way switch_mm() must see the new tlb_gen or flush_tlb_mm_range() must see the new
  // loaded_mm, or both." (83b0177a6c48, v6.18; knob switchingStoreFence='barrier': v6.15-v6.17 had
  // only barrier() here, so an x86 store buffer could hold LOADED_MM_SWITCHING past the tlb_gen read).
  if (next !== INIT_MM && !nm.cpumask[cpu]) k.setCpumask(cpu, 'switch_mm_irqs_off', nm, cpu, true);
  else if (k.knob<string>('switchingStoreFence') === 'smp_mb') k.mb(cpu, 'switch_mm_irqs_off');
  const gen = nm.tlbGen;
  // choose_new_asid(): "Global ASIDs are always up to date": ns.need_flush = 0 (knob invlpgb: every
  // user mm, or with asidTransition those consider_global_asid() promoted).
  if (usesGlobalAsid(k, next)) return { gen, needFlush: false, sameMm: false, globalAsid: true };
  return { gen, needFlush: next !== INIT_MM && (c.localTlbGen[next] ?? -1) !== gen, sameMm: false };
}

/** switch_mm_irqs_off() from reload_tlb: the CR3 write, with the tlb_gen read in switchMmBegin(). */
function switchMmFinish(k: Kctx, cpu: CpuId, fn: string, next: MmId, plan: SwitchPlan): void {
  const c = k.cpu(cpu);
  // reload_tlb: load_new_mm_cr3(): write_cr3() is serializing ("many callers of this function
  // expect that load_cr3() is serializing"), and comes before the loaded_mm store ("Make sure we
  // write CR3 before loaded_mm"): a LOADED_MM_SWITCHING store still buffered is visible by then.
  k.drainStoreBuffer(cpu, 'load_new_mm_cr3');
  c.loadedMm = next;
  k.emit({ k: 'load_mm', cpu, fn, mm: next, cr3Write: true, flushed: plan.needFlush });
  k.mb(cpu, 'load_new_mm_cr3');
  k.serialize(cpu, 'load_new_mm_cr3', 'write_cr3');
  if (plan.needFlush) {
    // ctxs[asid].tlb_gen = the generation read before the write: a flush requested after that read
    // must reach this CPU by IPI (should_flush_tlb()'s LOADED_MM_SWITCHING clause).
    c.localTlbGen[next] = plan.gen;
    k.emit({ k: 'local_tlb_gen', cpu, fn: 'switch_mm_irqs_off', mm: next, gen: plan.gen });
  }
  // this_cpu_write(cpu_tlbstate.loaded_mm_asid, ns.asid) (knob asidTransition; with invlpgb alone
  // loadedAsidGlobal() derives it from the mm).
  if (transitionMode(k)) c.loadedAsidGlobal = plan.globalAsid === true;
  if (plan.globalAsid) {
    // The global ASID, which INVLPGB keeps up to date on every CPU: the TLB is as fresh as the
    // generation read, or fresher when a broadcast flush completed after that read (its
    // broadcastTlbFlush() already set this CPU's generation: the kernel writes no ctxs[].tlb_gen for
    // a global ASID, so nothing can make the TLB older again).
    globalAsidFresh(k, cpu, 'choose_new_asid', next, plan.gen);
  }
}

/**
 * A global ASID's TLB on `cpu` is fresh up to generation `gen` of `mm`, or up to the later one it
 * already had: an INVLPGB invalidation never makes a TLB older (two broadcasts of the mm in flight,
 * or a broadcast between a switch's tlb_gen read and its CR3 write).
 */
function globalAsidFresh(k: Kctx, cpu: CpuId, fn: string, mm: MmId, gen: number): void {
  const c = k.cpu(cpu);
  const fresh = Math.max(c.localTlbGen[mm] ?? -1, gen);
  c.localTlbGen[mm] = fresh;
  k.emit({ k: 'local_tlb_gen', cpu, fn, mm, gen: fresh });
}

/**
 * Proposed fix (knob syncCoreOnLazySameMmSwitch; Andy Lutomirski's unmerged RFC "x86/mm: Handle
 * unlazying membarrier core sync in the arch code", Dec 2020, and his 2022 series under the hazard
 * strategy): sync where the lazy -> same-mm return skips the CR3 write, whoever the caller is
 * (context_switch() or kthread_use_mm()).
 */
function archSyncCoreOnLazyReturn(k: Kctx, cpu: CpuId, mm: MmId): void {
  if (!k.knob<boolean>('syncCoreOnLazySameMmSwitch') && !k.strategy.explicitMembarrierBarriers) return;
  if (k.mm(mm).membarrierState & MEMBARRIER_STATE.PRIVATE_EXPEDITED_SYNC_CORE) k.arch.sync_core_before_usermode(k, cpu, 'switch_mm_irqs_off');
}

/** Knob `invlpgb` with `asidTransition`: mms get their global ASID at run time (consider_global_asid()). */
function transitionMode(k: Kctx): boolean {
  return k.knob<boolean>('invlpgb') && k.knob<boolean>('asidTransition');
}

/**
 * mm_global_asid(mm) != 0. Knob `invlpgb` alone: every user mm runs on a global ASID kept fresh by
 * INVLPGB broadcasts (v6.15); with `asidTransition`, only once use_global_asid() assigned one.
 */
function usesGlobalAsid(k: Kctx, mm: MmId): boolean {
  if (!k.knob<boolean>('invlpgb') || k.mm(mm).isStatic) return false;
  return transitionMode(k) ? k.mm(mm).globalAsid === true : true;
}

/** is_global_asid(this_cpu_read(cpu_tlbstate.loaded_mm_asid)). */
function loadedAsidGlobal(k: Kctx, cpu: CpuId): boolean {
  const c = k.cpu(cpu);
  if (transitionMode(k)) return c.loadedAsidGlobal === true;
  return c.loadedMm !== 'SWITCHING' && usesGlobalAsid(k, c.loadedMm);
}

/** mm_needs_global_asid(mm, loaded_mm_asid): "global_asid && asid != global_asid". */
function needsGlobalAsid(k: Kctx, cpu: CpuId, mm: MmId): boolean {
  return transitionMode(k) && usesGlobalAsid(k, mm) && !loadedAsidGlobal(k, cpu);
}

/**
 * x86 leaves a lazy mm behind the scheduler's back (flush_tlb_func(), leave_mm()): only the MMU
 * moves to init_mm. Knob `unlazyMmIrqsOff` models Andy Lutomirski's unlazy_mm_irqs_off() (Jan 2022
 * series, unmerged): the core is told, so current->active_mm and the lazy reference follow --
 * what the seeds say x86 would need before it could use MMU_LAZY_TLB_SHOOTDOWN.
 */
function leaveLazyMm(k: Kctx, cpu: CpuId, fn: string): void {
  const cur = k.current(cpu);
  if (k.knob<boolean>('unlazyMmIrqsOff') && cur.mm === null && cur.activeMm !== INIT_MM && cur.activeMm === k.cpu(cpu).loadedMm) {
    switchLazyToInitMm(k, cpu, fn);
    return;
  }
  switchMmIrqsOff(k, cpu, fn, INIT_MM);
}

/**
 * Models: arch/x86/mm/tlb.c flush_tlb_func() (6.17 order, errata Part 2 E9; no global ASIDs).
 */
function flushTlbFunc(k: Kctx, cpu: CpuId, ipi: Ipi): void {
  const c = k.cpu(cpu);
  const mm = ipi.mm as MmId;
  if (c.loadedMm !== mm) {
    // >= v6.14: "CPU left in mm_cpumask of target mm: clear it" (lazy cpumask trimming). <= v6.13
    // the remote check only returned.
    if (k.knob<string>('cpumaskPolicy') === 'lazy-trim' && k.mm(mm).cpumask[cpu]) {
      k.setCpumask(cpu, 'flush_tlb_func', k.mm(mm), cpu, false);
    }
    return;
  }
  if (c.loadedMm === INIT_MM) return;
  // Knob globalAsidLazyFirst: Rik van Riel's fix (20 May 2025, unmerged in 6.17) tests is_lazy first.
  if (c.isLazy && transitionMode(k) && k.knob<boolean>('globalAsidLazyFirst')) {
    leaveLazyMm(k, cpu, 'flush_tlb_func');
    return;
  }
  // "Reload the ASID if transitioning into or out of a global ASID": switch_mm_irqs_off(NULL,
  // loaded_mm, NULL), whose "if (was_lazy) this_cpu_write(cpu_tlbstate_shared.is_lazy, false)"
  // unlazies a lazy CPU that stays on the mm (errata Part 2 E2; Rik van Riel, 20 May 2025: "return
  // with the CPU no longer in lazy TLB mode").
  if (needsGlobalAsid(k, cpu, mm)) switchMmIrqsOff(k, cpu, 'flush_tlb_func', mm);
  // "Broadcast ASIDs are always kept up to date with INVLPGB."
  if (loadedAsidGlobal(k, cpu)) return;
  if (c.isLazy) {
    // "We're in lazy mode. We need to at least flush our paging-structure cache ... just switch to
    // init_mm" -- behind the scheduler's back: active_mm and the lazy reference stay.
    leaveLazyMm(k, cpu, 'flush_tlb_func');
    return;
  }
  // Models: "local_tlb_gen = this_cpu_read(cpu_tlbstate.ctxs[loaded_mm_asid].tlb_gen)", "mm_tlb_gen =
  // atomic64_read(&loaded_mm->context.tlb_gen)": the loaded mm's ASID and generation (f->mm is
  // only compared with loaded_mm above), so the CPU never claims a flush of an mm it has not loaded.
  const loaded = c.loadedMm as MmId;
  const m = k.mm(loaded);
  const local = c.localTlbGen[loaded] ?? -1;
  if (ipi.gen !== undefined && ipi.gen <= local) return;
  if (local === m.tlbGen) return;
  // A flush: this CPU's TLB is now up to date with tlb_gen. Both kinds serialize the CPU: a partial
  // flush runs flush_tlb_one_user() -> native_flush_tlb_one_user(): invlpg(addr) first; a full flush
  // runs flush_tlb_local() -> native_flush_tlb_local(): native_write_cr3(__native_read_cr3()). INVLPG
  // and MOV to CR3 are both serializing instructions (Intel SDM vol. 3A 10.3, "privileged
  // serializing instructions"), so either way the CPU serializes here.
  c.localTlbGen[loaded] = m.tlbGen;
  k.emit({ k: 'local_tlb_gen', cpu, fn: 'flush_tlb_func', mm: loaded, gen: m.tlbGen });
  k.mb(cpu, 'flush_tlb_func');
  k.serialize(cpu, 'flush_tlb_func', 'invlpg_or_write_cr3');
}

/** flush_tlb_func() run on the flushing CPU itself, with its IRQs off. */
function localFlushTlbFunc(k: Kctx, cpu: CpuId, ipi: Ipi): void {
  const flags = k.irqSave(cpu);
  flushTlbFunc(k, cpu, ipi);
  k.irqRestore(cpu, flags);
}

/**
 * Models: broadcast_tlb_flush() when mm_global_asid(mm): INVLPGB + TLBSYNC invalidate the ASID (and
 * the paging-structure caches) on every CPU, lazy ones included, with no IPI: no CPU is unlazied.
 * Returns false (nothing done) when the mm has no global ASID.
 */
function broadcastTlbFlush(k: Kctx, _cpu: CpuId, mmId: MmId, gen: number): boolean {
  if (!usesGlobalAsid(k, mmId)) return false;
  for (const c of k.s.cpus) {
    if (!c.online) continue;
    // INVLPGB invalidates the global ASID: a CPU still running the mm on its per-CPU ASID is not
    // flushed (finish_asid_transition() IPIs it).
    if (transitionMode(k) && c.loadedMm === mmId && !c.loadedAsidGlobal) continue;
    globalAsidFresh(k, c.id, 'invlpgb', mmId, gen);
  }
  return true;
}

/**
 * flush_tlb_mm_range() in one atomic step, for the callers whose flush no other CPU can race: the
 * final flush of exit_mmap() (mm_users is 0, so no CPU can load the mm any more; freed_tables sends
 * to the whole mask with no per-CPU condition) and __text_poke()'s flush of text_poke_mm (errata
 * Part 2 E4: only inc_mm_tlb_gen()). A task's own flush runs as separate steps (./x86-flush-steps.ts).
 *
 * Models: arch/x86/mm/tlb.c flush_tlb_mm_range() and native_flush_tlb_multi(): inc_mm_tlb_gen();
 * IPI the other CPUs of mm_cpumask (all of them when page tables are freed; otherwise only those
 * should_flush_tlb() selects: lazy CPUs are skipped) and wait; or flush locally.
 */
function flushTlbMmRange(k: Kctx, cpu: CpuId, mmId: MmId, freedTables: boolean): { ipis: number[]; gen: number } {
  const m = k.mm(mmId);
  const gen = ++m.tlbGen;
  // inc_mm_tlb_gen(): atomic64_inc_return, "also a barrier that synchronizes with switch_mm()".
  k.emit({ k: 'tlb_gen', cpu, fn: 'flush_tlb_mm_range', mm: mmId, value: gen, freedTables });
  k.mb(cpu, 'inc_mm_tlb_gen');
  if (broadcastTlbFlush(k, cpu, mmId, gen)) {
    const info: Ipi = { id: -1, from: cpu, func: 'flush_tlb_func', mm: mmId, gen, freedTables };
    return { ipis: finishAsidTransition(k, cpu, info, true).ipis, gen };
  }
  const ipis: number[] = [];
  const others = k.s.cpus.filter((c) => c.id !== cpu && c.online && m.cpumask[c.id]);
  const self = k.cpu(cpu);
  const ipi: Ipi = { id: -1, from: cpu, func: 'flush_tlb_func', mm: mmId, gen, freedTables };
  if (others.length > 0) {
    // "if page tables are getting freed, we need to send the IPI everywhere" (variant
    // lazy-skips-freed-tables-flush filters these too).
    const all = freedTables && !k.bug.lazySkipsFreedTablesFlush;
    for (const c of others) {
      if (!all && !shouldFlushTlb(k, c.id, mmId)) continue;
      ipis.push(k.sendIpi(cpu, 'native_flush_tlb_multi', c.id, 'flush_tlb_func', { mm: mmId, gen, freedTables }));
    }
    // on_each_cpu_mask()/on_each_cpu_cond_mask() also run the function on this CPU if it is in the
    // mask, under local_irq_save() (smp_call_function_many_cond()).
    if (m.cpumask[cpu] && (all || shouldFlushTlb(k, cpu, mmId))) localFlushTlbFunc(k, cpu, ipi);
  } else if (self.loadedMm === mmId) {
    // "local_irq_disable(); flush_tlb_func(info); local_irq_enable();"
    localFlushTlbFunc(k, cpu, ipi);
  }
  return { ipis, gen };
}

/**
 * Models: should_flush_tlb() (>= v6.15, with fea4e317f9e7's LOADED_MM_SWITCHING clause) or
 * tlb_is_not_lazy() (<= v6.13): lazy CPUs "will flush the CPU themselves at the next context switch".
 */
function shouldFlushTlb(k: Kctx, cpu: CpuId, mm: MmId, trim = false, readBefore?: MmId | 'SWITCHING' | null): boolean {
  // "per_cpu(cpu_tlbstate.loaded_mm, cpu)": memory, not a store still in `cpu`'s store buffer (knob
  // storeBuffer). The flushing CPU reads its own entry too, but its buffer is empty by then:
  // inc_mm_tlb_gen() (a LOCK XADD, the model's `mb`) drained it. `readBefore`: read by an earlier step.
  const loaded = readBefore === undefined ? k.visibleLoadedMm(cpu) : readBefore;
  // "per_cpu(cpu_tlbstate_shared.is_lazy, cpu)" after smp_rmb(): memory too.
  if (k.visibleIsLazy(cpu)) return false;
  const filter = k.knob<string>('flushFilter');
  if (filter === 'notLazy') return true;
  // "In cpumask, but not the loaded mm? Periodically remove by flushing": info->trim_cpumask
  // (6db2526c1d69, v6.14) sends the IPI to every non-lazy CPU of the mask, whose flush_tlb_func()
  // then clears its stale bit.
  if (trim) return true;
  // 6db2526c1d69 without fea4e317f9e7 (v6.14.0; CVE-2025-37964): no LOADED_MM_SWITCHING clause.
  if (filter === 'shouldFlushNoSwitching') return loaded === mm;
  return loaded === 'SWITCHING' || loaded === mm;
}

/**
 * Models: finish_asid_transition(info): "if (!mm_in_asid_transition(mm)) return;" then for each CPU of
 * mm_cpumask: "while (READ_ONCE(per_cpu(cpu_tlbstate.loaded_mm, cpu)) == LOADED_MM_SWITCHING)
 * cpu_relax();" (`spin`: the step runs again), and if a CPU runs the mm on a non-global ASID,
 * "flush_tlb_multi(mm_cpumask(info->mm), info)" -- native_flush_tlb_multi() with
 * mm_in_asid_transition(): on_each_cpu_mask(), every CPU of the mask, lazy ones included (errata Part
 * 2 E2, E7) -- else mm_clear_asid_transition(mm). The loop is one step.
 */
function finishAsidTransition(k: Kctx, cpu: CpuId, ipi: Ipi, noSpin = false): { spin: boolean; ipis: number[] } {
  const mm = ipi.mm as MmId;
  const m = k.mm(mm);
  if (!transitionMode(k) || !m.asidTransition) return { spin: false, ipis: [] };
  const mask = k.s.cpus.filter((c) => c.online && m.cpumask[c.id]);
  // (exit_mmap(): nobody can switch to the mm any more, a switching CPU is leaving it.)
  // READ_ONCE(per_cpu(cpu_tlbstate.loaded_mm, cpu)): memory (knob storeBuffer).
  if (!noSpin && mask.some((c) => k.visibleLoadedMm(c.id) === 'SWITCHING')) return { spin: true, ipis: [] };
  if (!mask.some((c) => k.visibleLoadedMm(c.id) === mm && !c.loadedAsidGlobal)) {
    m.asidTransition = false;
    return { spin: false, ipis: [] };
  }
  const ipis: number[] = [];
  for (const c of mask) {
    if (c.id !== cpu) ipis.push(k.sendIpi(cpu, 'native_flush_tlb_multi', c.id, 'flush_tlb_func', { mm, gen: ipi.gen, freedTables: !!ipi.freedTables }));
  }
  // on_each_cpu_mask()'s local call, under local_irq_save() (smp_call_function_many_cond()).
  if (m.cpumask[cpu]) localFlushTlbFunc(k, cpu, ipi);
  return { spin: false, ipis };
}

/**
 * Models: consider_global_asid(mm) after the IPI flush ("Check every once in a while": the op says
 * whether "(current->pid & 0x1f) == (jiffies & 0x1f)" holds): mm_active_cpus_exceeds(mm, 3) counts
 * the CPUs of mm_cpumask with loaded_mm == mm and not is_lazy; above 3, use_global_asid() ->
 * mm_assign_global_asid(): "mm->context.asid_transition = true; smp_store_release(&mm->context.global_asid, asid)".
 */
function considerGlobalAsid(k: Kctx, _cpu: CpuId, mm: MmId): void {
  if (!transitionMode(k)) return;
  const m = k.mm(mm);
  // per_cpu(cpu_tlbstate.loaded_mm, cpu) of every CPU of the mask: memory (knob storeBuffer).
  const active = k.s.cpus.filter((c) => m.cpumask[c.id] && k.visibleLoadedMm(c.id) === mm && !k.visibleIsLazy(c.id)).length;
  if (active <= 3 || m.globalAsid) return;
  m.asidTransition = true;
  m.globalAsid = true;
}

/** The stepped flush of a task's own mm (issue 12 item 6). */
const x86FlushSteps = makeX86FlushSteps({ shouldFlushTlb, readLoadedMm: (k, cpu) => k.visibleLoadedMm(cpu), localFlushTlbFunc, broadcast: broadcastTlbFlush, finishAsidTransition, considerGlobalAsid });

export const x86Arch: ArchHooks = {
  name: 'x86',
  hasSyncCoreBeforeUsermode: true,
  // Models: arch/x86/mm/tlb.c enter_lazy_tlb(): "if (loaded_mm == &init_mm) return; is_lazy = true".
  enter_lazy_tlb(k, cpu, fn) {
    if (k.cpu(cpu).loadedMm === INIT_MM) return;
    k.setLazy(cpu, fn, true);
  },
  switch_mm_irqs_off: switchMmIrqsOff,
  syncsCoreOnLazyReturn: (k) => k.knob<boolean>('syncCoreOnLazySameMmSwitch'),
  switch_mm_split: {
    begin: (k, cpu, fn, next) => switchMmBegin(k, cpu, fn, next, true),
    finish: switchMmFinish,
  },
  // Models: arch/x86/mm/tlb.c leave_mm(): "if (loaded_mm == &init_mm) return; switch_mm(NULL, &init_mm, NULL)".
  leave_mm(k, cpu, fn) {
    if (k.cpu(cpu).loadedMm === INIT_MM) return;
    // switch_mm() = local_irq_save(); switch_mm_irqs_off(); local_irq_restore().
    const flags = k.irqSave(cpu);
    leaveLazyMm(k, cpu, fn);
    k.irqRestore(cpu, flags);
  },
  // Models: arch/x86/include/asm/sync_core.h sync_core_before_usermode(): "With PTI, we
  // unconditionally serialize before running user code" -> return; otherwise sync_core() right away.
  sync_core_before_usermode(k, cpu, fn) {
    if (k.knob<boolean>('pti')) return;
    k.mb(cpu, 'sync_core');
    k.serialize(cpu, fn, 'sync_core');
  },
  // SYSRET is not serializing; IRET is. With PTI every return to user writes CR3
  // (SWITCH_TO_USER_CR3), which serializes (kernel-model.md 1.7 "sync_core / SYSRET vs IRET").
  return_to_user(k, cpu, via) {
    if (via === 'iret') {
      k.mb(cpu, 'iret');
      k.serialize(cpu, 'swapgs_restore_regs_and_return_to_usermode', 'iret');
    } else if (k.knob<boolean>('pti')) {
      k.mb(cpu, 'SWITCH_TO_USER_CR3');
      k.serialize(cpu, 'SWITCH_TO_USER_CR3', 'pti_cr3');
    }
  },
  // Models: arch/x86/entry/entry_64.S restore_regs_and_return_to_kernel -> native_iret, and the NMI
  // exit's "iretq": every return from an interrupt, exception or NMI is an IRET, which is
  // serializing (Intel SDM vol. 3A 10.3 "Serializing Instructions": IRET) -- also when it returns to
  // kernel mode (kernel-model.md 1.7 "sync_core / SYSRET vs IRET"; FRED's ERETS is not modelled).
  exception_return(k, cpu, fn) {
    k.mb(cpu, 'iret');
    k.serialize(cpu, fn, 'iret');
  },
  flush_tlb_func: flushTlbFunc,
  flush_tlb_mm_range: flushTlbMmRange,
  flush_tlb_steps: x86FlushSteps,
  // should_trim_cpumask() exists with should_flush_tlb() (6db2526c1d69, v6.14): with the 'notLazy'
  // filter (<= v6.13) every non-lazy CPU of the mask gets the IPI anyway.
  canTrimCpumask: (k) => k.knob<string>('flushFilter') !== 'notLazy',
  canAssignGlobalAsid: transitionMode,
  // Models: arch/x86/include/asm/tlb.h tlb_flush(): fullmm passes tlb->freed_tables, so exit_mmap()
  // IPIs every CPU in mm_cpumask, lazy ones included.
  exit_mmap_flush(k, cpu, mm) {
    return flushTlbMmRange(k, cpu, mm, true);
  },
  switch_to() {},
  cleanup_cpu_mmu_context() {},
  efiScheme(k) {
    return k.knob<string>('efiScheme') === 'efi_enter_mm' ? 'efi_enter_mm' : 'temporary-mm';
  },
  hasTextPoke: true,
  lockedRmwDrainsStoreBuffer: true,
};
