/**
 * The kernel state's part of the key (canonical.ts `kernelKey()`: live IPI and call ids renamed,
 * the id counters dropped) as a 64-bit hash composed of per-record hashes, cached per record
 * object (issue 15). With copy-on-write states (./kernel-share.ts) a record is a new object exactly
 * when an op may have changed it, so a record's hash is keyed by its identity: the records an op
 * did not touch are hashed once, not once per state.
 *
 * The renaming: ids are numbered in the traversal kernelKey() uses (pending IPIs in CPU then queue
 * order; call ids in the CPUs' frames, then the tasks' frames in `taskOrder`), into the same
 * `Renamings` the mirror's and the properties' keys use next. A record holding no id (no pending
 * IPI; no frame with an IPI id waited for or sent, or a call id) is the same renamed or not, and
 * only such a record's hash is cached; a record holding ids depends on the numbering of the whole
 * state and is hashed each time, with its ids renamed (nothing is written: the states stay shared).
 *
 * The hash covers what kernelKey()'s JSON text covers, value for value (the walk of
 * ./structural-hash.ts, with each record's 64-bit hash in place of its contents), so two states
 * with equal keys have equal hashes, and different keys collide with probability ~2^-64 per pair
 * (ExploreOptions.checkCollisions checks both directions on small searches: no two texts share a
 * hash, no text gets two hashes, which a stale cached hash would give).
 */
import type { Frame } from '../engine/frames';
import type { CpuState, Ipi, KernelState, MmState, TaskState } from '../engine/state';
import type { Renamings } from './canonical';
import {
  hashArrayEnd, hashH1, hashH2, hashKey, hashMix, hashObjectEnd, hashRestore, hashStart, hashValue,
} from './structural-hash';

/** record -> [h1, h2] of its walk (records without ids only). */
const CACHE = new WeakMap<object, number[]>();

const frameHasIds = (f: Frame | null): boolean =>
  f !== null && (f.waitIpis.length > 0 || (f.sent != null && f.sent.length > 0) || typeof f.call === 'number');

const cpuHasIds = (c: CpuState): boolean => c.pendingIpis.length > 0 || frameHasIds(c.cpuFrame ?? null) || frameHasIds(c.hotplugFrame ?? null);

function taskHasIds(t: TaskState): boolean {
  for (const f of t.frames) if (frameHasIds(f)) return true;
  return false;
}

/** Number the live ids of `s` into `ids`, in kernelKey()'s order. */
function nameIds(s: KernelState, ids: Renamings): void {
  for (const c of s.cpus) for (const p of c.pendingIpis) ids.ipi.name(p.id);
  const nameFrame = (f: Frame | null) => {
    if (f !== null && typeof f.call === 'number') ids.call.name(f.call);
  };
  for (const c of s.cpus) {
    nameFrame(c.cpuFrame);
    nameFrame(c.hotplugFrame);
  }
  for (const id of s.taskOrder) {
    const t = s.tasks[id];
    if (t !== undefined) for (const f of t.frames) nameFrame(f);
  }
}

function walkIdList(a: readonly number[], ids: Renamings): void {
  for (let i = 0; i < a.length; i++) hashValue(ids.ipi.known(a[i]));
  hashArrayEnd(a.length);
}

/**
 * The walk of one record (./structural-hash.ts's, key by key), where `field` hashes the values of
 * the keys that hold ids, renamed, and returns false for the others, which are hashed as they are.
 */
function walkFields(rec: object, ids: Renamings, field: (k: string, x: unknown, ids: Renamings) => boolean): void {
  const o = rec as Record<string, unknown>;
  for (const k in o) {
    const x = o[k];
    if (x === undefined) continue;
    hashKey(k);
    if (!field(k, x, ids)) hashValue(x);
  }
  hashObjectEnd();
}

function walkList<T>(a: readonly T[], walk: (x: T, ids: Renamings) => void, ids: Renamings): void {
  for (const x of a) walk(x, ids);
  hashArrayEnd(a.length);
}

function frameField(k: string, x: unknown, ids: Renamings): boolean {
  if (k === 'waitIpis' || k === 'sent') walkIdList(x as number[], ids);
  else if (k === 'call' && typeof x === 'number') hashValue(ids.call.known(x));
  else return false;
  return true;
}
const walkFrame = (f: Frame, ids: Renamings): void => walkFields(f, ids, frameField);

