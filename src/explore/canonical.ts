/**
 * Canonical forms for state hashing: a fast deep copy of plain-JSON engine states, the renaming of
 * fresh identifiers (IPI ids, membarrier call ids) to canonical numbers, trace indices written
 * relative to the reference points they are compared with, and the state digest.
 *
 * Why renaming is sound: the engine hands out IPI and call ids from monotonic counters and uses
 * them as identities only (equality: a pending IPI, the IPIs a path waits for, a call's frame); the
 * properties use them as map keys. Two states that are equal once their *live* ids are renamed by a
 * bijection behave the same from then on: every future id is fresh in both. So the counters
 * (`nextIpiId`, `nextCallId`) are dropped and the live ids are numbered in the order a fixed
 * traversal of the state meets them. An id a path still waits for but that was handled already is
 * dead: it is written as 0 (ipisDone() only asks whether an id is still pending).
 *
 * Why positions are sound: the properties compare trace indices only in a few fixed pairs
 * (`lastSerialize > tA`, `lastMb > w.tA`, `iv.start.i > tA`, `iv.end.i < tC`), and every future
 * index is larger than every past one. So writing each live index as its position among the
 * reference points it is compared with (Positions) keeps every future comparison, and with it
 * every future verdict, while two paths that differ only in, say, when an unrelated barrier ran
 * get the same key.
 */
import { createHash } from 'node:crypto';
import type { KernelState } from '../engine/state';

/** A deep copy of plain JSON data (objects, arrays, primitives); key order is kept. */
export function cloneJson<T>(value: T): T {
  return copy(value) as T;
}

function copy(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const n = v.length;
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) out[i] = copy(v[i]);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const k in v as Record<string, unknown>) out[k] = copy((v as Record<string, unknown>)[k]);
  return out;
}

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

/** The renamings shared by the parts of one state's key (kernel state, mirror, shadow). */
export interface Renamings {
  ipi: IdRenaming;
  call: IdRenaming;
}

export const newRenamings = (): Renamings => ({ ipi: new IdRenaming(), call: new IdRenaming() });

/**
 * The kernel state's part of the key. Destructive: renames the ids of `s` in place (call it on a
 * scratch copy). Live IPIs are numbered in CPU then queue order; call ids in the order of the CPUs'
 * frames, then the tasks' frames in `taskOrder`.
 */
export function kernelKey(s: KernelState, ids: Renamings): string {
  for (const c of s.cpus) for (const p of c.pendingIpis) p.id = ids.ipi.name(p.id);
  for (const c of s.cpus) {
    if (c.cpuFrame) renameFrame(c.cpuFrame, ids);
    if (c.hotplugFrame) renameFrame(c.hotplugFrame, ids);
  }
  for (const id of s.taskOrder) {
    const t = s.tasks[id];
    if (t !== undefined) for (const f of t.frames) renameFrame(f, ids);
  }
  const keep = { nextIpiId: s.nextIpiId, nextCallId: s.nextCallId };
  s.nextIpiId = 0;
  s.nextCallId = 0;
  const text = JSON.stringify(s);
  s.nextIpiId = keep.nextIpiId;
  s.nextCallId = keep.nextCallId;
  return text;
}

function renameFrame(f: { waitIpis: number[]; call?: number }, ids: Renamings): void {
  const w = f.waitIpis;
  for (let i = 0; i < w.length; i++) w[i] = ids.ipi.known(w[i]);
  if (typeof f.call === 'number') f.call = ids.call.name(f.call);
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
    if (this.sorted === null) this.sorted = [...new Set(this.refs.map((r) => r.i))].sort((a, b) => a - b);
    let below = 0;
    for (const v of this.sorted) {
      if (v < i) below++;
      else return v === i ? `${below}=` : `${below}`;
    }
    return `${below}`;
  }
}

/** A 160-bit digest of the key parts (SHA-1, base64): collisions are negligible at 10^8 states. */
export function digest(parts: readonly string[]): string {
  const h = createHash('sha1');
  for (const p of parts) {
    h.update(p);
    h.update('\u0001');
  }
  return h.digest('base64');
}
