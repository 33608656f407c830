/**
 * What a mirror property's hook object writes as its part of a state key (MirrorHooks.key(), used
 * by the explorer's visited set, src/explore/): the renaming of fresh ids (IPI and membarrier call
 * ids) shared by every part of one key, the CPU of the atomic step in progress, and trace indices
 * written relative to the reference points they are compared with.
 *
 * Why renaming is sound: ids are handed out by monotonic counters and used as identities only, so a
 * bijective renaming of the live ids keeps the future (every future id is fresh in both states).
 *
 * Why positions are sound: properties compare trace indices only in fixed pairs (`lastSerialize >
 * tA`, `lastMb > w.tA`, ...), and every future index is larger than every past one. Writing each
 * live index as its position among the reference points it is compared with keeps every future
 * comparison, while two paths that differ only in when an unrelated event ran get the same key.
 */
import type { CpuId } from '../../src/trace/events';

/** Canonical numbers for the live ids of one kind, assigned in the order they are first met. */
export class IdRenaming {
  private readonly map = new Map<number, number>();
  /** The canonical number of `id` (assigned now if `id` was not met yet). */
  name(id: number): number {
    let n = this.map.get(id);
    if (n === undefined) {
      n = this.map.size + 1;
      this.map.set(id, n);
    }
    return n;
  }
  /** The canonical number of `id` if it was met, else 0 (a dead id). */
  known(id: number): number {
    return this.map.get(id) ?? 0;
  }
}

/** The renamings shared by the parts of one state's key (kernel state, mirror, properties). */
export interface Renamings {
  ipi: IdRenaming;
  call: IdRenaming;
}

export const newRenamings = (): Renamings => ({ ipi: new IdRenaming(), call: new IdRenaming() });

/** What MirrorHooks.key() gets. */
export interface KeyContext {
  ids: Renamings;
  /**
   * The CPU of the atomic step in progress (MirrorDriver), or null. A property whose `settle` has
   * work pending writes it: the pending check then runs when that step ends, which depends on it.
   */
  stepCpu: CpuId | null;
  /**
   * Symmetry reduction (src/explore/symmetry.ts): the renaming of task and mm names the key must be
   * written under, or undefined (no renaming). A property applies it (`renamed()`) to every task or
   * mm name it writes, including names inside owner strings (`task:T3`), and BEFORE it sorts
   * anything by name: the key is then the key of the renamed state. A property that does this says
   * so with `MirrorProperty.symmetricKey` (the explorer refuses --symmetry for any other).
   */
  rename?: NameRenaming;
}

/** A bijection on task and mm names (identity outside its domain; applied to the `:` segments of compound names). */
export type NameRenaming = (name: string) => string;

/** `name` under the key context's renaming (itself without one). */
export function renamed(k: KeyContext | undefined, name: string): string {
  return k?.rename === undefined ? name : k.rename(name);
}

/**
 * Trace indices written relative to labelled reference points: `order()` lists the labels by
 * index (`a<b=c`), `pos(i)` says where `i` falls among them (how many distinct reference values
 * are below it, `=` when it equals one). Two states whose labels, order and positions agree
 * compare equal in every comparison of an indexed value with a reference point, or of two
 * reference points, and say nothing about anything else.
 */
export class Positions {
  private readonly refs: { label: string; i: number }[] = [];
  private sorted: number[] | null = null;
  get size(): number {
    return this.refs.length;
  }
  add(label: string, i: number): void {
    this.refs.push({ label, i });
    this.sorted = null;
  }
  order(): string {
    const r = [...this.refs].sort((a, b) => a.i - b.i || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
    let out = '';
    r.forEach((x, k) => {
      if (k > 0) out += x.i === r[k - 1].i ? '=' : '<';
      out += x.label;
    });
    return out;
  }
  pos(i: number): string {
    if (this.refs.length === 0) return '';
    if (this.sorted === null) this.sorted = [...new Set(this.refs.map((r) => r.i))].sort((a, b) => a - b);
    let below = 0;
    for (const v of this.sorted) {
      if (v < i) below++;
      else return v === i ? `${below}=` : `${below}`;
    }
    return `${below}`;
  }
}

/** `a=1,b=2` for a map, sorted by key (a canonical form independent of insertion order); keys renamed by `rename` before sorting. */
export function sortedEntries<V>(m: ReadonlyMap<string, V>, value: (v: V) => string | number = String, rename?: NameRenaming): string {
  const out: string[] = [];
  for (const [k, v] of m) out.push(`${rename === undefined ? k : rename(k)}=${value(v)}`);
  return out.sort().join(',');
}

/**
 * A memo of a state object's key() text, shared by the object and its clones until one of them is
 * written (issue 15): the object that is written takes a fresh memo, so the objects sharing one
 * always have equal contents and equal keys. The explorer clones a monitor per transition; the
 * first clone that computes the key fills the memo for its original and its siblings. Only keys
 * that depend on the object alone (no id renaming, no mirror, no name renaming) may be memoised.
 */
export class KeyMemo {
  text: string | null = null;
}
