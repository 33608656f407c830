/**
 * refcount-balance (kernel-model.md C1, with errata Part 1 E1-E3): every mm_count / mm_users change
 * is accounted for by a reference token with an owner, counters never go negative, __mmdrop() and
 * free_mm() happen only at zero and only once, nothing is taken on a freed mm, lazy references are
 * held by exactly the lazy tasks and rq->prev_mm, and a quiescent end state leaks nothing.
 *
 * Reads: init, ref, ref_move, mm_alloc, mmdrop_begin, mm_free, task_mm, task_new, path, switch_to,
 * prev_mm (through the mirror), ipi_send/ipi_handle (quiescence).
 */
import type { CpuId, InitEvent, TraceEvent } from '../src/trace/events';
import { Explanation } from './lib/explain';
import type { Violation } from './property';
import { defineMirrorProperty, type MirrorHooks } from './lib/mirror-property';
import type { Mirror } from './lib/mirror';
import type { KeyContext } from './lib/state-key';
import { balanceMismatch, REFCOUNT_BALANCE_ID, refFail, type RefcountCtx } from './refcount/context';
import { checkHolders } from './refcount/holder-checks';
import { seedLedger } from './refcount/init-tokens';
import { checkLeaks } from './refcount/leak-check';
import { checkMmAlloc, checkMmdropBegin, checkMmFree, checkRef, checkRefMove } from './refcount/ref-events';
import { listTokens, TokenLedger } from './refcount/token-ledger';

/** The refcount-balance hook object: all its state is in fields (MirrorHooks.clone()/key()). */
class RefcountHooks implements MirrorHooks {
  /** A holder check is due: a path ended, a switch_to, or a reference/mm field changed. */
  due = false;

  constructor(
    private readonly ctx: RefcountCtx,
    private readonly init: InitEvent,
  ) {}

  start(): Violation | null {
    return checkInit(this.ctx, this.init);
  }

  before(ev: TraceEvent, i: number): Violation | null {
    const ctx = this.ctx;
    switch (ev.k) {
      case 'ref':
        this.due = true;
        return checkRef(ctx, ev, i);
      case 'ref_move':
        this.due = true;
        return checkRefMove(ctx, ev, i);
      case 'mm_alloc':
        return checkMmAlloc(ctx, ev, i);
      case 'mmdrop_begin':
        return checkMmdropBegin(ctx, ev, i);
      case 'mm_free':
        return checkMmFree(ctx, ev, i);
      case 'path':
      case 'switch_to':
      case 'task_mm':
      case 'prev_mm':
      case 'hazard':
        this.due = true;
        return null;
      default:
        return null;
    }
  }

  settle(cpu: CpuId, i: number): Violation | null {
    if (!this.due) return null;
    this.due = false;
    return checkHolders(this.ctx, cpu, i);
  }

  finish(): Violation | null {
    return checkLeaks(this.ctx);
  }

  clone(mirror: Mirror): RefcountHooks {
    const h = new RefcountHooks({ mirror, ledger: this.ctx.ledger.clone(), strategy: this.ctx.strategy }, this.init);
    h.due = this.due;
    return h;
  }

  /** The pending holder check (and the step it settles with) and the token ledger. */
  key(k: KeyContext): string {
    return `${this.due ? `D${k.stepCpu ?? '-'}` : 'd'} ${this.ctx.ledger.key(k.rename)}`;
  }
}

function hooks(mirror: Mirror, init: InitEvent): MirrorHooks {
  const ctx: RefcountCtx = { mirror, ledger: new TokenLedger(), strategy: init.strategy };
  seedLedger(init, ctx.ledger);
  return new RefcountHooks(ctx, init);
}

/** The init event's counters agree with its references (C1.1 at boot). */
function checkInit(ctx: RefcountCtx, init: InitEvent): Violation | null {
  for (const m of init.mms) {
    if (m.static) continue;
    const tokens = ctx.ledger.tokens(m.mm);
    const x = new Explanation();
    if (ctx.strategy === 'shootdown' && tokens.lazy > 0) {
      x.say(`${x.ev(init, 0)} lists lazy references on ${m.mm}, but under MMU_LAZY_TLB_SHOOTDOWN lazy users hold none.`);
      return refFail('C1.1 lazy reference under shootdown', 0, m.mm, [], x);
    }
    const off = balanceMismatch(ctx, m.mm, m.users, m.count);
    if (off === null) continue;
    x.say(`In ${x.ev(init, 0)}, ${off}. References at boot: ${listTokens(tokens, () => 'boot')}.`);
    return refFail('C1.1 count balance', 0, m.mm, [], x);
  }
  return null;
}

/** The refcount-balance property (C1). */
export const refcountBalance = defineMirrorProperty({
  id: REFCOUNT_BALANCE_ID,
  title: 'mm_count / mm_users balance and lifetime',
  reference:
    'kernel-model.md C1.1-C1.4 (errata Part 1 E1-E3); include/linux/sched/mm.h mmgrab()/mmdrop()/mmgrab_lazy_tlb(), kernel/sched/core.c context_switch()/finish_task_switch(), kernel/fork.c __mmput()/__mmdrop()',
  // Hazard pointers: mm_count == users1 + grab, where rq->drop_mm and mm_unlazy_mm_count()'s batch
  // are grab tokens (owners rq:<cpu>:drop_mm, local:<cpu>:mm_unlazy_mm_count).
  appliesTo: () => true,
  hooks,
  symmetricKey: true,
});
