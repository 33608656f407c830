/**
 * The trace mirror's part of the state key as a 64-bit hash, computed from the same fields as
 * mirrorKey() (./monitor.ts) without writing its text: every task, CPU and mm view's keyed fields
 * (MIRROR_KEYED), the paths in flight and the pending IPIs (renamed). Each value is mixed with a
 * tag for its type, each view with a tag for its kind, each list with its length after it, so two
 * mirrors whose mirrorKey() texts differ differ in the hash as well, up to collisions.
 * The explorer uses it for the visited set; with `checkCollisions` it writes mirrorKey()'s text as
 * well and throws when two different texts share a hash (test/explore/fingerprint.test.ts).
 */
import type { Mirror, MmView, TaskView } from '../../properties/lib/mirror';
import type { PathFrame } from '../../properties/lib/path-frames';
import type { Renamings } from './canonical';
import { lanes } from './structural-hash';

/** A renaming of the mirror's names (symmetry reduction, ./symmetry.ts): names, their inverse, tgids, and the canonical order of views. */
export interface MirrorRenaming {
  rename: (name: string) => string;
  inverse: (name: string) => string;
  tgid: (tgid: string) => string;
  order: (names: Iterable<string>) => string[];
}

/** The views of `views` in `sym`'s canonical order of their renamed names (as they are without `sym`). */
export function viewsInOrder<V>(views: Map<string, V>, sym: MirrorRenaming | undefined): Iterable<V> {
  return sym === undefined ? views.values() : sym.order([...views.keys()].map(sym.rename)).map((n) => views.get(sym.inverse(n)) as V);
}

const M1 = 2654435761;
const M2 = 1597334677;
let h1 = 0;
let h2 = 0;
const mix = (x: number): void => {
  h1 = Math.imul(h1 ^ x, M1);
  h2 = Math.imul(h2 ^ x, M2);
};

/** A string, by its two lanes from ./structural-hash.ts (cached there: names repeat). */
function str(s: string): void {
  const l = lanes(s);
  h1 = Math.imul(h1 ^ 0x44 ^ l[0], M1);
  h2 = Math.imul(h2 ^ 0x44 ^ l[1], M2);
}

/** A field value: null/undefined, boolean, int, other number, string, or (rare: tempMm) an object by its JSON text. */
function val(v: unknown): void {
  if (v === null || v === undefined) return mix(0x11);
  switch (typeof v) {
    case 'boolean':
      return mix(v ? 0x33 : 0x34);
    case 'number':
      if ((v | 0) === v) return mix(0x22), mix(v);
      return mix(0x23), str(String(v));
    case 'string':
      return str(v);
    default:
      return mix(0x66), str(JSON.stringify(v));
  }
}

function frame(f: PathFrame): void {
  str(f.fn);
  str(rn(f.task));
  val(f.cpu);
}

function frames(l: readonly PathFrame[]): void {
  for (let i = 0; i < l.length; i++) frame(l[i]);
  mix(0x70 ^ (l.length << 8));
}

/** A name under the renaming (none: itself). */
let rn: (name: string) => string = (x) => x;
/** A nullable name under the renaming. */
function name(v: string | null): void {
  return v === null ? mix(0x11) : str(rn(v));
}

/**
 * The mirror's 64-bit hash (as `h1.h2`), covering what mirrorKey() writes; with `sym` (symmetry
 * reduction), what mirrorKey(m, ids, sym) writes: names renamed, views in `sym`'s order.
 */
export function mirrorHash(m: Mirror, ids: Renamings, sym?: MirrorRenaming): string {
  rn = sym === undefined ? (x) => x : sym.rename;
  try {
    return hashOf(m, ids, sym);
  } finally {
    rn = (x) => x;
  }
}

/**
 * Task and mm views' own hashes, by view object (issue 15): a view the mirror does not own is
 * shared with a clone and never written again (properties/lib/mirror.ts, copy-on-write), so its
 * hash is computed once. Views are hashed from a fixed seed whether cached or not (the same view
 * content gives the same hash either way); not cached under a symmetry renaming.
 */
const VIEW_HASHES = new WeakMap<object, number[]>();

/** Mixes the hash of `view` (by `each`, from a fixed seed; cached when `cache`) into the running hash. */
function subHash<V extends object>(view: V, each: (v: V) => void, cache: boolean): void {
  let h = cache ? VIEW_HASHES.get(view) : undefined;
  if (h === undefined) {
    const o1 = h1;
    const o2 = h2;
    h1 = 0x7f4a7c15;
    h2 = 0x2f3b9c1d;
    each(view);
    h = [h1, h2];
    if (cache) VIEW_HASHES.set(view, h);
    h1 = o1;
    h2 = o2;
  }
  h1 = Math.imul(h1 ^ h[0], M1);
  h2 = Math.imul(h2 ^ h[1], M2);
}

