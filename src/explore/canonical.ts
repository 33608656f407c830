/**
 * Canonical forms for state hashing: a fast deep copy of plain-JSON engine states, the renaming of
 * fresh identifiers (IPI ids, membarrier call ids) to canonical numbers, trace indices written
 * relative to the reference points they are compared with. (The visited set's fingerprints: ./fingerprint.ts.)
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

export { IdRenaming, newRenamings, Positions, type Renamings } from '../../properties/lib/state-key';
import type { Renamings } from '../../properties/lib/state-key';
import { structuralHash } from './structural-hash';

/**
 * The kernel state's part of the key. Destructive: renames the ids of `s` in place (call it on a
 * scratch copy). Live IPIs are numbered in CPU then queue order; call ids in the order of the CPUs'
 * frames, then the tasks' frames in `taskOrder`.
 */
export function kernelKey(s: KernelState, ids: Renamings): string {
  return withIdsRenamed(s, ids, () => JSON.stringify(s));
}

/** kernelKey() as a 64-bit structural hash (./structural-hash.ts): the same renaming, no JSON text. */
export function kernelFingerprint(s: KernelState, ids: Renamings): string {
  return withIdsRenamed(s, ids, () => structuralHash(s));
}

/**
 * kernelKey()'s JSON text, checking on the way that no other text seen (`seen`: structural hash ->
 * text) shares its structural hash (tests: ExploreOptions.checkCollisions).
 */
export function kernelKeyChecked(s: KernelState, ids: Renamings, seen: Map<string, string>): string {
  return withIdsRenamed(s, ids, () => {
    const text = JSON.stringify(s);
    const h = structuralHash(s);
    const had = seen.get(h);
    if (had !== undefined && had !== text) throw new Error(`explore: structural hash collision (${h}) between two different kernel states`);
    seen.set(h, text);
    return text;
  });
}

/** Renames the live ids of `s` in place and runs `write` with the id counters zeroed. */
function withIdsRenamed(s: KernelState, ids: Renamings, write: () => string): string {
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
  const text = write();
  s.nextIpiId = keep.nextIpiId;
  s.nextCallId = keep.nextCallId;
  return text;
}

function renameFrame(f: { waitIpis: number[]; sent?: number[]; call?: number }, ids: Renamings): void {
  const w = f.waitIpis;
  for (let i = 0; i < w.length; i++) w[i] = ids.ipi.known(w[i]);
  // An x86 flush frame's `sent` (the IPIs it queued, src/engine/arch/x86-flush-steps.ts) holds IPI
  // ids too, used only as its waitIpis later; the engine makes it the very waitIpis array when the
  // flush starts waiting, and then it was renamed above (renaming it twice would misname it). Left
  // raw, it kept apart states that differ only in fresh ids, and made the key depend on whether the
  // state had been copied since (a copy breaks the aliasing): found by the POR soundness check.
  const s = f.sent;
  if (s !== undefined && s !== w) for (let i = 0; i < s.length; i++) s[i] = ids.ipi.known(s[i]);
  if (typeof f.call === 'number') f.call = ids.call.name(f.call);
}
