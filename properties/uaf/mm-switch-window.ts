/**
 * The kernel's rules for the window between storing current->active_mm and the MMU switch
 * (no-lazy-use-after-free C2.9, C2.10). Both come from one race, fixed for kthread_use_mm() by
 * 38cf307c1f20 "mm: fix kthread_use_mm() vs TLB invalidate" (Nicholas Piggin, v5.9): "For SMP
 * systems using IPI based TLB invalidation, looking at current->active_mm is entirely reasonable.
 * ... it is possible the IPI flushed the TLBs for @old_mm, not @mm, because the IPI lands before
 * we actually switched. Avoid this by disabling IRQs across changing ->active_mm and switch_mm()";
 * for exec by d53c3dfb23c4 "mm: fix exec activate_mm vs TLB shootdown and lazy tlb switching race"
 * (v5.10), which added CONFIG_ARCH_WANT_IRQS_OFF_ACTIVATE_MM ("irqs disabled over activate_mm.
 * Architectures that do IPI based TLB shootdowns should enable this."; powerpc selects it, x86 since
 * af8967158f9a, v6.16; arm64 does not).
 *
 * C2.9: after an active_mm store that the kernel makes with IRQs off until its switch_mm
 * (kthread_use_mm(): "Hold off tlb flush IPIs while switching mm's"; exec_mmap() when the arch
 * selects ARCH_WANT_IRQS_OFF_ACTIVATE_MM; powerpc exit_lazy_flush_tlb()'s local_irq_save();
 * kernel/sched/core.c sched_force_init_mm()'s local_irq_disable()), no
 * `irqs` enable and no interrupt on that CPU before the `load_mm`.
 *
 * C2.10: a handler that decides from current->active_mm whether this CPU uses the mm (kernel/fork.c
 * do_shoot_lazy_tlb(): "if (current->active_mm == mm)"; powerpc exit_lazy_flush_tlb(): "if
 * (current->active_mm == mm)") runs only where that decision agrees with the MMU: active_mm and the
 * loaded mm do not disagree about the handler's mm. Exempt: a CPU already on init_mm (the handler's
 * switch to init_mm changes nothing in the MMU; x86 leaves a lazy mm for init_mm behind the
 * scheduler's back, arch/x86/mm/tlb.c flush_tlb_func()/leave_mm()). x86 flush_tlb_func() reads
 * cpu_tlbstate.loaded_mm, not active_mm, so it is not such a handler.
 *
 * State (plain data, per CPU): the open window, if any.
 */
import { INIT_MM, type CpuId, type InitEvent, type IpiFunc, type MmId, type TraceEvent } from '../../src/trace/events';
import type { Violation } from '../property';
import type { NameRenaming } from '../lib/state-key';
import { Explanation } from '../lib/explain';
import type { Mirror } from '../lib/mirror';
import { uafFail } from './report';

/** An active_mm store whose switch_mm has not happened yet. */
export interface OpenSwitch {
  /** The kernel function that stored active_mm. */
  fn: string;
  /** The new active_mm. */
  mm: MmId;
  /** The index of the task_mm event. */
  at: number;
}

/** Handlers that read current->active_mm to decide whether this CPU uses their mm. */
export const ACTIVE_MM_READERS: readonly IpiFunc[] = ['do_shoot_lazy_tlb', 'do_exit_flush_lazy_tlb'];

/** Whether the configuration in `init` selects CONFIG_ARCH_WANT_IRQS_OFF_ACTIVATE_MM. */
export function irqsOffActivateMm(init: InitEvent): boolean {
  // powerpc selects it (since v5.10); knob irqsOffActivateMm=false there is the pre-fix kernel
  // (variant exec-mmap-irqs-on), which the rule judges. x86 since v6.16 (the knob says which x86).
  if (init.arch === 'powerpc') return true;
  const knob = init.knobs.irqsOffActivateMm;
  return typeof knob === 'boolean' ? knob : init.arch === 'x86';
}

export class MmSwitchWindow {
  /** Per CPU: the open window or null. */
  readonly open: (OpenSwitch | null)[];
  /** The kernel functions whose active_mm store and switch_mm are one IRQs-off section. */
  readonly fns: string[];

  constructor(private readonly mirror: Mirror, init: InitEvent) {
    this.open = mirror.cpus.map(() => null);
    this.fns = ['kthread_use_mm', 'exit_lazy_flush_tlb', 'sched_force_init_mm'];
    if (irqsOffActivateMm(init)) this.fns.push('exec_mmap');
  }

