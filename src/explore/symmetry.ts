/**
 * Symmetry reduction for the explorer (`explore({ symmetry: true })`, `lazymm explore --symmetry`):
 * states equal up to a renaming of interchangeable objects get one key, so each orbit is expanded
 * once. docs/explore.md "Symmetry reduction" gives the argument; in short:
 *
 * - **The group.** The initial user processes of one shape (their mm, their threads, the tgid
 *   that is the leader's name) are interchangeable as wholes; the threads of one process are
 *   interchangeable among themselves (the tgid, a name, is renamed with its leader); the initial
 *   kthreads are interchangeable. A group element is a bijection on task and mm names
 *   ({@link Perm}); CPUs, idle tasks, static mms and every name created later (fork, exec: fresh
 *   counters) are fixed.
 * - **The key of a renamed state.** kernelKey() of the renamed kernel state (every string that is
 *   a name, every object key, and the `:` segments of compound strings such as `task:T3`), with
 *   `taskOrder`/`mmOrder` and the `tasks`/`mms` records written in the state's own (creation)
 *   order of the *renamed* names; the mirror's key with every name renamed, views written in the
 *   mirror's own order of the renamed names (monitor.ts mirrorKey(), `rename`); every property's
 *   key() under KeyContext.rename (names renamed before sorting).
 * - **The representative.** The processes of a class are sorted by a renaming-invariant signature
 *   (their kernel records with every name of the group abstracted), the threads of a process and
 *   the kthreads likewise; among objects with equal signatures every order is tried (up to
 *   {@link MAX_CANDIDATES}) and the smallest key wins. Any choice is sound (equal keys mean equal
 *   renamed states, hence one is a renaming of the other); sorting plus the minimum over ties makes
 *   the key canonical (every member of an orbit gets the same one) so the reduction is complete.
 * - Nodes stay (parent, op) on the actual states: counterexamples are real op lists, replayable.
 */
import type { Op } from '../engine/ops';
import type { KernelState } from '../engine/state';
import { kernelFingerprint, kernelKeyChecked, newRenamings, type Renamings } from './canonical';
import type { MirrorRenaming } from './mirror-hash';
import type { ExploreMonitor } from './monitor';

/**
 * A renaming: `names` of tasks and mms (a bijection on its domain; identity elsewhere), and
 * `tgids`, the thread-group ids of the initial processes (a process's tgid is its leader's name,
 * but nothing compares a tgid with a task name, only tgids with tgids: a tgid is a label of its
 * process, renamed with the process, whichever thread goes where). Other tgids (fork: a fresh
 * name; a kthread's execve: its own name) are renamed by `names`.
 */
export interface Perm {
  readonly names: ReadonlyMap<string, string>;
  readonly tgids: ReadonlyMap<string, string>;
}

/** One interchangeable object: its mm (processes) and its tasks (in creation order). */
interface SymObject {
  mm: string | null;
  tasks: string[];
}

/** The symmetry group of a configuration, as classes of interchangeable objects. */
export interface SymmetryGroup {
  /** Classes of processes of one shape (two or more processes each). */
  processes: SymObject[][];
  /** The initial kthreads (empty or two or more). */
  kthreads: string[];
  /** Every name the group moves. */
  domain: ReadonlySet<string>;
  /** The group's order (1: no symmetry). */
  order: number;
  /** The position of every initial task and mm name in the initial creation order (canonicalOrder()). */
  rank: ReadonlyMap<string, number>;
  /** Matches a name of the domain as a whole token (not inside a longer name): signature(). */
  nameToken: RegExp;
}

/**
 * `names` (a state's taskOrder or mmOrder, or the mirror's views) in the canonical order the key
 * writes them in: the initial names in their initial creation order, then the others in the order
 * given (later names are fixed by the group, and created in the same order in states that are
 * renamings of each other). For a reachable state this is its own creation order.
 */
export function canonicalOrder(g: SymmetryGroup, names: Iterable<string>): string[] {
  const l = [...names];
  const r = (x: string) => g.rank.get(x) ?? Infinity;
  return l.map((x, i) => ({ x, i })).sort((a, b) => r(a.x) - r(b.x) || a.i - b.i).map((e) => e.x);
}

/** At most this many tied orders are tried per state (beyond, the key stays sound but may not be canonical). */
export const MAX_CANDIDATES = 64;

const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));

/**
 * The group of the initial state `s` (from engine.init()): user processes grouped by tgid,
 * processes of the same number of threads interchangeable; the threads of each process; kthreads.
 */
