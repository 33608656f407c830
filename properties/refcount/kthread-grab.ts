/**
 * kthread_use_mm()'s mm_count reference (kernel-model.md C1.1 `realRefs(M)`: "#{ t : t.useMmGrab == M }
 * // kthread_use_mm mmgrab"; 3.4: "use_mm takes a full mmgrab(mm) (a real reference, held while
 * tsk->mm == mm)"). kernel/kthread.c kthread_use_mm(): `mmgrab(mm); ... tsk->mm = mm;`;
 * kthread_unuse_mm(): `tsk->mm = NULL; ... mmgrab_lazy_tlb(mm); ... mmdrop(mm);`. So a kernel
 * thread outside those two paths holds exactly one `grab` token `task:<id>` on M when its ->mm is M,
 * and none otherwise: a kthread_unuse_mm() that forgets its mmdrop() (or a kthread_use_mm() that
 * forgets its mmgrab()) breaks it as soon as the path ends, although the kthread never exits in the
 * model and C1.4 (which skips mms with grab holders) cannot see the leak.
 *
 * The token balance (C1.1 count balance) cannot see it either: the extra token is counted in
 * mm_count like a legitimate one. Checked for every strategy (mmgrab() is a real reference under
 * refcount, shootdown and hazard pointers alike), when a holder check is due.
 */
import type { CpuId } from '../../src/trace/events';
import { Explanation } from '../lib/explain';
import type { Violation } from '../property';
import { taskOwner } from '../lib/owners';
import { refFail, type RefcountCtx } from './context';
import { listTokens } from './token-ledger';

export const KTHREAD_GRAB_CLAUSE = 'C1.1 kthread_use_mm() reference';

/** Every kernel thread with no path in flight: grab(task:<id>) on M x1 iff ->mm == M. */
export function checkKthreadGrabs(ctx: RefcountCtx, cpu: CpuId, i: number): Violation | null {
  const { mirror, ledger } = ctx;
  for (const t of mirror.tasks.values()) {
    if (t.type !== 'kthread' || mirror.paths.taskInPath(t.id)) continue;
    const owner = taskOwner(t.id);
    const mmUsed = t.mm !== null && !mirror.isStatic(t.mm) ? t.mm : null;
    const held = ledger.heldBy(owner);
    const x = new Explanation();
    const where = t.onCpu === null ? [cpu] : [t.onCpu];
    if (held !== undefined) {
      for (const mm of held.keys()) {
        const n = ledger.count(mm, 'grab', owner);
        if (n === 0 || (mm === mmUsed && n === 1)) continue;
        x.say(mm === mmUsed
          ? `${t.id} uses ${mm} (->mm) but holds ${n} mm_count references on it as grab(${owner}); kthread_use_mm() takes one (mmgrab(mm)).`
          : `${t.id} holds kthread_use_mm()'s mm_count reference on ${mm} (grab(${owner})) but its ->mm is ${t.mm ?? 'NULL'} and no kthread_use_mm()/kthread_unuse_mm() of it is in flight (${t.id}'s ->mm set by ${x.ref(t.lastMmChange, 'the init event')}):`);
        if (mm !== mmUsed) x.say(`kernel/kthread.c kthread_unuse_mm() ends with mmdrop(mm), which drops the mmgrab() of kthread_use_mm(); the reference is leaked.`);
        x.say(`References held on ${mm}: ${listTokens(ledger.tokens(mm), (r) => x.ref(r))}.`);
        return refFail(KTHREAD_GRAB_CLAUSE, i, mm, where, x);
      }
    }
    if (mmUsed !== null && ledger.count(mmUsed, 'grab', owner) === 0) {
      x.say(`${t.id} uses ${mmUsed} (->mm set by ${x.ref(t.lastMmChange, 'the init event')}) without kthread_use_mm()'s mm_count reference:`);
      x.say(`kernel/kthread.c kthread_use_mm() does mmgrab(mm) before tsk->mm = mm, and kthread_unuse_mm() drops it.`);
      x.say(`References held on ${mmUsed}: ${listTokens(ledger.tokens(mmUsed), (r) => x.ref(r))}.`);
      return refFail(KTHREAD_GRAB_CLAUSE, i, mmUsed, where, x);
    }
  }
  return null;
}
