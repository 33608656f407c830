/**
 * refcount-balance checks made at the reference events themselves (kernel-model.md C1.1-C1.3):
 * counter arithmetic, token discipline, the mm_count balance, __mmdrop() and free_mm() only at zero,
 * no reference taken on a freed mm. Called before the mirror applies the event.
 */
import type {
  MmAllocEvent,
  MmFreeEvent,
  MmdropBeginEvent,
  RefEvent,
  RefMoveEvent,
} from '../../src/trace/events';
import { Explanation } from '../lib/explain';
import type { Violation } from '../property';
import { balanceMismatch, refFail, type RefcountCtx } from './context';
import { listTokens } from './token-ledger';

/** include/linux/sched/mm.h: mmgrab()/mmdrop() change mm_count, mmget()/mmput() change mm_users. */
const COUNTER_OF = { users: 'mm_users', users1: 'mm_count', grab: 'mm_count', lazy: 'mm_count' } as const;

/** A `ref` event: counter kind, arithmetic, sign, freed mm, token discipline, balance. */
export function checkRef(ctx: RefcountCtx, ev: RefEvent, i: number): Violation | null {
  const { mirror, ledger } = ctx;
  if (mirror.isStatic(ev.mm)) return null;
  const m = mirror.mm(ev.mm);
  const x = new Explanation();
  const fail = (clause: string) => refFail(clause, i, ev.mm, [ev.cpu], x);
  const here = () => x.ev(ev, i);

  if (COUNTER_OF[ev.token] !== ev.counter) {
    x.say(`${here()} changes ${ev.counter} for a ${ev.token} reference, which is counted in ${COUNTER_OF[ev.token]}.`);
    return fail('C1.1 token/counter mismatch');
  }
  const before = ev.counter === 'mm_users' ? m.users : m.count;
  if (ev.value !== before + ev.delta) {
    x.say(`${here()} reports ${ev.counter} = ${ev.value}, but it was ${before} before and the change is ${ev.delta}.`);
    return fail('C1.2 counter arithmetic');
  }
  if (ev.value < 0) {
    x.say(`${here()} makes ${ev.counter} of ${ev.mm} negative (C1.2: mm_count >= 0 and mm_users >= 0 always).`);
    return fail('C1.2 negative counter');
  }
  if (ev.delta > 0) {
    if (m.freed) {
      x.say(`${here()} takes a reference on ${ev.mm}, which ${x.ref(m.freedAt)} already freed (C1.3 no resurrection).`);
      return fail('C1.3 reference on a freed mm');
    }
    if (ev.counter === 'mm_users' && before === 0) {
      x.say(`${here()} takes mm_users of ${ev.mm} from 0 to 1: the address space is already dead (C1.3: mmget_not_zero() must fail when mm_users == 0).`);
      return fail('C1.3 mm_users resurrected');
    }
    if (ev.token === 'lazy' && ctx.strategy === 'shootdown') {
      x.say(`${here()} counts a lazy reference, but under MMU_LAZY_TLB_SHOOTDOWN mmgrab_lazy_tlb() takes none.`);
      return fail('C1.1 lazy reference under shootdown');
    }
    if (ev.token === 'lazy' && ctx.strategy === 'hazard') {
      x.say(`${here()} counts a lazy reference, but with hazard pointers a lazy CPU only publishes rq->lazy_mm.`);
      return fail('C1.1 lazy reference under hazard pointers');
    }
    ledger.add(ev.mm, ev.token, ev.owner, { ev, i });
  } else if (!ledger.remove(ev.mm, ev.token, ev.owner)) {
    x.say(`${here()}: ${ev.owner} dropped a ${ev.token} reference on ${ev.mm} it did not hold.`);
    x.say(`References held on ${ev.mm}: ${listTokens(ledger.tokens(ev.mm), (r) => x.ref(r))}.`);
    return fail('C1.1 drop without reference');
  }
  const users = ev.counter === 'mm_users' ? ev.value : m.users;
  const count = ev.counter === 'mm_count' ? ev.value : m.count;
  const off = balanceMismatch(ctx, ev.mm, users, count);
  if (off !== null) {
    x.say(`After ${here()}, ${off}. References held: ${listTokens(ledger.tokens(ev.mm), (r) => x.ref(r))}.`);
    return fail('C1.1 count balance');
  }
  return null;
}

