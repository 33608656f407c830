/**
 * The state of the toy machine: CPUs with their runqueue, user processes sharing an mm per process,
 * kernel threads and idle tasks, and the membarrier calls and IPIs in flight. Plain JSON data, so
 * `structuredClone` copies it.
 */
import type { CpuId, MmId, TaskId, TaskType } from 'lazymm/trace';

/** The two places the toy kernel may serialize the core for membarrier(SYNC_CORE). */
export interface ToyKnobs {
  /** ipi_sync_core() executes sync_core() itself (else it defers to the return to user, which never serializes). */
  ipiHandlerSyncs: boolean;
  /** finish_task_switch() syncs the core on a kernel-thread -> user switch (the lazy return, no mm switch). */
  lazyReturnSyncs: boolean;
}

export interface ToyTask {
  id: TaskId;
  type: TaskType;
  tgid: string | null;
  mm: MmId | null;
  activeMm: MmId | null;
  /** The CPU it runs on, or is being switched to; null when it waits in a runqueue. */
  cpu: CpuId | null;
}

/** A context switch in flight: stage 1 published rq->curr; stage 2 did the mm switch and switch_to(). */
export interface SwitchPath {
  kind: 'switch';
  prev: TaskId;
  next: TaskId;
  stage: 1 | 2;
}

/** A membarrier(PRIVATE_EXPEDITED_SYNC_CORE) call in flight on its caller's CPU. */
export interface MembarrierPath {
  kind: 'membarrier';
  call: number;
  task: TaskId;
  mm: MmId;
  stage: 'mb_start' | 'scan' | 'local' | 'wait';
  /** The next CPU to scan. */
  nextScan: CpuId;
  /** Whether the scan selected the caller's own CPU (the handler runs locally, on_each_cpu_mask()). */
  local: boolean;
  /** IPIs sent and not yet handled. */
  waiting: number[];
}

export interface PendingIpi {
  id: number;
  from: CpuId;
}

export interface ToyCpu {
  id: CpuId;
  /** `current` (changes at switch_to()). */
  curr: TaskId;
  /** rq->curr (changes first, at stage 1 of a switch): what membarrier's scan reads. */
  rqCurr: TaskId;
  idle: TaskId;
  mode: 'user' | 'kernel';
  loadedMm: MmId;
  lazy: boolean;
  path: SwitchPath | MembarrierPath | null;
  /** IPIs queued for this CPU, oldest first. */
  ipis: PendingIpi[];
}

export interface ToyMm {
  id: MmId;
  membarrierState: number;
  cpumask: CpuId[];
}

export interface ToyState {
  cpus: ToyCpu[];
  tasks: Record<TaskId, ToyTask>;
  /** Task ids in creation order (the order ops list them). */
  order: TaskId[];
  mms: Record<MmId, ToyMm>;
  nextCall: number;
  nextIpi: number;
}
