/**
 * How one trace event reads in a timeline cell: kernel function names and kernel field names
 * (`rq->curr = T2`, `write CR3 mm1`, `mmdrop_lazy_tlb(mm1)`), and, for reference counts, the right
 * margin (`mm1.mm_count 2->1`). Layout is ./timeline.ts's business; this file only phrases.
 */
import type { RefEvent, TraceEvent } from '../trace/events';

/** What the renderer knows while it walks the trace (updated by ./timeline.ts). */
export interface DescribeContext {
  /** Each task's ->mm and ->active_mm so far, to print only what a task_mm event changed. */
  tasks: Map<string, { mm: string | null; activeMm: string | null }>;
  /** Whether the trace has more than one membarrier() call (then calls are numbered). */
  manyCalls: boolean;
}

export interface EventText {
  /** The cell text, without the `fn():` prefix. */
  text: string;
  /**
   * The kernel function to prefix as `fn(): text` when the event is not in a path of that name.
   * Absent when the text already names its function (`mmdrop_lazy_tlb(mm1)`) or none helps.
   */
  fn?: string;
  /** Right-margin note (reference counts, frees). */
  margin?: string;
}

const nul = (v: string | null): string => v ?? 'NULL';
const hex = (v: number): string => `0x${v.toString(16)}`;

/** The mm.h helper a reference change corresponds to. */
function refCall(e: RefEvent): string {
  const up = e.delta > 0;
  if (e.counter === 'mm_users') return up ? 'mmget' : 'mmput';
  if (e.token === 'lazy') return up ? 'mmgrab_lazy_tlb' : 'mmdrop_lazy_tlb';
  return up ? 'mmgrab' : 'mmdrop';
}

