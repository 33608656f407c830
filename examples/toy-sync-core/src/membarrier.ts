/**
 * membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE) and its registration on the toy kernel.
 *
 * A call is a path of steps: enter (-EPERM unless registered); MB1 (smp_mb, then `mb_start`); one
 * scan step per CPU, each reading that CPU's rq->curr and IPIing it when its mm is the caller's
 * (on_each_cpu_mask(): the caller's own CPU runs the handler locally); the local handler; then, once
 * every IPI has been handled, MB5 and the return. The toy never short-circuits a call.
 */
import { MEMBARRIER_STATE } from 'lazymm/trace';
import type { Emit } from './emit';
import { syncCoreHandler } from './ipi';
import { SYNC_CORE } from './enabled';
import type { MembarrierPath, ToyKnobs, ToyState } from './state';

const FN = 'membarrier_private_expedited';

export function startMembarrier(s: ToyState, e: Emit): void {
  const c = s.cpus[e.cpu];
  const task = s.tasks[c.curr];
  const mm = task.mm!;
  const call = s.nextCall++;
  const base = { cpu: e.cpu, fn: 'membarrier', call, cmd: SYNC_CORE, task: task.id, mm } as const;
  e.push({ k: 'path', cpu: e.cpu, fn: 'membarrier', phase: 'begin', task: task.id });
  e.push({ k: 'membarrier', ...base, phase: 'enter' });
  if ((s.mms[mm].membarrierState & MEMBARRIER_STATE.PRIVATE_EXPEDITED_SYNC_CORE_READY) === 0) {
    e.push({ k: 'membarrier', ...base, phase: 'return', ret: -1 });
    e.push({ k: 'path', cpu: e.cpu, fn: 'membarrier', phase: 'end', task: task.id });
    return;
  }
  c.path = { kind: 'membarrier', call, task: task.id, mm, stage: 'mb_start', nextScan: 0, local: false, waiting: [] };
}

export function stepMembarrier(s: ToyState, e: Emit, p: MembarrierPath, knobs: ToyKnobs): void {
  const base = { k: 'membarrier', cpu: e.cpu, fn: 'membarrier', call: p.call, cmd: SYNC_CORE, task: p.task, mm: p.mm } as const;
  switch (p.stage) {
    case 'mb_start':
      e.mb(FN);
      e.push({ ...base, phase: 'mb_start' });
      p.stage = 'scan';
      return;
    case 'scan': {
      const target = s.cpus[p.nextScan];
      const curr = s.tasks[target.rqCurr];
      const selected = curr.mm === p.mm;
      e.push({ k: 'membarrier_scan', cpu: e.cpu, fn: FN, call: p.call, target: target.id, currTask: curr.id, currMm: curr.mm, rqMembarrierState: 0, selected });
      if (selected && target.id === e.cpu) p.local = true;
      else if (selected) {
        const id = s.nextIpi++;
        target.ipis.push({ id, from: e.cpu });
        p.waiting.push(id);
        e.push({ k: 'ipi_send', cpu: e.cpu, fn: 'on_each_cpu_mask', id, target: target.id, func: 'ipi_sync_core', mm: null });
      }
      if (++p.nextScan === s.cpus.length) p.stage = p.local ? 'local' : 'wait';
      return;
    }
    case 'local':
      e.push({ k: 'ipi_handle', cpu: e.cpu, fn: 'ipi_sync_core', id: null, from: e.cpu, mm: null, local: true });
      syncCoreHandler(e, knobs);
      p.stage = 'wait';
      return;
    case 'wait':
      e.mb(FN);
      e.push({ ...base, phase: 'mb_end' });
      e.push({ ...base, phase: 'return', ret: 0 });
      e.push({ k: 'path', cpu: e.cpu, fn: 'membarrier', phase: 'end', task: p.task });
      s.cpus[e.cpu].path = null;
      return;
  }
}

/** MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE, in one step. */
export function register(s: ToyState, e: Emit): void {
  const mm = s.tasks[s.cpus[e.cpu].curr].mm!;
  const m = s.mms[mm];
  const fn = 'membarrier_register_private_expedited';
  e.push({ k: 'membarrier_register', cpu: e.cpu, fn, cmd: SYNC_CORE, mm, phase: 'enter' });
  m.membarrierState |= MEMBARRIER_STATE.PRIVATE_EXPEDITED_SYNC_CORE;
  e.push({ k: 'mm_membarrier_state', cpu: e.cpu, fn, mm, value: m.membarrierState });
  m.membarrierState |= MEMBARRIER_STATE.PRIVATE_EXPEDITED_SYNC_CORE_READY;
  e.push({ k: 'mm_membarrier_state', cpu: e.cpu, fn, mm, value: m.membarrierState });
  e.push({ k: 'membarrier_register', cpu: e.cpu, fn, cmd: SYNC_CORE, mm, phase: 'ready' });
  e.push({ k: 'membarrier_register', cpu: e.cpu, fn, cmd: SYNC_CORE, mm, phase: 'return' });
}