function taskView(t: TaskView): void {
  mix(0x100);
  str(rn(t.id));
  str(t.type);
  if (t.tgid === null || sym0 === undefined) val(t.tgid);
  else str(sym0.tgid(t.tgid));
  name(t.mm);
  name(t.activeMm);
  str(t.state);
  val(t.onCpu);
  val(t.currOn);
}

function mmView(x: MmView): void {
  mix(0x300);
  str(rn(x.id));
  mix(x.isStatic ? 1 : 0);
  val(x.users);
  val(x.count);
  mix(x.freed ? 1 : 0);
  mix(x.tornDown ? 1 : 0);
  val(x.membarrierState);
  let bits = 0;
  for (let i = 0; i < x.cpumask.length; i++) {
    bits = (bits << 1) | (x.cpumask[i] ? 1 : 0);
    if ((i & 15) === 15) mix(bits), (bits = 0);
  }
  mix(bits ^ (x.cpumask.length << 16));
  val(x.tlbGen);
}

/** The renaming of the hash in progress (taskView() reads its tgid map). */
let sym0: MirrorRenaming | undefined;

function hashOf(m: Mirror, ids: Renamings, sym: MirrorRenaming | undefined): string {
  h1 = 0x3c6ef372;
  h2 = 0x1b873593;
  sym0 = sym;
  let n = 0;
  for (const t of viewsInOrder(m.tasks, sym)) {
    subHash(t, taskView, sym === undefined && !m.ownsTask(t.id));
    n++;
  }
  mix(0x101 ^ (n << 12));
  for (let i = 0; i < m.cpus.length; i++) {
    const c = m.cpus[i];
    if (c === undefined) {
      mix(0x200);
      continue;
    }
    mix(0x201);
    val(c.id);
    mix(c.online ? 1 : 0);
    name(c.curr);
    name(c.current);
    val(c.mode);
    name(c.loadedMm);
    mix(c.isLazy ? 1 : 0);
    name(c.prevMm);
    val(c.rqMembarrierState);
    val(c.tempMm === null || sym === undefined ? c.tempMm : { ...c.tempMm, temp: rn(c.tempMm.temp), saved: c.tempMm.saved === null ? null : rn(c.tempMm.saved) });
    name(c.hazardLazyMm);
    name(c.hazardDropMm);
    mix(c.irqsOff ? 1 : 0);
    mix(c.inIrq ? 1 : 0);
  }
  mix(0x202 ^ (m.cpus.length << 12));
  n = 0;
  for (const x of viewsInOrder(m.mms, sym)) {
    subHash(x, mmView, sym === undefined && !m.ownsMm(x.id));
    n++;
  }
  mix(0x301 ^ (n << 12));
  const paths = m.paths as unknown as { running: PathFrame[][]; suspended: Map<string, PathFrame[]>; perTask: Map<string, number>; begunOn: number[]; open: number };
  mix(0x400);
  val(paths.open);
  for (let i = 0; i < paths.begunOn.length; i++) val(paths.begunOn[i]);
  mix(0x401 ^ (paths.begunOn.length << 12));
  for (let cpu = 0; cpu < paths.running.length; cpu++) frames(paths.running[cpu]);
  mix(0x402 ^ (paths.running.length << 12));
  // Suspended frames and per-task counts: a set keyed by task (mirrorKey() sorts them by text), so
  // each entry's hash is combined by a commutative sum: order-independent.
  unorderedMap(paths.suspended, 0x510, 0x403, (l) => l.length === 0, frames);
  unorderedMap(paths.perTask, 0x520, 0x404, (c) => c === 0, val);
  // Pending IPIs: the set of renamed ids (names are small distinct integers: a sum and a xor of mixes).
  let s1 = 0;
  let s2 = 0;
  n = 0;
  for (const id of m.pendingIpis.keys()) {
    const r = ids.ipi.name(id);
    s1 = (s1 + Math.imul(r ^ 0x5bd1e995, M1)) | 0;
    s2 = (s2 + Math.imul(r ^ 0x27d4eb2f, M2)) | 0;
    n++;
  }
  mix(0x405 ^ (n << 12));
  mix(s1);
  mix(s2);
  return `${h1 >>> 0}.${h2 >>> 0}`;
}

/**
 * A map keyed by task name, as a set: each entry (key, then `each(value)`) hashed on its own from
 * `seed`, the entries combined by a commutative sum, then the count (tagged `tag`) and the sums mixed
 * into the running hash. Entries `skip` accepts are left out (mirrorKey() writes none for them).
 */
function unorderedMap<V>(m: Map<string, V>, seed: number, tag: number, skip: (v: V) => boolean, each: (v: V) => void): void {
  let s1 = 0;
  let s2 = 0;
  let n = 0;
  for (const [k, v] of m) {
    if (skip(v)) continue;
    const o1 = h1;
    const o2 = h2;
    h1 = seed;
    h2 = seed;
    str(rn(k));
    each(v);
    s1 = (s1 + h1) | 0;
    s2 = (s2 + h2) | 0;
    h1 = o1;
    h2 = o2;
    n++;
  }
  mix(tag ^ (n << 12));
  mix(s1);
  mix(s2);
}
