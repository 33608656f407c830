/**
 * kernel/sched/membarrier.c (kernel-model.md 1.10, 3.6 MB0-MB5, MR; errata Part 3): expedited
 * commands split into entry checks, the entry barrier, one scan step per CPU, the IPIs, the wait and
 * the exit barrier; and the registration commands with sync_runqueues_membarrier_state().
 * SERIALIZE_IPI()'s mutex is modelled only as the barriers of its lock and unlock (knob
 * serializeIpiMutex, ./serialize-ipi.ts), not as mutual exclusion.
 */
import type { Kctx } from '../kctx';
import { newFrame, type Frame } from '../frames';
import { runIpiFunc } from './ipi';
import { serializeIpiLock, serializeIpiUnlock } from './serialize-ipi';
import { READY, membarrierEntry, membarrierScanSelects, syncRunqueuesSelects, syncRunqueuesSingleUser } from './membarrier-decisions';
import { MEMBARRIER_STATE as S, type CpuId, type IpiFunc, type MembarrierCmd, type MmId } from '../../trace/events';

const EPERM = -1;

/** The state bits a registration sets before syncing the runqueues (errata A8: READY is replaced, not OR-ed). */
const REGISTER_SET: Record<MembarrierCmd, number> = {
  GLOBAL_EXPEDITED: S.GLOBAL_EXPEDITED,
  PRIVATE_EXPEDITED: S.PRIVATE_EXPEDITED,
  PRIVATE_EXPEDITED_SYNC_CORE: S.PRIVATE_EXPEDITED | S.PRIVATE_EXPEDITED_SYNC_CORE,
  PRIVATE_EXPEDITED_RSEQ: S.PRIVATE_EXPEDITED | S.PRIVATE_EXPEDITED_RSEQ,
};
const IPI_FUNC: Record<MembarrierCmd, IpiFunc> = {
  GLOBAL_EXPEDITED: 'ipi_mb',
  PRIVATE_EXPEDITED: 'ipi_mb',
  PRIVATE_EXPEDITED_SYNC_CORE: 'ipi_sync_core',
  PRIVATE_EXPEDITED_RSEQ: 'ipi_rseq',
};
const fnOf = (cmd: MembarrierCmd) => (cmd === 'GLOBAL_EXPEDITED' ? 'membarrier_global_expedited' : 'membarrier_private_expedited');

/**
 * MB0: the syscall and the entry checks. PRIVATE kinds need their READY bit (-EPERM); "if (flags !=
 * MEMBARRIER_FLAG_SYNC_CORE && (mm_users == 1 || num_online_cpus() == 1)) return 0" with no barrier;
 * GLOBAL_EXPEDITED returns 0 when only one CPU is online. Returns the frame to run, or null when done.
 */
export function startMembarrier(k: Kctx, cpu: CpuId, cmd: MembarrierCmd): Frame | null {
  const t = k.current(cpu);
  const call = k.s.nextCallId++;
  const mm = t.mm;
  const fn = fnOf(cmd);
  k.emit({ k: 'membarrier', cpu, fn, call, cmd, task: t.id, mm, phase: 'enter' });
  const ret = (r: number, shortCircuit: boolean) => {
    k.emit({ k: 'membarrier', cpu, fn, call, cmd, task: t.id, mm, phase: 'return', ret: r, shortCircuit });
    return null;
  };
  const online = k.onlineCpus().length;
  const m = cmd === 'GLOBAL_EXPEDITED' ? null : k.mm(mm as MmId);
  const entry = membarrierEntry(cmd, m?.membarrierState ?? 0, m?.users ?? 0, online, k.bug.singleThreadShortCircuitsSyncCore);
  if (entry === 'eperm') return ret(EPERM, false);
  if (entry === 'short-circuit') return ret(0, true);
  return newFrame('membarrier', { cmd, call, mm, scanCpu: 0, targets: [], pc: 1, preemptible: true });
}

