/**
 * One-line descriptions of trace events, for violation messages: `event 14 (cpu1 load_mm mm1, no CR3
 * write)`. Every property cites events through {@link describeEvent} so messages read the same way.
 */
import type { TraceEvent } from '../../src/trace/events';

const hex = (n: number): string => `0x${n.toString(16)}`;
const sign = (d: number): string => (d > 0 ? `+${d}` : `${d}`);

/** What happened, without the index: `cpu1 load_mm mm1, no CR3 write`. */
export function eventSummary(ev: TraceEvent): string {
  const on = ev.cpu === null ? 'boot' : `cpu${ev.cpu}`;
  switch (ev.k) {
    case 'init':
      return `init (${ev.arch}/${ev.strategy})`;
    case 'ref':
      return `${on} ${ev.fn} ${ev.mm} ${ev.counter} ${sign(ev.delta)} -> ${ev.value} (${ev.token}, ${ev.owner})`;
    case 'ref_move':
      return `${on} ${ev.fn} moves ${ev.mm} ${ev.token} reference ${ev.from} -> ${ev.to}`;
    case 'mm_alloc':
      return `${on} ${ev.fn} allocates ${ev.mm} for ${ev.owner}`;
    case 'mm_teardown':
      return `${on} exit_mmap ${ev.mm}`;
    case 'mmdrop_begin':
      return `${on} __mmdrop ${ev.mm}`;
    case 'mm_free':
      return `${on} free_mm ${ev.mm}`;
    case 'task_mm':
      return `${on} ${ev.fn} sets ${ev.task} mm=${ev.mm ?? 'NULL'} active_mm=${ev.activeMm ?? 'NULL'}`;
    case 'task_new':
      return `${on} ${ev.fn} creates ${ev.task} (${ev.type}, mm=${ev.mm ?? 'NULL'})`;
    case 'task_state':
      return `${on} ${ev.fn} ${ev.task} -> ${ev.state}`;
    case 'path':
      return `${on} ${ev.fn} ${ev.phase} (${ev.task})`;
    case 'rq_curr':
      return `${on} rq->curr = ${ev.task}`;
    case 'switch_to':
      return `${on} switch_to ${ev.prev} -> ${ev.task}`;
    case 'prev_mm':
      return `${on} ${ev.fn} rq->prev_mm = ${ev.mm ?? 'NULL'}`;
    case 'rq_membarrier_state':
      return `${on} ${ev.fn} rq->membarrier_state = ${hex(ev.value)}${ev.drainedBy ? ` (store buffer drained by ${ev.drainedBy})` : ''}`;
    case 'store_buffered':
      if (ev.loc === 'is_lazy') return `${on} ${ev.fn} is_lazy = false stays in the store buffer (not yet visible to other CPUs)`;
      if (ev.loc === 'loaded_mm') return `${on} ${ev.fn} loaded_mm = LOADED_MM_SWITCHING into the store buffer (not yet visible to other CPUs)`;
      return `${on} ${ev.fn} rq->membarrier_state = ${hex(ev.value as number)} into the store buffer (not yet visible to other CPUs)`;
    case 'mm_membarrier_state':
      return `${on} ${ev.fn} ${ev.mm}->membarrier_state = ${hex(ev.value)}`;
    case 'load_mm':
      return `${on} ${ev.fn} load_mm ${ev.mm}, ${ev.cr3Write ? 'CR3 write' : 'no CR3 write'}${ev.flushed ? ', flushed' : ''}${ev.drainedBy ? ` (store buffer drained by ${ev.drainedBy})` : ''}`;
    case 'lazy':
      return `${on} ${ev.fn} is_lazy = ${ev.lazy}${ev.drainedBy ? ` (store buffer drained by ${ev.drainedBy})` : ''}`;
    case 'cpumask':
      return `${on} ${ev.fn} ${ev.set ? 'sets' : 'clears'} cpu${ev.target} in mm_cpumask(${ev.mm})`;
    case 'mb':
      return ev.how === 'lock' ? `${on} mb (${ev.fn}, a LOCK-prefixed RMW)` : `${on} mb (${ev.fn})`;
    case 'serialize':
      return `${on} serialize (${ev.how}, ${ev.fn})`;
    case 'user_enter':
      return `${on} user_enter ${ev.task} via ${ev.via}`;
    case 'user_exit':
      return `${on} user_exit ${ev.task} via ${ev.via}`;
    case 'membarrier': {
      const ret = ev.phase === 'return' ? ` ${ev.ret ?? '?'}${ev.shortCircuit ? ', short-circuit' : ''}` : '';
      return `${on} membarrier call ${ev.call} ${ev.cmd} ${ev.phase}${ret} (${ev.task}, ${ev.mm ?? 'no mm'})`;
    }
    case 'membarrier_scan':
      return `${on} membarrier call ${ev.call} scans cpu${ev.target}: curr ${ev.currTask} (mm ${ev.currMm ?? 'NULL'}, rq state ${hex(ev.rqMembarrierState)}), ${ev.selected ? 'selected' : 'not selected'}`;
    case 'membarrier_register':
      return `${on} membarrier register ${ev.cmd} ${ev.mm} ${ev.phase}`;
    case 'ipi_send':
      return `${on} ${ev.fn} sends IPI ${ev.id} ${ev.func}${ev.mm ? `(${ev.mm})` : ''} to cpu${ev.target}`;
    case 'ipi_handle':
      return `${on} runs ${ev.fn}${ev.mm ? `(${ev.mm})` : ''} ${ev.local ? 'locally' : `for IPI ${ev.id} from cpu${ev.from}`}`;
    case 'tlb_gen':
      return `${on} tlb_gen ${ev.mm} = ${ev.value}${ev.freedTables ? ' (freed tables)' : ''}`;
    case 'flush_done':
      return `${on} flush of ${ev.mm} gen ${ev.gen} done${ev.freedTables ? ' (freed tables)' : ''}`;
    case 'local_tlb_gen':
      return `${on} ${ev.fn} local tlb_gen ${ev.mm} = ${ev.gen}`;
    case 'deref':
      return `${on} ${ev.who} (${ev.fn}) dereferences ${ev.mm ?? 'NULL'}`;
    case 'temp_mm':
      return ev.mm === null
        ? `${on} ${ev.fn} unloads the temporary mm${ev.saved ? ` (restores ${ev.saved})` : ''}`
        : `${on} ${ev.fn} loads temporary ${ev.mm} (saved ${ev.saved ?? 'NULL'})`;
    case 'kthread_access':
      return `${on} ${ev.fn} kthread_access ${ev.task} ${ev.mm} ${ev.phase}`;
    case 'hazard':
      return `${on} ${ev.fn} sets rq${ev.target}->${ev.slot} = ${ev.mm ?? 'NULL'}`;
    case 'unlazy_scan':
      return `${on} mm_unlazy_mm_count ${ev.mm} scans rq${ev.target}: ${ev.found ? 'found' : 'not found'}`;
    case 'cpu_online':
      return `${on} ${ev.fn} cpu${ev.target} ${ev.online ? 'online' : 'offline'}`;
    case 'irqs':
      return `${on} ${ev.fn} irqs ${ev.enabled ? 'on' : 'off'}`;
    case 'irq':
      return `${on} ${ev.fn} irq ${ev.phase} from ${ev.from}`;
  }
}

/** `event 14 (cpu1 load_mm mm1, no CR3 write)`. */
export function describeEvent(ev: TraceEvent, index: number): string {
  return `event ${index} (${eventSummary(ev)})`;
}
