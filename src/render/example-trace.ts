/**
 * A small hand-written x86 trace (the SYNC_CORE kthread -> user gap of kernel-model.md C3) for the
 * renderer's tests and for trying out layout changes: CPU0 switches T1 -> K1 -> T1 (lazy, same mm,
 * no CR3 write) while CPU1's membarrier(PRIVATE_EXPEDITED_SYNC_CORE) skips CPU0; T1 then returns to
 * user by SYSRET without core serialization.
 */
import type { TraceEvent } from '../trace/events';

const SC = 'PRIVATE_EXPEDITED_SYNC_CORE' as const;
const MEMB = 'membarrier_private_expedited';

export const SYNC_CORE_GAP_TRACE: TraceEvent[] = [
  {
    k: 'init', cpu: null, fn: 'start_kernel', arch: 'x86', strategy: 'refcount', knobs: { pti: false },
    cpus: [
      { cpu: 0, online: true, curr: 'T1', loadedMm: 'mm1', isLazy: false, rqMembarrierState: 0x30, mode: 'user' },
      { cpu: 1, online: true, curr: 'T2', loadedMm: 'mm1', isLazy: false, rqMembarrierState: 0x30, mode: 'user' },
    ],
    tasks: [
      { task: 'T1', type: 'user', tgid: 'T1', mm: 'mm1', activeMm: 'mm1', state: 'running' },
      { task: 'T2', type: 'user', tgid: 'T1', mm: 'mm1', activeMm: 'mm1', state: 'running' },
      { task: 'K1', type: 'kthread', tgid: null, mm: null, activeMm: null, state: 'runnable' },
    ],
    mms: [
      { mm: 'init_mm', static: true, users: 1, count: 1, membarrierState: 0, tlbGen: 0, cpumask: [] },
      { mm: 'mm1', static: false, users: 2, count: 1, membarrierState: 0x30, tlbGen: 0, cpumask: [0, 1] },
    ],
    refs: [],
  },
  /* 1 */ { k: 'user_exit', cpu: 0, fn: 'entry_SYSCALL_64', task: 'T1', via: 'syscall' },
  /* 2 */ { k: 'path', cpu: 0, fn: 'context_switch', phase: 'begin', task: 'T1' },
  /* 3 */ { k: 'mb', cpu: 0, fn: '__schedule' },
  /* 4 */ { k: 'rq_curr', cpu: 0, fn: '__schedule', task: 'K1' },
  /* 5 */ { k: 'lazy', cpu: 0, fn: 'enter_lazy_tlb', lazy: true },
  /* 6 */ { k: 'task_mm', cpu: 0, fn: 'context_switch', task: 'K1', mm: null, activeMm: 'mm1' },
  /* 7 */ { k: 'ref', cpu: 0, fn: 'mmgrab_lazy_tlb', mm: 'mm1', counter: 'mm_count', delta: 1, value: 2, token: 'lazy', owner: 'task:K1' },
  /* 8 */ { k: 'switch_to', cpu: 0, fn: 'context_switch', prev: 'T1', task: 'K1' },
  /* 9 */ { k: 'path', cpu: 0, fn: 'context_switch', phase: 'end', task: 'T1' },
  /* 10 */ { k: 'user_exit', cpu: 1, fn: 'entry_SYSCALL_64', task: 'T2', via: 'syscall' },
  /* 11 */ { k: 'membarrier', cpu: 1, fn: MEMB, call: 1, cmd: SC, task: 'T2', mm: 'mm1', phase: 'enter' },
  /* 12 */ { k: 'mb', cpu: 1, fn: MEMB },
  /* 13 */ { k: 'membarrier', cpu: 1, fn: MEMB, call: 1, cmd: SC, task: 'T2', mm: 'mm1', phase: 'mb_start' },
  /* 14 */ { k: 'membarrier_scan', cpu: 1, fn: MEMB, call: 1, target: 0, currTask: 'K1', currMm: null, rqMembarrierState: 0x30, selected: false },
  /* 15 */ { k: 'membarrier_scan', cpu: 1, fn: MEMB, call: 1, target: 1, currTask: 'T2', currMm: 'mm1', rqMembarrierState: 0x30, selected: true },
  /* 16 */ { k: 'ipi_handle', cpu: 1, fn: 'ipi_sync_core', id: null, from: 1, mm: null, local: true },
  /* 17 */ { k: 'mb', cpu: 1, fn: 'ipi_sync_core' },
  /* 18 */ { k: 'mb', cpu: 1, fn: 'sync_core' },
  /* 19 */ { k: 'serialize', cpu: 1, fn: 'ipi_sync_core', how: 'sync_core' },
  /* 20 */ { k: 'mb', cpu: 1, fn: MEMB },
  /* 21 */ { k: 'membarrier', cpu: 1, fn: MEMB, call: 1, cmd: SC, task: 'T2', mm: 'mm1', phase: 'mb_end' },
  /* 22 */ { k: 'membarrier', cpu: 1, fn: MEMB, call: 1, cmd: SC, task: 'T2', mm: 'mm1', phase: 'return', ret: 0 },
  /* 23 */ { k: 'path', cpu: 0, fn: 'context_switch', phase: 'begin', task: 'K1' },
  /* 24 */ { k: 'mb', cpu: 0, fn: '__schedule' },
  /* 25 */ { k: 'rq_curr', cpu: 0, fn: '__schedule', task: 'T1' },
  /* 26 */ { k: 'lazy', cpu: 0, fn: 'switch_mm_irqs_off', lazy: false },
  /* 27 */ { k: 'mb', cpu: 0, fn: 'switch_mm_irqs_off' },
  /* 28 */ { k: 'prev_mm', cpu: 0, fn: 'context_switch', mm: 'mm1' },
  /* 29 */ { k: 'task_mm', cpu: 0, fn: 'context_switch', task: 'K1', mm: null, activeMm: null },
  /* 30 */ { k: 'ref_move', cpu: 0, fn: 'context_switch', mm: 'mm1', token: 'lazy', from: 'task:K1', to: 'rq:0' },
  /* 31 */ { k: 'switch_to', cpu: 0, fn: 'context_switch', prev: 'K1', task: 'T1' },
  /* 32 */ { k: 'prev_mm', cpu: 0, fn: 'finish_task_switch', mm: null },
  /* 33 */ { k: 'ref_move', cpu: 0, fn: 'finish_task_switch', mm: 'mm1', token: 'lazy', from: 'rq:0', to: 'local:0:finish_task_switch' },
  /* 34 */ { k: 'ref', cpu: 0, fn: 'mmdrop_lazy_tlb_sched', mm: 'mm1', counter: 'mm_count', delta: -1, value: 1, token: 'lazy', owner: 'local:0:finish_task_switch' },
  /* 35 */ { k: 'mb', cpu: 0, fn: 'mmdrop_lazy_tlb_sched' },
  /* 36 */ { k: 'path', cpu: 0, fn: 'context_switch', phase: 'end', task: 'K1' },
  /* 37 */ { k: 'user_enter', cpu: 0, fn: 'entry_SYSRETQ_unsafe_stack', task: 'T1', via: 'sysret' },
];

export const SYNC_CORE_GAP_VIOLATION = {
  index: 37,
  property: 'sync-core-before-usermode',
  clause: 'C3.1 user entry without core serialization',
  message:
    'event 37: CPU0 returns to user mode of T1 (mm1) by SYSRET, which does not serialize. ' +
    'membarrier(PRIVATE_EXPEDITED_SYNC_CORE) call 1 by T2 began at event 13 and skipped CPU0 at event 14 ' +
    'because rq->curr was the kthread K1; CPU0 has not executed a core-serializing instruction since: the ' +
    'switch back to mm1 at event 26 found the TLB up to date and wrote no CR3, and finish_task_switch() ' +
    'did not call membarrier_mm_sync_core_before_usermode().',
};