export function stepMembarrier(k: Kctx, cpu: CpuId, f: Frame): 'done' | 'more' {
  const t = k.current(cpu);
  const cmd = f.cmd as MembarrierCmd;
  const fn = fnOf(cmd);
  const base = { k: 'membarrier' as const, cpu, fn, call: f.call as number, cmd, task: t.id, mm: f.mm ?? null };
  switch (f.pc) {
    case 1:
      // MB1: smp_mb(); /* system call entry is not a mb. */ then SERIALIZE_IPI()'s mutex_lock().
      k.mb(cpu, fn);
      serializeIpiLock(k, cpu);
      k.emit({ ...base, phase: 'mb_start' });
      f.pc = 2;
      return 'more';
    case 2:
      scanOneCpu(k, cpu, f);
      return 'more';
    case 3: {
      // MB3: preempt_disable(); smp_call_function_many() (excludes this CPU) or, for SYNC_CORE,
      // on_each_cpu_mask() (runs the handler here too if this CPU is a target: e45cdc71d1fa).
      f.preemptible = false;
      const func = IPI_FUNC[cmd];
      const runLocal = cmd === 'PRIVATE_EXPEDITED_SYNC_CORE' && !k.bug.syncCoreSkipsCaller;
      const ids: number[] = [];
      for (const target of f.targets as CpuId[]) {
        if (target === cpu) continue;
        if (!k.cpu(target).online) continue;
        ids.push(k.sendIpi(cpu, fn, target, func, { mm: f.mm ?? null }));
      }
      if (runLocal && (f.targets as CpuId[]).includes(cpu)) runIpiFunc(k, cpu, { id: -1, from: cpu, func, mm: f.mm ?? null }, true);
      f.waitIpis = ids;
      f.pc = 4;
      return 'more';
    }
    case 4:
      // MB4: the wait=1 of smp_call_function_many() is over; preempt_enable().
      f.waitIpis = [];
      f.preemptible = true;
      f.pc = 5;
      return 'more';
    default:
      // MB5: smp_mb(); /* exit from system call is not a mb */ then, at the return, SERIALIZE_IPI()'s
      // mutex_unlock(). Both barriers are in this one step with no access between them, so the order
      // of the two events is not observable; the unlock's is emitted before the mb_end marker.
      k.mb(cpu, fn);
      serializeIpiUnlock(k, cpu);
      k.emit({ ...base, phase: 'mb_end' });
      k.emit({ ...base, phase: 'return', ret: 0, shortCircuit: false });
      return 'done';
  }
}

/**
 * MB2: the for_each_online_cpu() scan, one CPU per step (PREEMPT_RCU: the caller may be preempted
 * or migrate between iterations, errata A2). PRIVATE: target iff rq->curr->mm == mm, one step per CPU
 * (the caller's CPU is scanned too). GLOBAL: two steps per CPU whose rq state has GLOBAL_EXPEDITED
 * (issue 12 item 6), so the CPU can switch between the state read and the rq->curr read.
 */
function scanOneCpu(k: Kctx, cpu: CpuId, f: Frame): void {
  if (f.cmd === 'GLOBAL_EXPEDITED' && f.scanRead === undefined) globalScanStateRead(k, cpu, f);
  else scanCurrRead(k, cpu, f);
}

function nextScanCpu(k: Kctx, f: Frame): void {
  f.scanCpu = (f.scanCpu as number) + 1;
  if (f.scanCpu >= k.s.cpus.length) f.pc = 3;
}

/**
 * Models: kernel/sched/membarrier.c membarrier_global_expedited(), the first read of one iteration:
 * "if (cpu == raw_smp_processor_id()) continue; if (!(READ_ONCE(cpu_rq(cpu)->membarrier_state) &
 * MEMBARRIER_STATE_GLOBAL_EXPEDITED)) continue;". A CPU that passes is read again in the next step
 * ("p = rcu_dereference(cpu_rq(cpu)->curr); if (!p->mm) continue;"): two separate loads, and other
 * CPUs run in between. The skip's event carries the runqueue's curr as it is now (the kernel does not
 * read it).
 */
function globalScanStateRead(k: Kctx, cpu: CpuId, f: Frame): void {
  const target = f.scanCpu as number;
  const c = k.cpu(target);
  if (!c.online || target === cpu) return nextScanCpu(k, f);
  const rqState = c.rqMembarrierState;
  if ((rqState & S.GLOBAL_EXPEDITED) !== 0) {
    f.scanRead = { rqState, callerCpu: cpu };
    return;
  }
  nextScanCpu(k, f);
  const curr = k.task(c.curr);
  k.emit({
    k: 'membarrier_scan', cpu, fn: fnOf('GLOBAL_EXPEDITED'), call: f.call as number, target, currTask: curr.id,
    currMm: curr.mm, rqMembarrierState: rqState, selected: false,
  });
}