export function symmetryGroup(s: KernelState): SymmetryGroup {
  const byTgid = new Map<string, SymObject>();
  const kthreads: string[] = [];
  for (const id of s.taskOrder) {
    const t = s.tasks[id];
    if (t.type === 'kthread') kthreads.push(id);
    if (t.type !== 'user' || t.tgid === null) continue;
    let p = byTgid.get(t.tgid);
    if (p === undefined) byTgid.set(t.tgid, (p = { mm: t.mm, tasks: [] }));
    if (p.mm !== t.mm) throw new Error(`explore --symmetry: process ${t.tgid} has threads on two mms`);
    p.tasks.push(id);
  }
  const shapes = new Map<number, SymObject[]>();
  for (const p of byTgid.values()) {
    const mmShared = [...byTgid.values()].filter((q) => q.mm === p.mm).length > 1;
    if (p.mm === null || mmShared) continue; // not a whole process with its own mm: left fixed
    const l = shapes.get(p.tasks.length) ?? [];
    l.push(p);
    shapes.set(p.tasks.length, l);
  }
  const processes: SymObject[][] = [];
  const domain = new Set<string>();
  let order = 1;
  for (const l of shapes.values()) {
    for (const p of l) {
      for (const t of p.tasks) domain.add(t);
      order *= factorial(p.tasks.length);
    }
    if (l.length >= 2) order *= factorial(l.length);
    if (l.length >= 2) for (const p of l) domain.add(p.mm as string);
    processes.push(l);
  }
  const ks = kthreads.length >= 2 ? kthreads : [];
  for (const k of ks) domain.add(k);
  order *= factorial(ks.length);
  const rank = new Map<string, number>();
  s.taskOrder.forEach((id, i) => rank.set(id, i));
  s.mmOrder.forEach((id, i) => rank.set(id, s.taskOrder.length + i));
  const names = [...domain].sort((a, b) => b.length - a.length).map((x) => x.replace(/[^A-Za-z0-9_]/g, '\\$&'));
  const nameToken = names.length === 0 ? /$^/g : new RegExp(`(?<![A-Za-z0-9_])(?:${names.join('|')})(?![A-Za-z0-9_])`, 'g');
  return { processes, kthreads: ks, domain, order, rank, nameToken };
}

/** `name` under `perm`: itself, its image, or (compound names such as `task:T3`) its `:` segments renamed. */
export function renameName(perm: Perm, name: string): string {
  const r = perm.names.get(name);
  if (r !== undefined) return r;
  if (name.indexOf(':') < 0) return name;
  const parts = name.split(':');
  let changed = false;
  for (let i = 0; i < parts.length; i++) {
    const x = perm.names.get(parts[i]);
    if (x !== undefined) {
      parts[i] = x;
      changed = true;
    }
  }
  return changed ? parts.join(':') : name;
}

/** A tgid under `perm`. */
export function renameTgid(perm: Perm, tgid: string): string {
  return perm.tgids.get(tgid) ?? renameName(perm, tgid);
}

const invertMap = (m: ReadonlyMap<string, string>): Map<string, string> => new Map([...m].map(([a, b]) => [b, a]));
const composeMaps = (a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): Map<string, string> => {
  const out = new Map<string, string>();
  for (const [x, y] of a) out.set(x, b.get(y) ?? y);
  for (const [x, y] of b) if (!out.has(x)) out.set(x, y);
  return out;
};

/** The inverse renaming. */
export function inverse(perm: Perm): Perm {
  return { names: invertMap(perm.names), tgids: invertMap(perm.tgids) };
}

/** `a` then `b` (x -> b(a(x))). */
export function compose(a: Perm, b: Perm): Perm {
  return { names: composeMaps(a.names, b.names), tgids: composeMaps(a.tgids, b.tgids) };
}

/**
 * A deep copy of plain JSON data (a kernel state, a trace event) with every string and object key
 * renamed by `perm`, a `tgid` field's value as a tgid: the renamed state itself (its creation
 * order renamed too, unlike renamedKernelState()), or the renamed event.
 */
export function renameJson<T>(v: T, perm: Perm): T {
  return renamedCopy(v, perm) as T;
}

function renamedCopy(v: unknown, perm: Perm): unknown {
  if (typeof v === 'string') return renameName(perm, v);
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map((x) => renamedCopy(x, perm));
  const out: Record<string, unknown> = {};
  for (const k in v as Record<string, unknown>) {
    const x = (v as Record<string, unknown>)[k];
    out[renameName(perm, k)] = k === 'tgid' && typeof x === 'string' ? renameTgid(perm, x) : renamedCopy(x, perm);
  }
  return out;
}

