/**
 * Who may hold a lazy or local reference (kernel-model.md C1.1 with errata Part 1 E1/E2), checked
 * when CPU `cpu` has no path in flight -- never inside the in-flight windows of context_switch(),
 * exit_mm(), kthread_{use,unuse}_mm(), exec_mmap() and finish_task_switch(), which the engine
 * brackets with `path` events:
 *  - refcount: the task `current` on the CPU, when lazy on a non-static mm M (mm NULL, active_mm M),
 *    owns a lazy token `task:<id>` on M;
 *  - refcount: a lazy token `task:<id>` belongs to a task that is running and lazy on that mm, or
 *    that is inside a path (errata E1: prev holds it between S2 and S3);
 *  - refcount: the `rq:<cpu>` lazy token matches rq->prev_mm;
 *  - every strategy: a kernel thread outside kthread_{use,unuse}_mm() holds kthread_use_mm()'s
 *    mmgrab() exactly while its ->mm is that mm (./kthread-grab.ts);
 *  - every strategy: a `local:<cpu>:<fn>` token exists only while a path that began on that CPU is
 *    in flight.
 */
import type { CpuId, MmId } from '../../src/trace/events';
import { Explanation } from '../lib/explain';
import type { Violation } from '../property';
import { ownerLocalCpu, ownerTask, rqOwner, taskOwner } from '../lib/owners';
import { refFail, type RefcountCtx } from './context';
import { listTokens } from './token-ledger';
import { checkKthreadGrabs } from './kthread-grab';

/** The holder checks for CPU `cpu` whose step ended at event `i` (skipped while a path is in flight on it). */
export function checkHolders(ctx: RefcountCtx, cpu: CpuId, i: number): Violation | null {
  if (ctx.mirror.paths.inFlight(cpu)) return null;
  if (ctx.strategy === 'refcount') {
    const v = checkCurrentLazy(ctx, cpu, i) ?? checkRq(ctx, cpu, i) ?? checkLazyTaskTokens(ctx, cpu, i);
    if (v !== null) return v;
  }
  if (ctx.strategy === 'hazard') {
    const v = checkDropMm(ctx, i);
    if (v !== null) return v;
  }
  return checkKthreadGrabs(ctx, cpu, i) ?? checkLocals(ctx, cpu, i);
}

/**
 * Hazard pointers (kernel-model.md C1.1 "hazard" formula): each rq->drop_mm owns exactly one
 * mm_count reference (`rq:<cpu>:drop_mm`), and nothing else owns one under that name.
 */
function checkDropMm(ctx: RefcountCtx, i: number): Violation | null {
  const { mirror, ledger } = ctx;
  for (const c of mirror.cpus) {
    const owner = `rq:${c.id}:drop_mm`;
    const held = ledger.heldBy(owner);
    const want = c.hazardDropMm;
    const ok = (held === undefined || held.size === 0) ? want === null : held.size === 1 && want !== null && held.get(want) === 1;
    if (ok) continue;
    const x = new Explanation();
    const list = held === undefined ? 'none' : [...held].map(([mm, n]) => `${n} on ${mm}`).join(', ');
    x.say(`rq${c.id}->drop_mm is ${want ?? 'NULL'} but the references owned by ${owner} are: ${list}.`);
    x.say(`__try_mm_drop_rq_ref() parks exactly one mm_count reference in rq->drop_mm and mmdrop_lazy() drops it when the rq is done with the mm.`);
    return refFail('C1.1 rq->drop_mm reference', i, want, [c.id], x);
  }
  return null;
}

/** The current task of a lazy CPU holds the lazy reference (context_switch() "lazy + mmgrab_lazy_tlb()"). */
function checkCurrentLazy(ctx: RefcountCtx, cpu: CpuId, i: number): Violation | null {
  const { mirror, ledger } = ctx;
  const c = mirror.cpu(cpu);
  const t = mirror.task(c.current);
  const mm = t.activeMm;
  if (t.mm !== null || mm === null || mirror.isStatic(mm)) return null;
  if (ledger.has(mm, 'lazy', taskOwner(t.id))) return null;
  const x = new Explanation();
  x.say(`cpu${cpu} runs ${t.id} lazily on ${mm} (mm NULL, active_mm ${mm}, set by ${x.ref(t.lastMmChange, 'the init event')};`);
  x.say(`current since ${x.ref(c.lastSwitchTo, 'boot')}), but ${t.id} holds no lazy reference on ${mm}:`);
  x.say(`under MMU_LAZY_TLB_REFCOUNT a user->kernel context_switch() must mmgrab_lazy_tlb() and a kernel->kernel switch must hand prev's reference to next.`);
  x.say(`References held on ${mm}: ${listTokens(ledger.tokens(mm), (r) => x.ref(r))}.`);
  return refFail('C1.1 lazy holder without reference', i, mm, [cpu], x);
}

