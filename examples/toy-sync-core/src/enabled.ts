/**
 * The ops the toy machine accepts in a state, in a deterministic order (CPU by CPU). A subset of
 * lazymm's ops: context switches (`schedule`, then `step`s), syscall entry and the return to user,
 * membarrier(PRIVATE_EXPEDITED_SYNC_CORE) and its registration, and IPI delivery.
 */
import type { Op } from 'lazymm/engines';
import { MEMBARRIER_STATE } from 'lazymm/trace';
import type { ToyCpu, ToyState } from './state';

export const SYNC_CORE = 'PRIVATE_EXPEDITED_SYNC_CORE' as const;

/** Whether the path in flight on `c` can take its next step (a membarrier call waits for its IPIs). */
const canStep = (c: ToyCpu): boolean => c.path !== null && !(c.path.kind === 'membarrier' && c.path.stage === 'wait' && c.path.waiting.length > 0);

export function enabledOps(s: ToyState): Op[] {
  const ops: Op[] = [];
  for (const c of s.cpus) {
    const cpu = c.id;
    const curr = s.tasks[c.curr];
    if (c.path !== null) {
      if (canStep(c)) ops.push({ op: 'step', cpu });
    } else if (c.mode === 'user') {
      ops.push({ op: 'syscall', cpu });
    } else {
      for (const id of s.order) {
        const t = s.tasks[id];
        if (t.cpu === null && (t.type !== 'idle' || id === c.idle)) ops.push({ op: 'schedule', cpu, next: id });
      }
      if (curr.type === 'user') {
        ops.push({ op: 'return_to_user', cpu, via: 'sysret' });
        ops.push({ op: 'membarrier', cpu, cmd: SYNC_CORE });
        const registered = (s.mms[curr.mm!].membarrierState & MEMBARRIER_STATE.PRIVATE_EXPEDITED_SYNC_CORE_READY) !== 0;
        if (!registered) ops.push({ op: 'membarrier_register', cpu, cmd: SYNC_CORE });
      }
    }
    if (c.ipis.length > 0) ops.push({ op: 'ipi', cpu });
  }
  return ops;
}