  /** A copy on `mirror` (the OpenSwitch records are replaced, never mutated, so they are shared). */
  clone(mirror: Mirror): MmSwitchWindow {
    const c = Object.create(MmSwitchWindow.prototype) as MmSwitchWindow;
    const w = c as unknown as { mirror: Mirror; open: (OpenSwitch | null)[]; fns: string[] };
    w.mirror = mirror;
    w.open = [...this.open];
    w.fns = this.fns;
    return c;
  }

  /** The open windows (function and mm, renamed by `rename` under symmetry reduction; the store's index only feeds the message). */
  key(rename?: NameRenaming): string {
    return this.open.map((w) => (w === null ? '-' : `${w.fn}:${rename === undefined ? w.mm : rename(w.mm)}`)).join(',');
  }

  /** Before the mirror applies `ev`. */
  before(ev: TraceEvent, i: number): Violation | null {
    if (ev.cpu === null) return null;
    const w = this.open[ev.cpu] ?? null;
    switch (ev.k) {
      case 'task_mm': {
        const c = this.mirror.cpu(ev.cpu);
        if (this.fns.includes(ev.fn) && ev.activeMm !== null && ev.activeMm !== c.loadedMm && c.current === ev.task) {
          this.open[ev.cpu] = { fn: ev.fn, mm: ev.activeMm, at: i };
        }
        return null;
      }
      case 'load_mm':
        if (ev.mm !== 'SWITCHING') this.open[ev.cpu] = null;
        return null;
      case 'irqs':
        return w !== null && ev.enabled ? this.windowFail(ev, i, w, 'enables IRQs') : null;
      case 'irq':
        return w !== null && ev.phase === 'enter' ? this.windowFail(ev, i, w, 'takes an interrupt') : null;
      case 'ipi_handle':
        if (w !== null && ev.id !== null) return this.windowFail(ev, i, w, 'runs an IPI handler');
        return ACTIVE_MM_READERS.includes(ev.fn) ? this.checkReader(ev, i) : null;
      default:
        return null;
    }
  }

  private windowFail(ev: TraceEvent, i: number, w: OpenSwitch, what: string): Violation {
    const cpu = ev.cpu as CpuId;
    const c = this.mirror.cpu(cpu);
    const x = new Explanation();
    x.say(`${x.ev(ev, i)} ${what} on cpu${cpu} after ${w.fn}() stored current->active_mm = ${w.mm} (event ${w.at})`);
    x.say(`but before its switch_mm (the MMU is still on ${c.loadedMm}).`);
    x.say(`The kernel keeps IRQs off from the active_mm store to switch_mm so that no TLB-flush or shootdown IPI`);
    x.say(`decides from an active_mm the MMU does not follow yet (38cf307c1f20, d53c3dfb23c4).`);
    return uafFail('C2.9 IRQs on between an active_mm store and its switch_mm', i, w.mm, [cpu], x);
  }

  private checkReader(ev: Extract<TraceEvent, { k: 'ipi_handle' }>, i: number): Violation | null {
    const m = ev.mm;
    if (m === null) return null;
    const c = this.mirror.cpu(ev.cpu);
    const active = this.mirror.task(c.current).activeMm;
    const loaded = c.loadedMm;
    if (active === loaded || (active !== m && loaded !== m)) return null;
    if (loaded === INIT_MM) return null;
    const x = new Explanation();
    x.say(`${x.ev(ev, i)} runs ${ev.fn}() for ${m} on cpu${ev.cpu}, which decides from current->active_mm (${active ?? 'NULL'},`);
    x.say(`${c.current}'s) whether this CPU uses ${m}; but the MMU translates through ${loaded} (${x.ref(c.lastLoadMm, 'boot')}).`);
    x.say(active === m
      ? `The handler switches away from an mm the CPU does not run yet; the pending switch_mm will load ${m} after it.`
      : `The handler skips the CPU, which keeps translating through ${m}.`);
    x.say(`A handler must never see active_mm ahead of (or behind) the MMU: 38cf307c1f20 "mm: fix kthread_use_mm() vs TLB invalidate".`);
    return uafFail('C2.10 active_mm-reading handler on a CPU whose active_mm and loaded mm disagree', i, m, [ev.cpu], x);
  }
}
