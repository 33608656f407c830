/**
 * x86 flush_tlb_mm_range() as the kernel runs it, one atomic step at a time (issue 12 item 6):
 * inc_mm_tlb_gen() is one step, and each CPU's should_flush_tlb() read (with its csd queued by
 * smp_call_function_many_cond()) is another, so a remote CPU can switch mm, go lazy or unlazy between
 * the generation bump and the read of its cpu_tlbstate.loaded_mm / is_lazy.
 *
 * Models (arch/x86/mm/tlb.c flush_tlb_mm_range(), v6.17):
 *   int cpu = get_cpu();                                  // preemption off until put_cpu()
 *   new_tlb_gen = inc_mm_tlb_gen(mm);                     // pc 0 (startFlushTlb)
 *   info = get_flush_tlb_info(...);
 *   if (mm_global_asid(mm)) broadcast_tlb_flush(info);    // pc 1
 *   else if (cpumask_any_but(mm_cpumask(mm), cpu) < nr_cpu_ids) {
 *           info->trim_cpumask = should_trim_cpumask(mm);
 *           flush_tlb_multi(mm_cpumask(mm), info);        // pc 1: the mask snapshot, pc 2: per CPU, pc 3: local
 *   } else if (mm == this_cpu_read(cpu_tlbstate.loaded_mm)) {
 *           local_irq_disable(); flush_tlb_func(info); local_irq_enable();   // pc 1
 *   }
 *   put_cpu();                                            // pc 4 (the wait is over: flush_done)
 * and kernel/smp.c smp_call_function_many_cond(): cpumask_and(cfd->cpumask, mask, cpu_online_mask)
 * without this CPU, then "for_each_cpu(cpu, cfd->cpumask) { if (cond_func && !cond_func(cpu, info))
 * continue; csd_lock(csd); ... llist_add(&csd->node.llist, &per_cpu(call_single_queue, cpu)) }", then
 * send_call_function_ipi_mask(), then the local call under local_irq_save() if this CPU is in the mask
 * and cond_func(this_cpu) holds, then csd_lock_wait() on each queued csd.
 *
 * The model queues the IPI in the step that reads the condition: a queued csd is visible to its
 * target from llist_add() on (flush_smp_call_function_queue() on any interrupt or on idle entry runs
 * it), so handling it before send_call_function_ipi_mask() is a behaviour the kernel has too.
 * should_flush_tlb()'s own two reads (loaded_mm, then smp_rmb(), then is_lazy; errata Part 2 E16) are
 * two steps (knob shouldFlushTlbReads, default 'split': the loaded_mm read kept in the frame), or
 * one with 'one-step'.
 */
import type { Kctx } from '../kctx';
import type { Frame } from '../frames';
import type { Ipi } from '../state';
import type { CpuId, MmId } from '../../trace/events';

/** pc of finish_asid_transition() (after broadcast_tlb_flush()'s INVLPGB). */
const FINISH_ASID_TRANSITION_PC = 4;
/** The frame's pc once every step but the wait has run. */
export const FLUSH_WAIT_PC = 5;

/** The x86 pieces the steps use (passed in by x86.ts, which owns them). */
export interface X86FlushHelpers {
  /**
   * should_flush_tlb() / tlb_is_not_lazy() for `cpu`, with info->trim_cpumask = `trim`; `loaded`: its
   * loaded_mm read, when an earlier step made it (knob shouldFlushTlbReads='split').
   */
  shouldFlushTlb(k: Kctx, cpu: CpuId, mm: MmId, trim: boolean, loaded?: MmId | 'SWITCHING' | null): boolean;
  /** per_cpu(cpu_tlbstate.loaded_mm, cpu) as another CPU reads it (memory, not a store buffer). */
  readLoadedMm(k: Kctx, cpu: CpuId): MmId | 'SWITCHING' | null;
  /** flush_tlb_func() run by the flushing CPU itself, under local_irq_save() (the local call). */
  localFlushTlbFunc(k: Kctx, cpu: CpuId, ipi: Ipi): void;
  /** mm_global_asid(mm) != 0: broadcast_tlb_flush()'s INVLPGB instead of IPIs. Returns whether it ran. */
  broadcast(k: Kctx, cpu: CpuId, mm: MmId, gen: number): boolean;
  /** broadcast_tlb_flush()'s finish_asid_transition(): spin on a switching CPU, or the IPIs it sent. */
  finishAsidTransition(k: Kctx, cpu: CpuId, info: Ipi): { spin: boolean; ipis: number[] };
  /** consider_global_asid(mm), after the IPI flush. */
  considerGlobalAsid(k: Kctx, cpu: CpuId, mm: MmId): void;
}

export interface FlushSteps {
  /** Step pc 0: inc_mm_tlb_gen(); returns the frame whose later steps run through `step`. */
  begin(k: Kctx, cpu: CpuId, mm: MmId, freedTables: boolean, trim: boolean, considerGlobalAsid: boolean): Frame;
  /** One step before the wait. */
  step(k: Kctx, cpu: CpuId, f: Frame): void;
  /** After the wait: consider_global_asid() when the IPI path ran. */
  end(k: Kctx, cpu: CpuId, f: Frame): void;
}