/** The records of `r` written in the order `order` lists their names (the renamed state's names, in the state's own order). */
function inOrder<V>(r: Record<string, V>, order: readonly string[], what: string): Record<string, V> {
  const out: Record<string, V> = {};
  for (const id of order) {
    if (!(id in r)) throw new Error(`explore --symmetry: the renamed state has no ${what} ${id}`);
    out[id] = r[id];
  }
  return out;
}

/**
 * The kernel state renamed by `perm`, with `taskOrder`, `mmOrder` and the `tasks`/`mms` records in
 * the canonical order of the renamed names (canonicalOrder(): so two states that are renamings of
 * each other give equal copies even though their creation orders name different objects:
 * docs/explore.md, why the creation order of permuted objects cannot change a verdict).
 */
export function renamedKernelState(s: KernelState, perm: Perm, g: SymmetryGroup): KernelState {
  const r = renamedCopy(s, perm) as KernelState;
  r.taskOrder = canonicalOrder(g, r.taskOrder);
  r.mmOrder = canonicalOrder(g, r.mmOrder);
  r.tasks = inOrder(r.tasks, r.taskOrder, 'task');
  r.mms = inOrder(r.mms, r.mmOrder, 'mm');
  return r;
}

/** An op renamed by `perm` (its task and mm arguments). */
export function renameOp(op: Op, perm: Perm): Op {
  const o = { ...op } as Op & { next?: string; mm?: string };
  if (typeof o.next === 'string') o.next = renameName(perm, o.next);
  if (typeof o.mm === 'string') o.mm = renameName(perm, o.mm);
  return o;
}

/**
 * A renaming-invariant description of a kernel record (a task's, an mm's): its JSON text with
 * every name of the group, as a whole token (alone or as a `:` segment), written `?`.
 */
function signature(record: unknown, g: SymmetryGroup): string {
  return JSON.stringify(record).replace(g.nameToken, '?');
}

/** The orders of `items` sorted by `sig`, every order of each run of equal signatures (at most `cap`). */
function sortedOrders<T>(items: readonly T[], sig: (x: T) => string, cap: number): T[][] {
  const sorted = items.map((x) => ({ x, s: sig(x) })).sort((a, b) => (a.s < b.s ? -1 : a.s > b.s ? 1 : 0));
  let out: T[][] = [[]];
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1;
    while (j < sorted.length && sorted[j].s === sorted[i].s) j++;
    const run = sorted.slice(i, j).map((e) => e.x);
    const perms = permutations(run);
    const next: T[][] = [];
    for (const prefix of out) for (const p of perms) if (next.length < cap) next.push([...prefix, ...p]);
    out = next;
    i = j;
  }
  return out;
}

function permutations<T>(l: readonly T[]): T[][] {
  if (l.length <= 1) return [[...l]];
  const out: T[][] = [];
  l.forEach((x, i) => {
    for (const rest of permutations([...l.slice(0, i), ...l.slice(i + 1)])) out.push([x, ...rest]);
  });
  return out;
}

/** Cartesian product of candidate lists of partial renamings (their maps joined), capped. */
function product(lists: Perm[][], cap: number): Perm[] {
  let out: Perm[] = [{ names: new Map(), tgids: new Map() }];
  for (const l of lists) {
    const next: Perm[] = [];
    for (const a of out) {
      for (const b of l) {
        if (next.length >= cap) break;
        next.push({ names: new Map([...a.names, ...b.names]), tgids: new Map([...a.tgids, ...b.tgids]) });
      }
    }
    out = next;
  }
  return out;
}

/**
 * The candidate representatives of `s`: renamings that put each class of objects in signature
 * order into the slots of the initial objects (the i-th sorted object gets the i-th slot's names),
 * every order of tied signatures.
 */
