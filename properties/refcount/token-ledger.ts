/**
 * The ghost multiset of reference tokens per mm (kernel-model.md C1.1 "implementation advice"): every
 * `ref` +1 adds a (token, owner), every `ref` -1 removes one, `ref_move` changes its owner. Counts
 * per token kind make the balance checks O(1).
 */
import type { MmId, RefOwner, RefToken } from '../../src/trace/events';
import type { EventRef } from '../lib/explain';
import { KeyMemo, type NameRenaming } from '../lib/state-key';

/** One (token, owner) pair held on an mm, with multiplicity. */
export interface HeldToken {
  token: RefToken;
  owner: RefOwner;
  n: number;
  /** The event that last added it. */
  since: EventRef | null;
}

/** Tokens of one mm, by kind. */
export interface MmTokens {
  held: Map<string, HeldToken>;
  users: number;
  users1: number;
  grab: number;
  lazy: number;
}

/**
 * The map key of a (token, owner) pair, interned: the ledger is consulted on every reference
 * event, and building and hashing a fresh string each time was its largest cost (about 10% of all
 * monitoring, docs/explore.md). The cache is emptied past KEY_CACHE_LIMIT pairs, so a foreign
 * trace with ever new owners cannot grow it without bound.
 */
const KEYS = new Map<RefToken, Map<RefOwner, string>>();
const KEY_CACHE_LIMIT = 4096;
let cachedKeys = 0;
function key(token: RefToken, owner: RefOwner): string {
  let byOwner = KEYS.get(token);
  if (byOwner === undefined) KEYS.set(token, (byOwner = new Map()));
  let k = byOwner.get(owner);
  if (k === undefined) {
    if (++cachedKeys > KEY_CACHE_LIMIT) {
      KEYS.clear();
      cachedKeys = 1;
      KEYS.set(token, (byOwner = new Map()));
    }
    byOwner.set(owner, (k = `${token}\u0000${owner}`));
  }
  return k;
}

/** The ledger's contents. */
interface LedgerTables {
  perMm: Map<MmId, MmTokens>;
  /** Owners holding at least one token anywhere: owner -> mm -> count (small). */
  byOwner: Map<RefOwner, Map<MmId, number>>;
}

/** A deep copy (HeldToken records copied; their `since` event references are shared, never mutated). */
function copyTables(from: LedgerTables): LedgerTables {
  const to: LedgerTables = { perMm: new Map(), byOwner: new Map() };
  for (const [mm, t] of from.perMm) {
    const held = new Map<string, HeldToken>();
    for (const [k, h] of t.held) held.set(k, { ...h });
    to.perMm.set(mm, { held, users: t.users, users1: t.users1, grab: t.grab, lazy: t.lazy });
  }
  for (const [owner, m] of from.byOwner) to.byOwner.set(owner, new Map(m));
  return to;
}

/** Reference tokens per mm and per owner. */
export class TokenLedger {
  /**
   * The contents, copy-on-write (issue 15: the explorer clones the monitors per transition, and
   * most transitions move no reference): a clone shares them with its original and the tables
   * object is frozen; whichever side writes first copies them (`own()`). Frozen tables are never
   * written again, by either side.
   */
  private t: LedgerTables = { perMm: new Map(), byOwner: new Map() };
  /**
   * key() without a renaming, shared with clones until the next add/remove/reset (issue 15: the
   * explorer asks for the key of every state, and most transitions move no reference; it depends on
   * the ledger alone, not on the id renaming).
   */
  private memo = new KeyMemo();

  /** An independent copy: the tables shared copy-on-write, with the key memo. */
  clone(): TokenLedger {
    const c = new TokenLedger();
    c.t = Object.freeze(this.t);
    c.memo = this.memo;
    return c;
  }

  /** The tables, this ledger's own (copied first if shared); the key memo dropped: for every write. */
  private own(): LedgerTables {
    if (Object.isFrozen(this.t)) this.t = copyTables(this.t);
    this.memo = new KeyMemo();
    return this.t;
  }

  private get perMm(): ReadonlyMap<MmId, MmTokens> {
    return this.t.perMm;
  }

  /**
   * The ledger as a canonical string: per mm, the (token, owner) pairs with multiplicity (not
   * `since`: messages only). With `rename` (symmetry reduction), mm names and the task names inside
   * owners are renamed before anything is sorted: the key of the renamed ledger.
   */
  key(rename?: NameRenaming): string {
    if (rename === undefined) return (this.memo.text ??= this.keyOf(undefined));
    return this.keyOf(rename);
  }