function ipiField(k: string, x: unknown, ids: Renamings): boolean {
  if (k !== 'id') return false;
  hashValue(ids.ipi.known(x as number));
  return true;
}
const walkIpi = (p: Ipi, ids: Renamings): void => walkFields(p, ids, ipiField);

function cpuField(k: string, x: unknown, ids: Renamings): boolean {
  if (k === 'pendingIpis') walkList(x as Ipi[], walkIpi, ids);
  else if ((k === 'cpuFrame' || k === 'hotplugFrame') && x !== null) walkFrame(x as Frame, ids);
  else return false;
  return true;
}
const walkCpuRenamed = (c: CpuState, ids: Renamings): void => walkFields(c, ids, cpuField);

function taskField(k: string, x: unknown, ids: Renamings): boolean {
  if (k !== 'frames') return false;
  walkList(x as Frame[], walkFrame, ids);
  return true;
}
const walkTaskRenamed = (t: TaskState, ids: Renamings): void => walkFields(t, ids, taskField);

/** A record's own hash (started fresh), mixed into the hash in progress as one tagged 64-bit value. */
function mixRecord(rec: object, walkRenamed: ((r: never, ids: Renamings) => void) | null, ids: Renamings, verify: boolean, cache = walkRenamed === null): void {
  const o1 = hashH1();
  const o2 = hashH2();
  let h = cache ? CACHE.get(rec) : undefined;
  if (h === undefined || verify) {
    hashStart();
    if (walkRenamed !== null) walkRenamed(rec as never, ids);
    else hashValue(rec);
    const fresh = [hashH1(), hashH2()];
    if (h !== undefined && (h[0] !== fresh[0] || h[1] !== fresh[1])) throw new Error('explore: a cached record hash is stale (a shared kernel record was written after it was hashed)');
    h = fresh;
    if (cache) CACHE.set(rec, h);
  }
  hashRestore(o1, o2);
  hashMix(0x77, 0x77);
  hashMix(h[0], h[1]);
}

/**
 * kernelFingerprint() (./canonical.ts) from cached record hashes: not destructive, so it may be
 * called on a state whose records are shared. `verify`: recompute every cached hash and throw if
 * one differs (tests, ExploreOptions.freezeShared). With `parent` (the state `s` shares its records
 * with), only the records still shared are cached: the ones the op copied belong to `s` alone, which
 * the explorer discards after its key (caching them would only load the weak map and the GC).
 */
export function kernelRecordFingerprint(s: KernelState, ids: Renamings, verify = false, parent?: KernelState): string {
  nameIds(s, ids);
  hashStart();
  const o = s as unknown as Record<string, unknown>;
  for (const k in o) {
    const x = o[k];
    if (x === undefined) continue;
    hashKey(k);
    if (k === 'cpus') {
      for (let i = 0; i < s.cpus.length; i++) {
        const c = s.cpus[i];
        const renamed = cpuHasIds(c);
        mixRecord(c, renamed ? walkCpuRenamed : null, ids, verify, !renamed && (parent === undefined || parent.cpus[i] === c));
      }
      hashArrayEnd(s.cpus.length);
    } else if (k === 'tasks') {
      for (const id in s.tasks) {
        const t = s.tasks[id];
        if (t === undefined) continue;
        hashKey(id);
        const renamed = taskHasIds(t);
        mixRecord(t, renamed ? walkTaskRenamed : null, ids, verify, !renamed && (parent === undefined || parent.tasks[id] === t));
      }
      hashObjectEnd();
    } else if (k === 'mms') {
      for (const id in s.mms) {
        const m: MmState | undefined = s.mms[id];
        if (m === undefined) continue;
        hashKey(id);
        mixRecord(m, null, ids, verify, parent === undefined || parent.mms[id] === m);
      }
      hashObjectEnd();
    } else if (k === 'nextIpiId' || k === 'nextCallId') hashValue(0);
    else hashValue(x);
  }
  hashObjectEnd();
  return `${hashH1() >>> 0}.${hashH2() >>> 0}`;
}
