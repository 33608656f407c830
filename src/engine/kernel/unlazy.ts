/**
 * Hazard strategy: mm_unlazy_mm_count(mm), called by __mmput() right before its final mmdrop()
 * (kernel-model.md 5.3): one step per CPU of for_each_possible_lazymm_cpu() (knob `hazardScan`:
 * 'online' = the generic for_each_online_cpu(); 'mm_cpumask' = the x86 optimization of patch 22/23),
 * each running __try_mm_drop_rq_ref() to completion (its cmpxchg retry loop is one atomic step).
 */
import type { Kctx } from '../kctx';
import type { Frame } from '../frames';
import { localOwner, mmdrop, mmgrab, moveRef } from './mm-refs';
import { dropOwner, setHazardSlot } from '../strategies/hazard';
import type { CpuId, MmId } from '../../trace/events';

const FN = 'mm_unlazy_mm_count';

export function stepUnlazy(k: Kctx, cpu: CpuId, f: Frame): 'done' | 'more' {
  const mm = f.mm as MmId;
  const owner = localOwner(cpu, FN);
  const target = f.scanCpu ?? 0;
  if (target >= k.s.cpus.length) {
    // "atomic_sub(drop_count, &mm->mm_count)": return the unused part of the batch.
    for (let i = 0; i < (f.gen ?? 0); i++) mmdrop(k, cpu, FN, mm, owner);
    return 'done';
  }
  f.scanCpu = target + 1;
  const t = k.cpu(target);
  const scanned = k.knob<string>('hazardScan') === 'mm_cpumask' ? k.mm(mm).cpumask[target] : t.online;
  if (!scanned) return 'more';
  const found = t.lazyMmHp === mm;
  k.emit({ k: 'unlazy_scan', cpu, fn: FN, target, mm, found });
  if (!found) return 'more';
  if (!f.gen) {
    // "drop_count = num_possible_cpus(); atomic_add(drop_count, &mm->mm_count)".
    f.gen = k.s.cpus.length;
    for (let i = 0; i < f.gen; i++) mmgrab(k, cpu, FN, mm, owner);
  }
  f.gen -= 1;
  tryMmDropRqRef(k, cpu, target, mm, owner);
  return 'more';
}

/** Models: __try_mm_drop_rq_ref(rq, mm), with one of the batch's references in hand. */
function tryMmDropRqRef(k: Kctx, cpu: CpuId, target: CpuId, mm: MmId, owner: string): void {
  const t = k.cpu(target);
  const old = t.dropMmHp;
  if (old === null) {
    // "park our reference on rq; rq drops it when done".
    setHazardSlot(k, cpu, '__try_mm_drop_rq_ref', target, 'drop_mm', mm);
    moveRef(k, cpu, '__try_mm_drop_rq_ref', mm, 'grab', owner, dropOwner(target));
    return;
  }
  if (t.lazyMmHp !== mm) {
    // "rq stopped using mm".
    mmdrop(k, cpu, '__try_mm_drop_rq_ref', mm, owner);
    return;
  }
  // "rq is done with old_drop_mm; steal its ref, replace with ours".
  setHazardSlot(k, cpu, '__try_mm_drop_rq_ref', target, 'drop_mm', mm);
  moveRef(k, cpu, '__try_mm_drop_rq_ref', mm, 'grab', owner, dropOwner(target));
  mmdrop(k, cpu, '__try_mm_drop_rq_ref', old, dropOwner(target));
}