  private keyOf(rename: NameRenaming | undefined): string {
    const mms: [string, MmId][] = [...this.perMm.keys()].map((mm) => [rename === undefined ? mm : rename(mm), mm]);
    mms.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    let out = '';
    for (const [name, mm] of mms) {
      const t = this.perMm.get(mm) as MmTokens;
      if (t.held.size === 0) continue;
      const pairs: string[] = [];
      if (rename === undefined) for (const [k, h] of t.held) pairs.push(`${k}*${h.n}`);
      else for (const h of t.held.values()) pairs.push(`${h.token}\u0000${rename(h.owner)}*${h.n}`);
      out += `L${name}:${pairs.sort().join(',')};`;
    }
    return out;
  }

  /** The tokens held on `mm` (read only: the tables may be shared). */
  tokens(mm: MmId): MmTokens {
    return this.perMm.get(mm) ?? { held: new Map(), users: 0, users1: 0, grab: 0, lazy: 0 };
  }

  /** Forgets every token of `mm` (a fresh mm_alloc). */
  reset(mm: MmId): void {
    if (!this.perMm.has(mm)) return;
    const own = this.own();
    const t = own.perMm.get(mm) as MmTokens;
    for (const h of t.held.values()) this.unindex(h.owner, mm, h.n);
    own.perMm.delete(mm);
  }

  has(mm: MmId, token: RefToken, owner: RefOwner): boolean {
    return this.count(mm, token, owner) > 0;
  }

  /** How many (token, owner) references are held on `mm`. */
  count(mm: MmId, token: RefToken, owner: RefOwner): number {
    return this.perMm.get(mm)?.held.get(key(token, owner))?.n ?? 0;
  }

  add(mm: MmId, token: RefToken, owner: RefOwner, since: EventRef | null): void {
    const own = this.own();
    let t = own.perMm.get(mm);
    if (t === undefined) own.perMm.set(mm, (t = { held: new Map(), users: 0, users1: 0, grab: 0, lazy: 0 }));
    const k = key(token, owner);
    const h = t.held.get(k);
    if (h === undefined) t.held.set(k, { token, owner, n: 1, since });
    else {
      h.n++;
      h.since = since;
    }
    t[token]++;
    const m = own.byOwner.get(owner) ?? new Map<MmId, number>();
    m.set(mm, (m.get(mm) ?? 0) + 1);
    own.byOwner.set(owner, m);
  }

  /** Removes one (token, owner); false when it was not held. */
  remove(mm: MmId, token: RefToken, owner: RefOwner): boolean {
    const k = key(token, owner);
    if (this.perMm.get(mm)?.held.get(k) === undefined) return false;
    const t = this.own().perMm.get(mm) as MmTokens;
    const h = t.held.get(k) as HeldToken;
    if (--h.n === 0) t.held.delete(k);
    t[token]--;
    this.unindex(owner, mm, 1);
    return true;
  }

  /** The mms on which `owner` holds tokens, with counts (do not mutate). */
  heldBy(owner: RefOwner): ReadonlyMap<MmId, number> | undefined {
    return this.t.byOwner.get(owner);
  }

  /** Every owner currently holding a token. */
  owners(): IterableIterator<RefOwner> {
    return this.t.byOwner.keys();
  }

  /** After own(): the tables are this ledger's. */
  private unindex(owner: RefOwner, mm: MmId, n: number): void {
    const byOwner = this.t.byOwner;
    const m = byOwner.get(owner);
    if (m === undefined) return;
    const left = (m.get(mm) ?? 0) - n;
    if (left > 0) m.set(mm, left);
    else m.delete(mm);
    if (m.size === 0) byOwner.delete(owner);
  }
}

/** `lazy(task:K1) since event 12, users1(mm_users) since event 3` (for messages). */
export function listTokens(t: MmTokens, cite: (r: EventRef | null) => string): string {
  const parts: string[] = [];
  for (const h of t.held.values()) {
    const times = h.n > 1 ? ` x${h.n}` : '';
    parts.push(`${h.token}(${h.owner})${times}${h.since ? ` taken at ${cite(h.since)}` : ''}`);
  }
  return parts.length > 0 ? parts.join(', ') : 'no tokens';
}
