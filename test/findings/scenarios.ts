/**
 * The op sequences of the two open-upstream findings (shared by their tests and fixtures).
 */
import { drain, registerFromCpu0, steps, type Drain } from '../engine/drive';
import type { Op } from '../../src/engine/ops';

/** procs 2 x threads 2: CPU0 runs T1 (mm1), CPU1 runs T2 (mm1), CPU2 starts idle; T3/T4 are mm2. */
export const GLOBAL_EXPEDITED_STALE_CONFIG = { cpus: 3, procs: 2, threads: 2, kthreads: 0 };
export const GLOBAL_EXPEDITED_STALE_OPS: (Op | Drain)[] = [
  // T1 registers mm1 for GLOBAL_EXPEDITED: both runqueues running mm1 get the state.
  ...registerFromCpu0('GLOBAL_EXPEDITED'),
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
