/**
 * What the refcount-balance checks share: the mirror, the token ledger, the strategy, and how to
 * report.
 */
import type { CpuId, MmId, Strategy } from '../../src/trace/events';
import type { Violation } from '../property';
import { violation, type Explanation } from '../lib/explain';
import type { Mirror } from '../lib/mirror';
import type { TokenLedger } from './token-ledger';

/** The property id. */
export const REFCOUNT_BALANCE_ID = 'refcount-balance';

/** The state the refcount checks share. */
export interface RefcountCtx {
  mirror: Mirror;
  ledger: TokenLedger;
  strategy: Strategy;
}

/** A refcount-balance violation. */
export function refFail(clause: string, index: number, mm: MmId | null, cpus: CpuId[], x: Explanation): Violation {
  return violation({ property: REFCOUNT_BALANCE_ID, clause, index, mm, cpus }, x);
}

/**
 * mm_count balance (C1.1): under refcount every counted token (users1 + grab + lazy) is one
 * mm_count; under shootdown lazy users are not counted ("Lazy mm shootdown does not refcount 'lazy
 * tlb mm' usage", kernel/fork.c cleanup_lazy_tlbs()). mm_users is the number of users tokens.
 * Returns a description of the mismatch for the given counter values, or null.
 */
export function balanceMismatch(ctx: RefcountCtx, mm: MmId, users: number, count: number): string | null {
  const t = ctx.ledger.tokens(mm);
  const counted = t.users1 + t.grab + (ctx.strategy === 'refcount' ? t.lazy : 0);
  if (count !== counted) {
    const lazy = ctx.strategy === 'refcount' ? ` + ${t.lazy} lazy` : '';
    return `mm_count of ${mm} is ${count} but the references held are ${t.users1} users1 + ${t.grab} grab${lazy} = ${counted}`;
  }
  if (users !== t.users) return `mm_users of ${mm} is ${users} but ${t.users} users references are held`;
  return null;
}
