/**
 * The op sequences of the open-upstream findings (shared by their tests and fixtures).
 */
import { drain, registerFromCpu0, steps, type Drain } from '../engine/drive';
import type { Op } from '../../src/engine/ops';

/** procs 2 x threads 2: CPU0 runs T1 (mm1), CPU1 runs T2 (mm1), CPU2 starts idle; T3/T4 are mm2. */
export const GLOBAL_EXPEDITED_STALE_CONFIG = { cpus: 3, procs: 2, threads: 2, kthreads: 0 };
export const GLOBAL_EXPEDITED_STALE_OPS: (Op | Drain)[] = [
  // T1 registers mm1 for GLOBAL_EXPEDITED: both runqueues running mm1 get the state.
  ...registerFromCpu0('GLOBAL_EXPEDITED', 3),
  { op: 'return_to_user', cpu: 0, via: 'sysret' },
  // T2 exits on CPU1: rq1->membarrier_state = 0; CPU1 stays lazy on mm1.
  { op: 'syscall', cpu: 1 },
  { op: 'exit', cpu: 1 },
  ...steps(1, 3),
  // The dying T2 switches to T1's sibling... T1 itself: first move T1 off CPU0.
  { op: 'preempt', cpu: 0, next: 'idle0' },
  drain(0),
  { op: 'schedule', cpu: 1, next: 'T1' },
  drain(1),
  { op: 'return_to_user', cpu: 1, via: 'iret' },
];

export const KTHREAD_USE_MM_SYNC_CORE_CONFIG = { cpus: 2, procs: 1, threads: 2, kthreads: 1 };
export const KTHREAD_USE_MM_SYNC_CORE_OPS: (Op | Drain)[] = [
  ...registerFromCpu0('PRIVATE_EXPEDITED_SYNC_CORE'),
  // CPU1: T2 enters a syscall and blocks; kthread K1 runs lazily on mm1 and pins mm1.
  { op: 'syscall', cpu: 1 },
  { op: 'schedule', cpu: 1, next: 'K1' },
  drain(1),
  { op: 'mmget_not_zero', cpu: 1, mm: 'mm1' },
  // CPU0: membarrier(SYNC_CORE): CPU1's rq->curr is K1 with ->mm == NULL: no IPI.
  { op: 'membarrier', cpu: 0, cmd: 'PRIVATE_EXPEDITED_SYNC_CORE' },
  ...steps(0, 6),
  // CPU1: kthread_use_mm(mm1) on the lazy mm: switch_mm_irqs_off() returns early (fresh TLB).
  { op: 'kthread_use_mm', cpu: 1, mm: 'mm1' },
  ...steps(1, 2),
  // K1 (still inside kthread_use_mm) switches to T2: user -> user, same mm, no prev_mm.
  { op: 'schedule', cpu: 1, next: 'T2' },
  drain(1),
  { op: 'return_to_user', cpu: 1, via: 'sysret' },
];

/**
 * procs 2 x threads 2: CPU0 runs T1 (mm1), CPU1 runs T2 (mm1), CPU2 starts idle. T1 registers
 * PRIVATE_EXPEDITED and reads mm1's state on entry to sync_runqueues_membarrier_state(); before its
 * mm_users test, T2 registers GLOBAL_EXPEDITED (IPIs CPU0, sets READY) and exits; T1 then sees one
 * user and writes its stale value into rq0, dropping GLOBAL_EXPEDITED.
 */
export const SYNC_RUNQUEUES_STALE_CONFIG = { cpus: 3, procs: 2, threads: 2, kthreads: 0 };
export const SYNC_RUNQUEUES_STALE_OPS: (Op | Drain)[] = [
  { op: 'syscall', cpu: 0 },
  // T1: atomic_or(PRIVATE_EXPEDITED); membarrier_state = atomic_read(&mm->membarrier_state).
  { op: 'membarrier_register', cpu: 0, cmd: 'PRIVATE_EXPEDITED' },
  { op: 'syscall', cpu: 1 },
  // T2: atomic_or(GLOBAL_EXPEDITED); two users: synchronize_rcu(), scan CPU0..2, on_each_cpu_mask().
  { op: 'membarrier_register', cpu: 1, cmd: 'GLOBAL_EXPEDITED' },
  ...steps(1, 5),
  { op: 'ipi', cpu: 0 }, // ipi_sync_rq_state on CPU0: rq0 gets GLOBAL_EXPEDITED
  ...steps(1, 2), // the wait ends; GLOBAL_EXPEDITED_READY
  { op: 'exit', cpu: 1 }, // T2 exits: mmput() leaves T1 the only user
  drain(1),
  // T1: mm_users == 1: this_cpu_write(runqueues.membarrier_state, <the value read on entry>).
  drain(0),
  { op: 'return_to_user', cpu: 0, via: 'sysret' },
];