/** A `ref_move`: the reference must be held by `from` and the mm alive. */
export function checkRefMove(ctx: RefcountCtx, ev: RefMoveEvent, i: number): Violation | null {
  const { mirror, ledger } = ctx;
  if (mirror.isStatic(ev.mm)) return null;
  const m = mirror.mm(ev.mm);
  const x = new Explanation();
  if (m.freed) {
    x.say(`${x.ev(ev, i)} hands over a reference to ${ev.mm}, which ${x.ref(m.freedAt)} already freed (C1.3).`);
    return refFail('C1.3 reference on a freed mm', i, ev.mm, [ev.cpu], x);
  }
  if (!ledger.remove(ev.mm, ev.token, ev.from)) {
    x.say(`${x.ev(ev, i)}: ${ev.from} moved a ${ev.token} reference on ${ev.mm} it did not hold.`);
    x.say(`References held on ${ev.mm}: ${listTokens(ledger.tokens(ev.mm), (r) => x.ref(r))}.`);
    return refFail('C1.1 move without reference', i, ev.mm, [ev.cpu], x);
  }
  ledger.add(ev.mm, ev.token, ev.to, { ev, i });
  return null;
}

/** mm_alloc()/dup_mm(): mm_users = mm_count = 1, tokens users(owner) + users1. */
export function checkMmAlloc(ctx: RefcountCtx, ev: MmAllocEvent, i: number): null {
  ctx.ledger.reset(ev.mm);
  ctx.ledger.add(ev.mm, 'users', ev.owner, { ev, i });
  ctx.ledger.add(ev.mm, 'users1', 'mm_users', { ev, i });
  return null;
}

/**
 * C1.2: "__mmdrop(M) runs only in the step where M.count went 1->0"; C1.5: and in a context where
 * freeing is legal. The final drop runs on an online CPU (one RCU watches: __mmdrop() frees the
 * pgd and the mm through paths that may use RCU); under MMU_LAZY_TLB_SHOOTDOWN its
 * cleanup_lazy_tlbs() calls on_each_cpu_mask(..., wait=1), which must not run with IRQs off or in
 * an interrupt handler (kernel/smp.c smp_call_function_many_cond(): "WARN_ON_ONCE(cpu_online(this_cpu)
 * && irqs_disabled() && !oops_in_progress && !early_boot_irqs_disabled)"; an IPI handler waiting for
 * other CPUs can deadlock) -- which is why finish_task_switch() drops the lazy mm only after
 * finish_lock_switch() re-enabled IRQs (mmdrop_lazy_tlb_sched()). PREEMPT_RT's mmdrop_sched()
 * deferral for IRQs-off callers is not modelled.
 */
export function checkMmdropBegin(ctx: RefcountCtx, ev: MmdropBeginEvent, i: number): Violation | null {
  const m = ctx.mirror.mm(ev.mm);
  if (m.isStatic) return null;
  const c = ctx.mirror.cpu(ev.cpu);
  if (!c.online || (ctx.strategy === 'shootdown' && (c.irqsOff || c.inIrq))) {
    const x = new Explanation();
    x.say(!c.online
      ? `${x.ev(ev, i)} runs the final __mmdrop() of ${ev.mm} on cpu${ev.cpu}, which is offline: the final drop must run where RCU watches.`
      : `${x.ev(ev, i)} runs the final __mmdrop() of ${ev.mm} on cpu${ev.cpu} ${c.inIrq ? 'inside an interrupt handler' : 'with IRQs off'}: cleanup_lazy_tlbs()'s on_each_cpu_mask(..., wait=1) must not (smp_call_function_many_cond() WARN_ON_ONCE(irqs_disabled())).`);
    return refFail('C1.5 final drop in a context where freeing is illegal', i, ev.mm, [ev.cpu], x);
  }
  if (m.count === 0) return null;
  const x = new Explanation();
  x.say(`${x.ev(ev, i)} enters __mmdrop() while mm_count of ${ev.mm} is ${m.count}:`);
  x.say(`still held by ${listTokens(ctx.ledger.tokens(ev.mm), (r) => x.ref(r))}.`);
  return refFail('C1.2 __mmdrop with references', i, ev.mm, [ev.cpu], x);
}

/** C1.2: free_mm() at most once, and only with mm_count == 0 and mm_users == 0. */
export function checkMmFree(ctx: RefcountCtx, ev: MmFreeEvent, i: number): Violation | null {
  const m = ctx.mirror.mm(ev.mm);
  if (m.isStatic) return null;
  const x = new Explanation();
  if (m.freed) {
    x.say(`${x.ev(ev, i)} frees ${ev.mm} a second time; ${x.ref(m.freedAt)} freed it first.`);
    return refFail('C1.2 double free', i, ev.mm, [ev.cpu], x);
  }
  if (m.count !== 0 || m.users !== 0) {
    x.say(`${x.ev(ev, i)} frees ${ev.mm} with mm_count ${m.count} and mm_users ${m.users}`);
    x.say(`(held by ${listTokens(ctx.ledger.tokens(ev.mm), (r) => x.ref(r))}).`);
    return refFail('C1.2 free of a referenced mm', i, ev.mm, [ev.cpu], x);
  }
  return null;
}
