/**
 * C1.4 quiescence / no leak, at the end of a trace that is quiescent (no path in flight anywhere,
 * no IPI pending). A non-static, live mm with mm_users == 0 and no grab holders:
 *  - refcount: may be kept only by lazy references of tasks that are current and lazy on it ("a dead
 *    mm kept by a lazy CPU is not a leak until that CPU moves on", active_mm.rst's zombie mm);
 *  - shootdown: must be freed (lazy users hold nothing; __mmdrop() shot them down).
 * An mm whose mm_count reached 0 must have been freed in every strategy.
 */
import { Explanation } from '../lib/explain';
import type { Violation } from '../property';
import { ownerTask } from '../lib/owners';
import { refFail, type RefcountCtx } from './context';
import { listTokens } from './token-ledger';

/** C1.4 at the end of the trace (only when it is quiescent). */
export function checkLeaks(ctx: RefcountCtx): Violation | null {
  const { mirror, ledger } = ctx;
  if (!mirror.quiescent()) return null;
  const i = mirror.lastIndex;
  for (const m of mirror.mms.values()) {
    if (m.isStatic || m.freed || m.users !== 0) continue;
    const tok = ledger.tokens(m.id);
    const x = new Explanation();
    const held = listTokens(tok, (r) => x.ref(r));
    // A grab owned by a task that is dead (kthread_use_mm()'s mmgrab, or exit_mm()'s mmgrab in
    // Andy Lutomirski's series as posted, errata Part 3 A11): nothing will ever drop it.
    for (const h of tok.held.values()) {
      const id = h.token === 'grab' ? ownerTask(h.owner) : null;
      if (id === null || mirror.task(id).state !== 'dead') continue;
      x.say(`At the end of the trace (quiescent), ${m.id} has mm_users 0 and is kept by grab(${h.owner}) taken at ${x.ref(h.since, 'boot')}, but ${id} is dead: no code path will mmdrop() it (mm_count ${m.count}, held by ${held}).`);
      return refFail('C1.4 leaked', i, m.id, [], x);
    }
    if (tok.grab > 0) continue;
    if (m.count === 0) {
      x.say(`At the end of the trace (quiescent), ${m.id} has mm_count 0 but was never freed: __mmdrop() must free it when the last reference goes.`);
      return refFail('C1.4 leaked', i, m.id, [], x);
    }
    if (ctx.strategy !== 'refcount') {
      x.say(`At the end of the trace (quiescent), ${m.id} has mm_users 0 and no grab holders, so under ${ctx.strategy} it must be freed;`);
      x.say(`mm_count is ${m.count}, held by ${held}.`);
      return refFail('C1.4 leaked', i, m.id, [], x);
    }
    for (const h of tok.held.values()) {
      const id = ownerTask(h.owner);
      const t = id === null ? null : mirror.task(id);
      if (h.token === 'lazy' && t !== null && t.onCpu !== null && t.mm === null && t.activeMm === m.id) continue;
      x.say(`At the end of the trace (quiescent), ${m.id} has mm_users 0 and no grab holders; only lazy references of running lazy tasks may keep it alive,`);
      x.say(`but ${h.token}(${h.owner}) taken at ${x.ref(h.since, 'boot')} is not one (mm_count ${m.count}, held by ${held}).`);
      return refFail('C1.4 leaked', i, m.id, t?.onCpu != null ? [t.onCpu] : [], x);
    }
  }
  return null;
}
