/**
 * Reference owners (src/trace/events.ts RefOwner): `task:<id>`, `rq:<cpu>`, `local:<cpu>:<fn>`,
 * `bprm:<task>`, `holder:<task>`, `mm_users`.
 */
import type { CpuId, RefOwner, TaskId } from '../../src/trace/events';

/** `task:<id>` */
export const taskOwner = (task: TaskId): RefOwner => `task:${task}`;
/** `rq:<cpu>` (rq->prev_mm) */
export const rqOwner = (cpu: CpuId): RefOwner => `rq:${cpu}`;
/** `local:<cpu>:<fn>` (a kernel path's local variable) */
export const localOwner = (cpu: CpuId, fn: string): RefOwner => `local:${cpu}:${fn}`;

/** The task of a `task:<id>` owner, else null. */
export function ownerTask(owner: RefOwner): TaskId | null {
  return owner.startsWith('task:') ? owner.slice(5) : null;
}

/** The CPU of a `local:<cpu>:<fn>` owner, else null. */
export function ownerLocalCpu(owner: RefOwner): CpuId | null {
  if (!owner.startsWith('local:')) return null;
  const end = owner.indexOf(':', 6);
  const cpu = Number(owner.slice(6, end < 0 ? undefined : end));
  return Number.isInteger(cpu) ? cpu : null;
}