/**
 * Models: kernel/sched/membarrier.c membarrier_private_expedited(): "p = rcu_dereference(
 * cpu_rq(cpu)->curr); if (p && p->mm == mm) __cpumask_set_cpu(cpu, tmpmask);" and the second read of
 * membarrier_global_expedited() ("p = rcu_dereference(cpu_rq(cpu)->curr); if (!p->mm) continue;"),
 * whose rq->membarrier_state was read in the step before. The p->mm load right after the rq->curr
 * load is part of the same step (docs/windows.md says why that loses nothing).
 */
function scanCurrRead(k: Kctx, cpu: CpuId, f: Frame): void {
  const target = f.scanCpu as number;
  const c = k.cpu(target);
  const cmd = f.cmd as MembarrierCmd;
  const read = f.scanRead;
  delete f.scanRead;
  nextScanCpu(k, f);
  // The kernel holds cpus_read_lock() over the scan; the model does not, so a CPU can go down
  // between the two reads of a GLOBAL iteration: it is then skipped like any offline CPU.
  if (!c.online) return;
  const curr = k.task(c.curr);
  const rqMembarrierState = read?.rqState ?? c.rqMembarrierState;
  const callerCpu = read?.callerCpu ?? cpu;
  const selected = membarrierScanSelects({ cmd, target, callerCpu, rqMembarrierState, currMm: curr.mm, callerMm: (f.mm as MmId | null) ?? null });
  if (selected) (f.targets as CpuId[]).push(target);
  k.emit({
    k: 'membarrier_scan', cpu, fn: fnOf(cmd), call: f.call as number, target, currTask: curr.id,
    currMm: curr.mm, rqMembarrierState, selected,
  });
}

/**
 * MR: membarrier_register_{global,private}_expedited(): return if READY; atomic_or() the state bits;
 * sync_runqueues_membarrier_state(); then set READY.
 */
export function startRegister(k: Kctx, cpu: CpuId, cmd: MembarrierCmd): Frame | null {
  const t = k.current(cpu);
  const m = k.mm(t.mm as MmId);
  const fn = 'membarrier_register';
  k.emit({ k: 'membarrier_register', cpu, fn, cmd, mm: m.id, phase: 'enter' });
  if ((m.membarrierState & READY[cmd]) === READY[cmd]) {
    k.emit({ k: 'membarrier_register', cpu, fn, cmd, mm: m.id, phase: 'return' });
    return null;
  }
  // atomic_or(): a locked RMW (knob storeBuffer: drains this CPU's store buffer on x86 only).
  k.atomicRmw(cpu, 'atomic_or');
  k.setMmMembarrierState(cpu, fn, m, m.membarrierState | REGISTER_SET[cmd]);
  // Models: kernel/sched/membarrier.c sync_runqueues_membarrier_state(): its first statement, "int
  // membarrier_state = atomic_read(&mm->membarrier_state);", read right after the atomic_or() (a
  // window there could only make the value fresher). The mm_users test is a later step (issue 12).
  return newFrame('membarrier_register', { cmd, mm: m.id, mbState: m.membarrierState, pc: 1, preemptible: true });
}

/**
 * The steps of sync_runqueues_membarrier_state() and the READY store. Every step boundary is a
 * preemption point (process context, no lock held) except inside on_each_cpu_mask().
 */