/** rq->prev_mm owns exactly one lazy reference, dropped by finish_task_switch(). */
function checkRq(ctx: RefcountCtx, cpu: CpuId, i: number): Violation | null {
  const { mirror, ledger } = ctx;
  const prevMm = mirror.cpu(cpu).prevMm;
  const want = prevMm !== null && !mirror.isStatic(prevMm) ? prevMm : null;
  const held = ledger.heldBy(rqOwner(cpu));
  const x = new Explanation();
  if (held !== undefined) {
    for (const [mm, n] of held) {
      if (mm === want && n === 1) continue;
      const t = ledger.tokens(mm);
      x.say(`rq:${cpu} holds ${n} reference(s) on ${mm} but rq->prev_mm of cpu${cpu} is ${prevMm ?? 'NULL'}:`);
      x.say(`finish_task_switch() must take rq->prev_mm and mmdrop_lazy_tlb_sched() it. References held on ${mm}: ${listTokens(t, (r) => x.ref(r))}.`);
      return refFail('C1.1 rq->prev_mm reference', i, mm, [cpu], x);
    }
  }
  if (want !== null && !ledger.has(want, 'lazy', rqOwner(cpu))) {
    x.say(`rq->prev_mm of cpu${cpu} is ${want} but rq:${cpu} holds no lazy reference on it:`);
    x.say(`a kernel->user context_switch() hands prev's lazy reference to rq->prev_mm ("will mmdrop_lazy_tlb() in finish_task_switch()").`);
    x.say(`References held on ${want}: ${listTokens(ledger.tokens(want), (r) => x.ref(r))}.`);
    return refFail('C1.1 rq->prev_mm reference', i, want, [cpu], x);
  }
  return null;
}

/** A lazy reference owned by a task that is neither running lazily on that mm nor inside a path. */
function checkLazyTaskTokens(ctx: RefcountCtx, cpu: CpuId, i: number): Violation | null {
  const { mirror, ledger } = ctx;
  for (const owner of ledger.owners()) {
    const id = ownerTask(owner);
    if (id === null || mirror.paths.taskInPath(id)) continue;
    const held = ledger.heldBy(owner);
    if (held === undefined) continue;
    const t = mirror.task(id);
    // A task running on another CPU is judged when that CPU's step settles.
    if (t.onCpu !== null && t.onCpu !== cpu) continue;
    // The next of a context switch in flight (rq->curr already, not yet current) holds prev's
    // lazy reference from S3 on.
    if (t.currOn !== null && t.currOn !== t.onCpu && mirror.paths.inFlight(t.currOn)) continue;
    for (const mm of held.keys()) {
      if (!ledger.has(mm, 'lazy', owner)) continue;
      if (t.onCpu !== null && t.mm === null && t.activeMm === mm) continue;
      const x = new Explanation();
      const tok = ledger.tokens(mm);
      if (t.onCpu === null) {
        x.say(`${id} holds a lazy reference on ${mm} but is not running and has no path in flight:`);
        x.say(`context_switch() must hand a kernel prev's lazy reference to next or to rq->prev_mm (${id}'s last switch: ${x.ref(t.lastSwitch, 'none')}).`);
      } else {
        x.say(`${id}, current on cpu${cpu}, holds a lazy reference on ${mm} but is not lazy on it (mm ${t.mm ?? 'NULL'}, active_mm ${t.activeMm ?? 'NULL'}, set by ${x.ref(t.lastMmChange, 'the init event')}):`);
        x.say(`the lazy reference must be dropped (mmdrop_lazy_tlb()) when the task stops using ${mm} lazily.`);
      }
      x.say(`References held on ${mm}: ${listTokens(tok, (r) => x.ref(r))}.`);
      return refFail('C1.1 stale lazy reference', i, mm, t.onCpu === null ? [cpu] : [t.onCpu], x);
    }
  }
  return null;
}

/** A kernel path's local variable (`local:<cpu>:<fn>`) does not outlive the path. */
function checkLocals(ctx: RefcountCtx, cpu: CpuId, i: number): Violation | null {
  const { mirror, ledger } = ctx;
  if (mirror.paths.begunOnCpu(cpu)) return null;
  for (const owner of ledger.owners()) {
    if (ownerLocalCpu(owner) !== cpu) continue;
    const held = ledger.heldBy(owner);
    const mm: MmId | undefined = held?.keys().next().value;
    if (mm === undefined) continue;
    const x = new Explanation();
    x.say(`${owner} still holds a reference on ${mm} but no kernel path that began on cpu${cpu} is in flight:`);
    x.say(`the local variable went out of scope without its mmput()/mmdrop().`);
    x.say(`References held on ${mm}: ${listTokens(ledger.tokens(mm), (r) => x.ref(r))}.`);
    return refFail('C1.1 local reference outlives its path', i, mm, [cpu], x);
  }
  return null;
}
