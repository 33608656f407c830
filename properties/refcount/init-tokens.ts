/**
 * The tokens held at boot. `init.refs` lists the initial references; when it lists only lazy
 * references for an mm (the events.ts comment says "the initial lazy-TLB references"), the others
 * are implied by the tasks: a user task's ->mm is a `users` reference owned by `task:<id>`, a
 * kthread's ->mm (inside kthread_use_mm) a `grab`, and mm_users > 0 holds the `users1` reference.
 */
import type { InitEvent } from '../../src/trace/events';
import type { EventRef } from '../lib/explain';
import { taskOwner } from '../lib/owners';
import type { TokenLedger } from './token-ledger';

/** Puts the boot references of `init` into `ledger`. */
export function seedLedger(init: InitEvent, ledger: TokenLedger): void {
  const at: EventRef = { ev: init, i: 0 };
  const isStatic = new Set(init.mms.filter((m) => m.static).map((m) => m.mm));
  const listed = new Set(init.refs.filter((r) => r.token !== 'lazy').map((r) => r.mm));
  for (const r of init.refs) if (!isStatic.has(r.mm)) ledger.add(r.mm, r.token, r.owner, at);
  for (const m of init.mms) {
    if (m.static || listed.has(m.mm)) continue;
    if (m.users > 0) ledger.add(m.mm, 'users1', 'mm_users', at);
    for (const t of init.tasks) {
      if (t.mm !== m.mm) continue;
      ledger.add(m.mm, t.type === 'kthread' ? 'grab' : 'users', taskOwner(t.task), at);
    }
  }
}
