/**
 * The decisions of kernel/sched/membarrier.c and kernel/sched/sched.h as pure functions of what
 * they read, so that the engine's steps and the real-kernel conformance check (src/kernel/) use the
 * same code. Each cites the kernel function it models; the engine calls them with its own state, the
 * conformance check with the values probes read from a running kernel.
 */
import { MEMBARRIER_READY, MEMBARRIER_STATE as S, type MembarrierCmd } from '../../trace/events';

/** The READY bit each expedited command requires (include/linux/sched/mm.h; one definition, in the trace format). */
export const READY = MEMBARRIER_READY;

/** How a membarrier() call ends after its entry checks. */
export type MembarrierEntry = 'eperm' | 'short-circuit' | 'scan';

/**
 * Models: the entry checks of membarrier_global_expedited() ("if (num_online_cpus() == 1) return
 * 0;") and membarrier_private_expedited() ("if (!(atomic_read(&mm->membarrier_state) & ready))
 * return -EPERM;" then "if (flags != MEMBARRIER_FLAG_SYNC_CORE && (atomic_read(&mm->mm_users) == 1
 * || num_online_cpus() == 1)) return 0;"). `syncCoreShortCircuits` is the buggy variant that
 * short-circuits SYNC_CORE too.
 */
export function membarrierEntry(cmd: MembarrierCmd, mmState: number, mmUsers: number, onlineCpus: number, syncCoreShortCircuits = false): MembarrierEntry {
  if (cmd === 'GLOBAL_EXPEDITED') return onlineCpus === 1 ? 'short-circuit' : 'scan';
  if ((mmState & READY[cmd]) === 0) return 'eperm';
  const syncCore = cmd === 'PRIVATE_EXPEDITED_SYNC_CORE' && !syncCoreShortCircuits;
  return !syncCore && (mmUsers === 1 || onlineCpus === 1) ? 'short-circuit' : 'scan';
}

/** What one iteration of the membarrier scan reads about a CPU. */
export interface ScanInput {
  cmd: MembarrierCmd;
  /** The CPU scanned and the CPU the caller runs on. */
  target: number;
  callerCpu: number;
  /** READ_ONCE(cpu_rq(target)->membarrier_state). */
  rqMembarrierState: number;
  /** rcu_dereference(cpu_rq(target)->curr)->mm (null for a kthread or the idle task). */
  currMm: string | null;
  /** The caller's mm (current->mm). */
  callerMm: string | null;
}

/**
 * Models: membarrier_global_expedited(): "if (cpu == raw_smp_processor_id()) continue; if
 * (!(READ_ONCE(cpu_rq(cpu)->membarrier_state) & MEMBARRIER_STATE_GLOBAL_EXPEDITED)) continue; ...
 * if (!p->mm) continue;"; membarrier_private_expedited(): "if (p && p->mm == mm)
 * __cpumask_set_cpu(cpu, tmpmask);" (the caller's CPU is scanned too).
 */
export function membarrierScanSelects(x: ScanInput): boolean {
  if (x.cmd === 'GLOBAL_EXPEDITED') {
    if (x.target === x.callerCpu) return false;
    return (x.rqMembarrierState & S.GLOBAL_EXPEDITED) !== 0 && x.currMm !== null;
  }
  return x.currMm !== null && x.currMm === x.callerMm;
}

/**
 * Models: sync_runqueues_membarrier_state(): with one user (or one CPU online) "this_cpu_write(
 * runqueues.membarrier_state, membarrier_state)" and no IPI; otherwise on_each_cpu_mask() of
 * ipi_sync_rq_state to every CPU with "p && p->mm == mm".
 */
export function syncRunqueuesSingleUser(mmUsers: number, onlineCpus: number): boolean {
  return mmUsers === 1 || onlineCpus === 1;
}

export function syncRunqueuesSelects(currMm: string | null, mm: string): boolean {
  return currMm !== null && currMm === mm;
}

/**
 * Models: kernel/sched/sched.h membarrier_switch_mm(rq, prev_mm, next_mm): "if (prev_mm == next_mm)
 * return; membarrier_state = atomic_read(&next_mm->membarrier_state); if
 * (READ_ONCE(rq->membarrier_state) == membarrier_state) return; WRITE_ONCE(rq->membarrier_state,
 * membarrier_state);". `prevMm` is what context_switch() passes (prev->active_mm in mainline).
 * Returns the value written, or null when nothing is written.
 */
export function membarrierSwitchMmWrite(rqState: number, prevMm: string | null, nextMm: string, nextMmState: number): number | null {
  if (prevMm === nextMm) return null;
  if (rqState === nextMmState) return null;
  return nextMmState;
}

/**
 * Models: membarrier_update_current_mm(next_mm): "if (next_mm) membarrier_state =
 * atomic_read(&next_mm->membarrier_state); if (READ_ONCE(rq->membarrier_state) == membarrier_state)
 * return; WRITE_ONCE(rq->membarrier_state, membarrier_state);" (from exit_mm() and
 * kthread_use_mm() / kthread_unuse_mm()). Returns the value written, or null.
 */
export function membarrierUpdateCurrentMmWrite(rqState: number, nextMmState: number | null): number | null {
  const state = nextMmState ?? 0;
  return rqState === state ? null : state;
}

/**
 * Models: ipi_sync_rq_state(info): "if (current->mm != mm) return; this_cpu_write(
 * runqueues.membarrier_state, atomic_read(&mm->membarrier_state));". Returns the value written, or null.
 */
export function ipiSyncRqStateWrite(currentMm: string | null, mm: string | null, mmState: number): number | null {
  if (mm === null || currentMm !== mm) return null;
  return mmState;
}

/**
 * Models: membarrier_exec_mmap(): "atomic_set(&mm->membarrier_state, 0); this_cpu_write(
 * runqueues.membarrier_state, 0);". Returns the value written, or null when it is already 0.
 */
export function membarrierExecMmapWrite(rqState: number): number | null {
  return rqState === 0 ? null : 0;
}