export function stepRegister(k: Kctx, cpu: CpuId, f: Frame): 'done' | 'more' {
  const mm = f.mm as MmId;
  const m = k.mm(mm);
  const cmd = f.cmd as MembarrierCmd;
  switch (f.pc) {
    case 1:
      // Models: kernel/sched/membarrier.c sync_runqueues_membarrier_state(): "if
      // (atomic_read(&mm->mm_users) == 1 || num_online_cpus() == 1)", read after the state above.
      if (syncRunqueuesSingleUser(m.users, k.onlineCpus().length)) {
        // Knob syncRunqueuesFreshState (the proposed fix): preempt_disable() before this test, so the
        // task cannot be switched out or migrated between the test and the write. With the test
        // outside it, a CPU coming online while the caller is preempted there lets the caller resume
        // on that CPU and write *its* runqueue, leaving a thread of the mm on the old CPU with a stale
        // rq->membarrier_state (found by a weighted2-echo soak, 2026-12-07: docs/findings/
        // sync-runqueues-stale-single-user-write.md, "The fix, corrected").
        if (k.knob<boolean>('syncRunqueuesFreshState')) f.preemptible = false;
        f.pc = 2;
        return 'more';
      }
      // "synchronize_rcu();" (the grace period is this step: no RCU reader is tracked), then
      // SERIALIZE_IPI() and the scan under rcu_read_lock(), one CPU per step (PREEMPT_RCU).
      serializeIpiLock(k, cpu);
      f.scanCpu = 0;
      f.targets = [];
      f.pc = 3;
      return 'more';
    case 2:
      // Models: sync_runqueues_membarrier_state(), single user: "this_cpu_write(
      // runqueues.membarrier_state, membarrier_state); smp_mb();" on the CPU the caller runs on now,
      // with the value read on entry: a registration by another thread of the mm that completed since
      // (that thread then exited, leaving one user) is overwritten (finding
      // sync-runqueues-stale-single-user-write). Knob syncRunqueuesFreshState: the proposed fix
      // reads atomic_read(&mm->membarrier_state) here, preemption off up to the write.
      const value = k.knob<boolean>('syncRunqueuesFreshState') ? m.membarrierState : (f.mbState as number);
      k.setRqMembarrierState(cpu, 'sync_runqueues_membarrier_state', value);
      k.mb(cpu, 'sync_runqueues_membarrier_state');
      f.pc = 6;
      // preempt_enable() after the write (knob syncRunqueuesFreshState; placed after the write and the
      // barrier, which are one step, so the order of the three is not observable).
      if (!f.preemptible) f.preemptible = true;
      return 'more';
    case 3: {
      // Models: sync_runqueues_membarrier_state(): one iteration of "for_each_online_cpu(cpu) { p =
      // rcu_dereference(rq->curr); if (p && p->mm == mm) __cpumask_set_cpu(cpu, tmpmask); }".
      const target = f.scanCpu as number;
      const c = k.cpu(target);
      if (c.online && syncRunqueuesSelects(k.task(c.curr).mm, mm)) (f.targets as CpuId[]).push(target);
      f.scanCpu = target + 1;
      if (f.scanCpu >= k.s.cpus.length) f.pc = 4;
      return 'more';
    }
    case 4: {
      // Models: sync_runqueues_membarrier_state(): "on_each_cpu_mask(tmpmask, ipi_sync_rq_state, mm,
      // true);" with preemption off: the IPIs to the other CPUs of the mask, ipi_sync_rq_state() here
      // if this CPU is in it, then the wait.
      f.preemptible = false;
      const ids: number[] = [];
      let self = false;
      for (const target of f.targets as CpuId[]) {
        if (!k.cpu(target).online) continue;
        if (target === cpu) self = true;
        else ids.push(k.sendIpi(cpu, 'sync_runqueues_membarrier_state', target, 'ipi_sync_rq_state', { mm }));
      }
      if (self) runIpiFunc(k, cpu, { id: -1, from: cpu, func: 'ipi_sync_rq_state', mm }, true);
      f.waitIpis = ids;
      f.pc = 5;
      return 'more';
    }
    case 5:
      // The wait is over; sync_runqueues_membarrier_state() returns: SERIALIZE_IPI()'s mutex_unlock().
      f.waitIpis = [];
      f.preemptible = true;
      serializeIpiUnlock(k, cpu);
      f.pc = 6;
      return 'more';
    default:
      // "atomic_or(MEMBARRIER_STATE_..._READY, &mm->membarrier_state);" (see startRegister()).
      k.atomicRmw(cpu, 'atomic_or');
      k.setMmMembarrierState(cpu, 'membarrier_register', m, m.membarrierState | READY[cmd]);
      k.emit({ k: 'membarrier_register', cpu, fn: 'membarrier_register', cmd, mm, phase: 'ready' });
      k.emit({ k: 'membarrier_register', cpu, fn: 'membarrier_register', cmd, mm, phase: 'return' });
      return 'done';
  }
}
