/**
 * Mainline's kernel -> user hand-off of the lazy mm (refcount and shootdown alike):
 * context_switch() "rq->prev_mm = prev->active_mm" -- "will mmdrop_lazy_tlb() in finish_task_switch()".
 */
import type { Kctx } from '../kctx';
import { rqOwner, taskOwner } from '../kernel/mm-refs';
import type { LazyStrategy } from './strategy';
import type { CpuId, MmId, TaskId } from '../../trace/events';

export function prevMmHandoff(strategy: LazyStrategy, k: Kctx, cpu: CpuId, prev: TaskId, mm: MmId): void {
  k.setPrevMm(cpu, 'context_switch', mm);
  strategy.move_lazy(k, cpu, 'context_switch', mm, taskOwner(prev), rqOwner(cpu));
}