/** The phrase for one event (never called for `init`, `path`, `mb` or `serialize`: see timeline.ts). */
export function describeEvent(e: TraceEvent, ctx: DescribeContext): EventText {
  switch (e.k) {
    case 'ref': {
      const call = refCall(e);
      const margin = `${e.mm}.${e.counter} ${e.value - e.delta}->${e.value}  ${e.token} ${e.owner}`;
      // mmdrop_lazy_tlb_sched(mm1) says more than mmdrop_lazy_tlb_sched(): mmdrop_lazy_tlb(mm1).
      if (e.fn.startsWith(call)) return { text: `${e.fn}(${e.mm})`, margin };
      return { text: `${call}(${e.mm})`, fn: e.fn, margin };
    }
    case 'ref_move':
      return { text: `${e.token} ref ${e.mm}: ${e.from} -> ${e.to}`, fn: e.fn };
    case 'mm_alloc':
      return { text: `${e.fn}() = ${e.mm}`, margin: `${e.mm}.mm_users 0->1, mm_count 0->1` };
    case 'mm_teardown':
      return { text: `exit_mmap(${e.mm})`, margin: `${e.mm} page tables freed` };
    case 'mmdrop_begin':
      return { text: `__mmdrop(${e.mm})` };
    case 'mm_free':
      return { text: `free_mm(${e.mm})`, margin: `${e.mm} FREED` };
    case 'task_mm':
      return { text: taskMmText(e.task, e.mm, e.activeMm, ctx), fn: e.fn };
    case 'task_new': {
      const known = ctx.tasks.has(e.task);
      const what = known ? `${e.task} becomes ${e.type}` : `new ${e.type} ${e.task}`;
      return { text: `${what}${e.mm ? ` (${e.mm})` : ''}`, fn: e.fn };
    }
    case 'task_state':
      return { text: `${e.task} -> ${e.state}`, fn: e.fn };
    case 'rq_curr':
      return { text: `rq->curr = ${e.task}`, fn: e.fn };
    case 'switch_to':
      return { text: `switch_to(${e.prev}, ${e.task})`, fn: e.fn };
    case 'prev_mm':
      return { text: `rq->prev_mm = ${nul(e.mm)}`, fn: e.fn };
    case 'rq_membarrier_state':
      return { text: `rq->membarrier_state = ${hex(e.value)}${e.drainedBy ? ` visible (drained by ${e.drainedBy})` : ''}`, fn: e.fn };
    case 'store_buffered':
      if (e.loc === 'loaded_mm') return { text: 'loaded_mm = LOADED_MM_SWITCHING (store buffer)', fn: e.fn };
      if (e.loc === 'is_lazy') return { text: 'is_lazy = false still in the store buffer', fn: e.fn };
      return { text: `rq->membarrier_state = ${hex(e.value as number)} (store buffer)`, fn: e.fn };
    case 'mm_membarrier_state':
      return { text: `${e.mm}->membarrier_state = ${hex(e.value)}`, fn: e.fn };
    case 'load_mm': {
      const what = e.mm === 'SWITCHING' ? 'loaded_mm = LOADED_MM_SWITCHING' : e.cr3Write ? `write CR3 ${e.mm}` : `loaded_mm = ${e.mm}`;
      return { text: `${what}${e.flushed ? ' (flush)' : ''}${e.drainedBy ? ` visible (drained by ${e.drainedBy})` : ''}`, fn: e.fn };
    }
    case 'lazy':
      return { text: `is_lazy = ${e.lazy}${e.drainedBy ? ` visible (drained by ${e.drainedBy})` : ''}`, fn: e.fn };
    case 'cpumask':
      return { text: `cpumask_${e.set ? 'set' : 'clear'}_cpu(${e.target}, ${e.mm})`, fn: e.fn };
    case 'user_enter':
      return { text: `return to user ${e.task} (${e.via})` };
    case 'user_exit':
      return { text: `${e.task} enters kernel (${e.via})` };
    case 'membarrier': {
      const call = ctx.manyCalls ? `#${e.call} ` : '';
      const text =
        e.phase === 'enter' ? `${call}membarrier(${e.cmd})${e.ret !== undefined ? ` = ${e.ret}` : ''}`
        : e.phase === 'mb_start' ? `${call}smp_mb() (entry)`
        : e.phase === 'mb_end' ? `${call}smp_mb() (exit)`
        : `${call}return ${e.ret ?? 0}${e.shortCircuit ? ' (no barrier needed)' : ''}`;
      return { text, fn: e.fn };
    }
    case 'membarrier_scan':
      return { text: `scan CPU${e.target}: ${e.currTask} (${nul(e.currMm)}) -> ${e.selected ? 'IPI' : 'skip'}`, fn: e.fn };
    case 'membarrier_register':
      return {
        text: e.phase === 'ready' ? `${e.mm}: ${e.cmd} ready` : `membarrier(REGISTER_${e.cmd})${e.phase === 'return' ? ' returns' : ''}`,
        fn: e.fn,
      };
    case 'ipi_send':
      return { text: `IPI#${e.id} ${e.func}(${e.mm ?? ''}) -> CPU${e.target}`, fn: e.fn };
    case 'ipi_handle':
      return { text: `${e.fn}(${e.mm ?? ''})${e.local ? ' (local)' : ` <- IPI#${e.id} CPU${e.from}`}` };
    case 'tlb_gen':
      return { text: `inc_mm_tlb_gen(${e.mm}) = ${e.value}${e.freedTables ? ' (freed tables)' : ''}`, fn: e.fn };
    case 'flush_done':
      return { text: `flush ${e.mm} gen ${e.gen} done${e.freedTables ? ' (freed tables)' : ''}`, fn: e.fn };
    case 'local_tlb_gen':
      return { text: `local tlb_gen[${e.mm}] = ${e.gen}`, fn: e.fn };
    case 'deref': {
      const text =
        e.who === 'nmi' ? `NMI: ${e.fn}() uses ${nul(e.mm)}`
        : e.who === 'walker' ? `page walk through ${nul(e.mm)}`
        : `uses ${nul(e.mm)}`;
      return { text, fn: e.who === 'kernel' ? e.fn : undefined };
    }
    case 'temp_mm':
      return { text: e.mm ? `temporary mm ${e.mm} (saved ${nul(e.saved)})` : `temporary mm done (restore ${nul(e.saved)})`, fn: e.fn };
    case 'kthread_access':
      return { text: `${e.task} ${e.phase === 'begin' ? 'operates on' : 'stops operating on'} ${e.mm}`, fn: e.fn };
    case 'hazard':
      return { text: `${e.target === e.cpu ? 'rq' : `cpu_rq(${e.target})`}->${e.slot} = ${nul(e.mm)}`, fn: e.fn };
    case 'unlazy_scan':
      return { text: `cpu_rq(${e.target})->lazy_mm ${e.found ? '==' : '!='} ${e.mm}`, fn: e.fn };
    case 'cpu_online':
      return { text: `CPU${e.target} ${e.online ? 'online' : 'offline'}`, fn: e.fn };
    case 'irqs':
      return { text: e.enabled ? 'IRQs on' : 'IRQs off', fn: e.fn };
    case 'irq':
      return { text: `interrupt ${e.phase === 'enter' ? 'entry' : 'exit'} (from ${e.from} mode)`, fn: e.fn };
    case 'init': case 'path': case 'mb': case 'serialize':
      return { text: e.k };
  }
}

/** `T1->mm = NULL` / `T1->active_mm = mm1` / both, printing only the fields that changed. */
function taskMmText(task: string, mm: string | null, activeMm: string | null, ctx: DescribeContext): string {
  const before = ctx.tasks.get(task);
  const parts: string[] = [];
  if (!before || before.mm !== mm) parts.push(`${task}->mm = ${nul(mm)}`);
  if (!before || before.activeMm !== activeMm) parts.push(`${parts.length ? '' : `${task}->`}active_mm = ${nul(activeMm)}`);
  return parts.length ? parts.join(', ') : `${task}->mm = ${nul(mm)}, active_mm = ${nul(activeMm)}`;
}