export function makeX86FlushSteps(h: X86FlushHelpers): FlushSteps {
  const info = (cpu: CpuId, f: Frame): Ipi => ({ id: -1, from: cpu, func: 'flush_tlb_func', mm: f.mm as MmId, gen: f.gen as number, freedTables: !!f.freedTables });
  /**
   * native_flush_tlb_multi(): "if (info->freed_tables || mm_in_asid_transition(info->mm))
   * on_each_cpu_mask(...)" (no condition; variant lazy-skips-freed-tables-flush filters these too),
   * else on_each_cpu_cond_mask(should_flush_tlb, ...).
   */
  const unconditional = (k: Kctx, f: Frame): boolean => !!f.freedTables && !k.bug.lazySkipsFreedTablesFlush;
  /** `loaded`: the target's loaded_mm as an earlier step read it (shouldFlushTlbReads='split'). */
  const selects = (k: Kctx, target: CpuId, f: Frame, loaded?: MmId | 'SWITCHING' | null): boolean =>
    unconditional(k, f) || h.shouldFlushTlb(k, target, f.mm as MmId, !!f.trim, loaded);

  return {
    begin(k, cpu, mm, freedTables, trim, considerGlobalAsid) {
      const m = k.mm(mm);
      const gen = ++m.tlbGen;
      // inc_mm_tlb_gen(): atomic64_inc_return, "also a barrier that synchronizes with switch_mm()".
      k.emit({ k: 'tlb_gen', cpu, fn: 'flush_tlb_mm_range', mm, value: gen, freedTables });
      k.mb(cpu, 'inc_mm_tlb_gen');
      return { fn: 'flush_tlb_mm_range', pc: 1, preemptible: false, waitIpis: [], mm, gen, freedTables, trim, considerGlobalAsid, targets: [], sent: [] };
    },
    step(k, cpu, f) {
      const mm = f.mm as MmId;
      switch (f.pc) {
        case 1: {
          f.pc = FLUSH_WAIT_PC;
          if (h.broadcast(k, cpu, mm, f.gen as number)) {
            f.pc = FINISH_ASID_TRANSITION_PC;
            f.considerGlobalAsid = false;
            return;
          }
          const m = k.mm(mm);
          // cpumask_any_but(mm_cpumask(mm), cpu), then smp_call_function_many_cond()'s
          // cpumask_and(cfd->cpumask, mask, cpu_online_mask) without this CPU.
          const others = k.s.cpus.filter((c) => c.id !== cpu && c.online && m.cpumask[c.id]).map((c) => c.id);
          if (others.length > 0) {
            f.targets = others;
            f.pc = 2;
            return;
          }
          f.considerGlobalAsid = false;
          // "else if (mm == this_cpu_read(cpu_tlbstate.loaded_mm))": flush_tlb_func() with IRQs off.
          if (k.cpu(cpu).loadedMm === mm) h.localFlushTlbFunc(k, cpu, info(cpu, f));
          return;
        }
        case 2: {
          // One iteration of for_each_cpu(cpu, cfd->cpumask): cond_func(cpu, info), csd queued.
          const targets = f.targets as CpuId[];
          const split = k.knob<string>('shouldFlushTlbReads') === 'split' && !unconditional(k, f);
          if (split && f.flushLoadedMm === undefined) {
            // should_flush_tlb()'s "loaded_mm = per_cpu(cpu_tlbstate.loaded_mm, cpu)": this step; its
            // smp_rmb() and is_lazy read: the next one.
            f.flushLoadedMm = h.readLoadedMm(k, targets[0]);
            return;
          }
          const loaded = f.flushLoadedMm;
          f.flushLoadedMm = undefined;
          const target = targets.shift() as CpuId;
          if (targets.length === 0) f.pc = 3;
          if (!k.cpu(target).online || !selects(k, target, f, loaded)) return;
          (f.sent as number[]).push(k.sendIpi(cpu, 'native_flush_tlb_multi', target, 'flush_tlb_func', { mm, gen: f.gen, freedTables: !!f.freedTables }));
          return;
        }
        case FINISH_ASID_TRANSITION_PC: {
          const r = h.finishAsidTransition(k, cpu, info(cpu, f));
          if (r.spin) return;
          // __tlbsync(): the INVLPGBs are done; flush_tlb_multi() inside waited for its IPIs.
          f.waitIpis = r.ipis;
          f.pc = FLUSH_WAIT_PC;
          return;
        }
        default: {
          // send_call_function_ipi_mask(); then "if ((scf_flags & SCF_RUN_LOCAL) &&
          // cpumask_test_cpu(this_cpu, mask) && (!cond_func || cond_func(this_cpu, info)))" the
          // local call under local_irq_save(); then csd_lock_wait() on each queued csd.
          if (k.mm(mm).cpumask[cpu] && selects(k, cpu, f)) h.localFlushTlbFunc(k, cpu, info(cpu, f));
          f.waitIpis = f.sent as number[];
          f.pc = FLUSH_WAIT_PC;
        }
      }
    },
    end(k, cpu, f) {
      if (f.considerGlobalAsid) h.considerGlobalAsid(k, cpu, f.mm as MmId);
    },
  };
}