export function candidatePerms(s: KernelState, g: SymmetryGroup): Perm[] {
  const lists: Perm[][] = [];
  const sigs = new Map<string, string>();
  const taskSig = (id: string) => {
    let x = sigs.get(id);
    if (x === undefined) sigs.set(id, (x = signature(s.tasks[id], g)));
    return x;
  };
  // Each process's threads in signature order (tied ones in every order), with their signature.
  const threadOrders = new Map<SymObject, string[][]>();
  for (const cls of g.processes) for (const p of cls) threadOrders.set(p, sortedOrders(p.tasks, taskSig, MAX_CANDIDATES));
  for (const cls of g.processes) {
    const procSig = (p: SymObject) => `${signature(s.mms[p.mm as string], g)}|${(threadOrders.get(p) as string[][])[0].map(taskSig).join('|')}`;
    const orders = cls.length >= 2 ? sortedOrders(cls, procSig, MAX_CANDIDATES) : [cls];
    const cands: Perm[] = [];
    for (const order of orders) {
      // order[i] goes to slot cls[i]: its mm to cls[i].mm, its tgid (initial leader) to cls[i]'s,
      // its j-th sorted thread to cls[i]'s j-th thread.
      const perSlot = order.map((p, i) =>
        (threadOrders.get(p) as string[][]).map((threads): Perm => ({
          names: new Map<string, string>([...(cls.length >= 2 ? [[p.mm as string, cls[i].mm as string] as [string, string]] : []), ...threads.map((t, j) => [t, cls[i].tasks[j]] as [string, string])]),
          tgids: new Map([[p.tasks[0], cls[i].tasks[0]]]),
        })),
      );
      for (const m of product(perSlot, MAX_CANDIDATES)) if (cands.length < MAX_CANDIDATES) cands.push(m);
    }
    lists.push(cands);
  }
  if (g.kthreads.length >= 2) {
    lists.push(sortedOrders(g.kthreads, taskSig, MAX_CANDIDATES).map((order): Perm => ({ names: new Map(order.map((k, i) => [k, g.kthreads[i]] as [string, string])), tgids: new Map() })));
  }
  return product(lists, MAX_CANDIDATES);
}

/** Every element of the group (tests: the group is small on the configurations searched). */
export function groupElements(g: SymmetryGroup): Perm[] {
  const lists: Perm[][] = [];
  for (const cls of g.processes) {
    const cands: Perm[] = [];
    for (const order of cls.length >= 2 ? permutations(cls) : [cls]) {
      const perSlot = order.map((p, i) =>
        permutations(p.tasks).map((threads): Perm => ({
          names: new Map<string, string>([...(cls.length >= 2 ? [[p.mm as string, cls[i].mm as string] as [string, string]] : []), ...threads.map((t, j) => [t, cls[i].tasks[j]] as [string, string])]),
          tgids: new Map([[p.tasks[0], cls[i].tasks[0]]]),
        })),
      );
      cands.push(...product(perSlot, Infinity));
    }
    lists.push(cands);
  }
  if (g.kthreads.length >= 2) lists.push(permutations(g.kthreads).map((order): Perm => ({ names: new Map(order.map((k, i) => [k, g.kthreads[i]] as [string, string])), tgids: new Map() })));
  return product(lists, Infinity);
}

/** With ExploreOptions.checkCollisions: the full texts seen (the kernel state's JSON and the mirror's key by hash), to throw on a collision. */
export interface KeyTexts {
  kernel: Map<string, string>;
  mirror: Map<string, string>;
}

/**
 * The state key of (kernel state, monitors) renamed by `perm`, as explore.ts's stateKey(): the
 * kernel part's structural hash, the mirror's hash and every property's key; with `texts`, the
 * kernel state's JSON and the mirror's text instead (checking on the way that no two texts share a hash).
 */
export function renamedKey(s: KernelState, m: ExploreMonitor, perm: Perm, g: SymmetryGroup, texts?: KeyTexts): string[] {
  const ids: Renamings = newRenamings();
  const r = renamedKernelState(s, perm, g);
  const inv = inverse(perm);
  const sym: MirrorRenaming = {
    rename: (name: string) => renameName(perm, name),
    inverse: (name: string) => renameName(inv, name),
    tgid: (tgid: string) => renameTgid(perm, tgid),
    order: (names: Iterable<string>) => canonicalOrder(g, names),
  };
  if (texts !== undefined) return [kernelKeyChecked(r, ids, texts.kernel), m.keyChecked(ids, texts.mirror, sym)];
  return [kernelFingerprint(r, ids), m.hashedKey(ids, sym)];
}

/** The canonical key of (s, m) under `g`, and the renaming that gives it (the representative is perm(s)). */
export function symmetricKey(s: KernelState, m: ExploreMonitor, g: SymmetryGroup, texts?: KeyTexts): { key: string[]; perm: Perm } {
  let best: { key: string[]; perm: Perm } | null = null;
  let bestText = '';
  for (const perm of candidatePerms(s, g)) {
    const key = renamedKey(s, m, perm, g, texts);
    const text = key.join('\u0001');
    if (best === null || text < bestText) {
      best = { key, perm };
      bestText = text;
    }
  }
  return best as { key: string[]; perm: Perm };
}
