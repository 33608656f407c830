/**
 * kernel/sched/membarrier.c (kernel-model.md 1.10, 3.6 MB0-MB5, MR; errata Part 3): expedited
 * commands split into entry checks, the entry barrier, one scan step per CPU, the IPIs, the wait and
 * the exit barrier; and the registration commands with sync_runqueues_membarrier_state().
 * SERIALIZE_IPI()'s mutex is not modelled (it only serializes concurrent commands).
 */
import type { Kctx } from '../kctx';
import { newFrame, type Frame } from '../frames';
import { runIpiFunc } from './ipi';
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
      // MB1: smp_mb(); /* system call entry is not a mb. */
      k.mb(cpu, fn);
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
      // MB5: smp_mb(); /* exit from system call is not a mb */
      k.mb(cpu, fn);
      k.emit({ ...base, phase: 'mb_end' });
      k.emit({ ...base, phase: 'return', ret: 0, shortCircuit: false });
      return 'done';
  }
}

/**
 * MB2: one iteration of the for_each_online_cpu() scan (PREEMPT_RCU: the caller may be preempted
 * or migrate between iterations, errata A2). PRIVATE: target iff rq->curr->mm == mm (the caller's CPU
 * is scanned too). GLOBAL: skip the CPU we run on now; target iff rq->membarrier_state has
 * GLOBAL_EXPEDITED and rq->curr->mm != NULL.
 */
function scanOneCpu(k: Kctx, cpu: CpuId, f: Frame): void {
  const target = f.scanCpu as number;
  const c = k.cpu(target);
  f.scanCpu = target + 1;
  if (f.scanCpu >= k.s.cpus.length) f.pc = 3;
  if (!c.online) return;
  const cmd = f.cmd as MembarrierCmd;
  const curr = k.task(c.curr);
  if (cmd === 'GLOBAL_EXPEDITED' && target === cpu) return;
  const selected = membarrierScanSelects({ cmd, target, callerCpu: cpu, rqMembarrierState: c.rqMembarrierState, currMm: curr.mm, callerMm: (f.mm as MmId | null) ?? null });
  if (selected) (f.targets as CpuId[]).push(target);
  k.emit({
    k: 'membarrier_scan', cpu, fn: fnOf(cmd), call: f.call as number, target, currTask: curr.id,
    currMm: curr.mm, rqMembarrierState: c.rqMembarrierState, selected,
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
  k.setMmMembarrierState(cpu, fn, m, m.membarrierState | REGISTER_SET[cmd]);
  return newFrame('membarrier_register', { cmd, mm: m.id, pc: 1, preemptible: true });
}

export function stepRegister(k: Kctx, cpu: CpuId, f: Frame): 'done' | 'more' {
  const mm = f.mm as MmId;
  const m = k.mm(mm);
  const cmd = f.cmd as MembarrierCmd;
  switch (f.pc) {
    case 1: {
      // sync_runqueues_membarrier_state(): single user (or one CPU): only this runqueue, smp_mb().
      if (syncRunqueuesSingleUser(m.users, k.onlineCpus().length)) {
        k.setRqMembarrierState(cpu, 'sync_runqueues_membarrier_state', m.membarrierState);
        k.mb(cpu, 'sync_runqueues_membarrier_state');
        f.pc = 3;
        return 'more';
      }
      // synchronize_rcu(), then IPI every CPU whose rq->curr->mm == mm (self included) with
      // ipi_sync_rq_state. The grace period is modelled as one step (no reader is tracked).
      f.preemptible = false;
      const ids: number[] = [];
      let self = false;
      for (const c of k.onlineCpus()) {
        if (!syncRunqueuesSelects(k.task(c.curr).mm, mm)) continue;
        if (c.id === cpu) self = true;
        else ids.push(k.sendIpi(cpu, 'sync_runqueues_membarrier_state', c.id, 'ipi_sync_rq_state', { mm }));
      }
      if (self) runIpiFunc(k, cpu, { id: -1, from: cpu, func: 'ipi_sync_rq_state', mm }, true);
      f.waitIpis = ids;
      f.pc = 2;
      return 'more';
    }
    case 2:
      f.waitIpis = [];
      f.preemptible = true;
      f.pc = 3;
      return 'more';
    default:
      k.setMmMembarrierState(cpu, 'membarrier_register', m, m.membarrierState | READY[cmd]);
      k.emit({ k: 'membarrier_register', cpu, fn: 'membarrier_register', cmd, mm, phase: 'ready' });
      k.emit({ k: 'membarrier_register', cpu, fn: 'membarrier_register', cmd, mm, phase: 'return' });
      return 'done';
  }
}
