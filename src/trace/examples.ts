/**
 * One well-formed example of every trace event kind, with every optional field present. The mapped
 * type makes a kind missing here a compile error, so tests can check the schema against every kind,
 * and foreign-engine authors have a concrete reference next to docs/trace-format.md.
 */
import type { EventKind, TraceEvent } from './events';

export type EventOfKind<K extends EventKind> = Extract<TraceEvent, { k: K }>;

export const EXAMPLE_EVENTS: { readonly [K in EventKind]: EventOfKind<K> } = {
  init: {
    k: 'init', cpu: null, fn: 'start_kernel', arch: 'x86', strategy: 'refcount', knobs: { pti: false },
    cpus: [
      { cpu: 0, online: true, curr: 'T1', loadedMm: 'mm1', isLazy: false, rqMembarrierState: 0, mode: 'user' },
      { cpu: 1, online: true, curr: 'idle1', loadedMm: 'init_mm', isLazy: true, rqMembarrierState: 0, mode: 'kernel' },
    ],
    tasks: [
      { task: 'T1', type: 'user', tgid: 'T1', mm: 'mm1', activeMm: 'mm1', state: 'running' },
      { task: 'idle1', type: 'idle', tgid: null, mm: null, activeMm: 'init_mm', state: 'running' },
    ],
    mms: [
      { mm: 'init_mm', static: true, users: 1, count: 2, membarrierState: 0, tlbGen: 0, cpumask: [] },
      { mm: 'mm1', static: false, users: 1, count: 1, membarrierState: 0, tlbGen: 0, cpumask: [0] },
    ],
    refs: [{ mm: 'init_mm', token: 'lazy', owner: 'task:idle1' }],
    irqsTracked: true,
  },
  ref: { k: 'ref', cpu: 0, fn: 'mmgrab_lazy_tlb', mm: 'mm1', counter: 'mm_count', delta: 1, value: 2, token: 'lazy', owner: 'task:K1' },
  ref_move: { k: 'ref_move', cpu: 0, fn: 'context_switch', mm: 'mm1', token: 'lazy', from: 'task:T1', to: 'rq:0' },
  mm_alloc: { k: 'mm_alloc', cpu: 0, fn: 'dup_mm', mm: 'mm2', owner: 'task:T2', membarrierState: 0 },
  mm_teardown: { k: 'mm_teardown', cpu: 0, fn: 'exit_mmap', mm: 'mm1' },
  mmdrop_begin: { k: 'mmdrop_begin', cpu: 0, fn: '__mmdrop', mm: 'mm1' },
  mm_free: { k: 'mm_free', cpu: 0, fn: '__mmdrop', mm: 'mm1' },
  task_mm: { k: 'task_mm', cpu: 0, fn: 'exit_mm', task: 'T1', mm: null, activeMm: 'mm1' },
  task_new: { k: 'task_new', cpu: 0, fn: 'copy_process', task: 'T2', type: 'user', tgid: 'T2', mm: 'mm2', activeMm: 'mm2', parent: 'T1' },
  task_state: { k: 'task_state', cpu: 0, fn: 'do_task_dead', task: 'T1', state: 'dead' },
  path: { k: 'path', cpu: 0, fn: 'context_switch', phase: 'begin', task: 'T1' },
  rq_curr: { k: 'rq_curr', cpu: 0, fn: '__schedule', task: 'K1' },
  switch_to: { k: 'switch_to', cpu: 0, fn: 'context_switch', prev: 'T1', task: 'K1' },
  prev_mm: { k: 'prev_mm', cpu: 0, fn: 'context_switch', mm: 'mm1' },
  rq_membarrier_state: { k: 'rq_membarrier_state', cpu: 0, fn: 'membarrier_switch_mm', value: 0x22, drainedBy: 'switch_mm_irqs_off' },
  store_buffered: { k: 'store_buffered', cpu: 0, fn: 'ipi_sync_rq_state', loc: 'rq_membarrier_state', value: 0x08 },
  mm_membarrier_state: { k: 'mm_membarrier_state', cpu: 0, fn: 'membarrier_register_private_expedited', mm: 'mm1', value: 0x20 },
  load_mm: { k: 'load_mm', cpu: 0, fn: 'switch_mm_irqs_off', mm: 'SWITCHING', cr3Write: false, flushed: false, drainedBy: 'load_new_mm_cr3' },
  lazy: { k: 'lazy', cpu: 0, fn: 'switch_mm_irqs_off', lazy: false, drainedBy: 'iret' },
  cpumask: { k: 'cpumask', cpu: 0, fn: 'switch_mm_irqs_off', mm: 'mm1', target: 0, set: true },
  mb: { k: 'mb', cpu: 0, fn: 'cpumask_set_cpu', how: 'lock' },
  serialize: { k: 'serialize', cpu: 0, fn: 'switch_mm_irqs_off', how: 'write_cr3' },
  user_enter: { k: 'user_enter', cpu: 0, fn: 'syscall_exit_to_user_mode', task: 'T1', via: 'iret' },
  user_exit: { k: 'user_exit', cpu: 0, fn: 'entry_SYSCALL_64', task: 'T1', via: 'syscall' },
  membarrier: {
    k: 'membarrier', cpu: 0, fn: 'membarrier_private_expedited', call: 1, cmd: 'PRIVATE_EXPEDITED_SYNC_CORE',
    task: 'T1', mm: 'mm1', phase: 'return', ret: 0, shortCircuit: false,
  },
  membarrier_scan: {
    k: 'membarrier_scan', cpu: 0, fn: 'membarrier_private_expedited', call: 1, target: 1, currTask: 'T2',
    currMm: 'mm1', rqMembarrierState: 0x20, selected: true,
  },
  membarrier_register: {
    k: 'membarrier_register', cpu: 0, fn: 'membarrier_register_private_expedited', cmd: 'PRIVATE_EXPEDITED_SYNC_CORE',
    mm: 'mm1', phase: 'ready',
  },
  ipi_send: { k: 'ipi_send', cpu: 0, fn: 'smp_call_function_many', id: 3, target: 1, func: 'ipi_sync_core', mm: null },
  ipi_handle: { k: 'ipi_handle', cpu: 1, fn: 'ipi_sync_core', id: 3, from: 0, mm: null, local: false },
  tlb_gen: { k: 'tlb_gen', cpu: 0, fn: 'flush_tlb_mm_range', mm: 'mm1', value: 2, freedTables: true },
  flush_done: { k: 'flush_done', cpu: 0, fn: 'flush_tlb_mm_range', mm: 'mm1', gen: 2, freedTables: true },
  local_tlb_gen: { k: 'local_tlb_gen', cpu: 1, fn: 'flush_tlb_func', mm: 'mm1', gen: 2 },
  deref: { k: 'deref', cpu: 1, fn: 'perf_callchain_user', mm: 'mm1', who: 'nmi' },
  temp_mm: { k: 'temp_mm', cpu: 0, fn: 'use_temporary_mm', mm: 'text_poke_mm', saved: 'mm1' },
  kthread_access: { k: 'kthread_access', cpu: 1, fn: 'kthread_use_mm', task: 'K1', mm: 'mm1', phase: 'begin' },
  hazard: { k: 'hazard', cpu: 0, fn: 'mm_unlazy_mm_count', target: 1, slot: 'drop_mm', mm: 'mm1' },
  unlazy_scan: { k: 'unlazy_scan', cpu: 0, fn: 'mm_unlazy_mm_count', target: 1, mm: 'mm1', found: true },
  cpu_online: { k: 'cpu_online', cpu: 0, fn: 'takedown_cpu', target: 1, online: false },
  irqs: { k: 'irqs', cpu: 1, fn: 'local_irq_disable', enabled: false },
  irq: { k: 'irq', cpu: 1, fn: 'sysvec_call_function', phase: 'enter', from: 'kernel' },
};
