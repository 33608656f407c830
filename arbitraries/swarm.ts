/**
 * Swarm testing (Groce, Zhang, Eide, Chen and Regehr, "Swarm Testing", ISSTA 2012): each run draws a
 * *feature configuration* that omits some features altogether, so that in some runs the few features
 * left are drawn far more often and meet each other, instead of every run being the same average mix.
 *
 * The features are read mechanically off the enabled ops themselves, not from a list of scenarios:
 * - each op kind (`membarrier`, `fork`, ...);
 * - each *argument value*: every field of the op record but `op` and `cpu` (`cmd=PRIVATE_EXPEDITED`,
 *   `via=sysret`, `freedTables=true`, `next=T3`, `mm=mm2`, ...), whatever fields the engine's ops
 *   carry. The feature is the field and its value whatever the kind: `cmd=X` is one feature for
 *   `membarrier` and `membarrier_register`, so a run that keeps X registers and calls X (masks drawn
 *   per kind would make that pair as rare as without masks); `next=T2` one for schedule and preempt.
 * A mask keeps each kind with probability 3/4 and each argument value with probability 1/2
 * ({@link SWARM_KEEP}; a hash of the mask's seed and the feature's key, so nothing is enumerated in
 * advance and an argument value the engine adds later is a feature too); an op is allowed when its
 * kind and every one of its argument values are kept.
 *
 * Only ops that *start* something are ever omitted. The ops that advance what is already started
 * ({@link PROGRESS_KINDS}: a path's next `step`, the delivery of a pending `ipi`, which is what a
 * path waiting for its IPIs needs; ./monitored-run.ts replayAlignedMonitored drains a CPU with
 * exactly these) are never masked, neither their kind nor their arguments, so a masked run never
 * leaves a path half done for want of an op it may not take. And a mask only zeroes weights: when it
 * leaves nothing with a positive weight, ./pick.ts picks uniformly among the enabled ops, as it
 * does for any profile.
 *
 * A masked profile is the base profile with the masked ops' instance weights and boosts at 0. The
 * searches carry the mask like the profile: a *profile index* `i` of a swarm search means base
 * profile `i % P` (P base profiles) under mask seed `floor(i / P)`, mask seed 0 being no mask, so a
 * failing run's index replays it exactly and fast-check shrinks the index towards the unmasked
 * profiles (./check-engine.ts).
 */
import fc from 'fast-check';
import type { Op, OpKind } from '../src/engine/ops';
import type { Weights } from './weights';
import { fmix32 } from './fmix';

/** Op kinds that advance a started path (never masked): a path's steps and IPI delivery. */
export const PROGRESS_KINDS: ReadonlySet<OpKind> = new Set<OpKind>(['step', 'ipi']);

/** Mask seeds per base profile (seed 0: no mask). */
export const SWARM_MASKS = 1 << 20;

/** The argument values of `op`, `field=value` for each field but `op` and `cpu` (none for progress ops). */
export function argumentValues(op: Op): string[] {
  if (PROGRESS_KINDS.has(op.op)) return [];
  const values: string[] = [];
  for (const [field, value] of Object.entries(op)) {
    if (field === 'op' || field === 'cpu' || value === undefined) continue;
    values.push(`${field}=${String(value)}`);
  }
  return values;
}

/** The swarm features of `op`: its kind, then its argument values (none for progress ops). */
export function swarmFeatures(op: Op): string[] {
  return PROGRESS_KINDS.has(op.op) ? [] : [op.op, ...argumentValues(op)];
}

/** A 32-bit FNV-1a hash of `s`, starting from `seed`. */
function hash(seed: number, s: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return fmix32(h);
}

/**
 * Probability that a mask keeps an op kind, and an argument value. Groce et al. keep each feature
 * with 1/2; kinds are kept more often here because a run needs many kinds at once (syscall,
 * return_to_user, schedule, ... around any path). Kinds 0.6-0.9 and values 0.25-0.5 reached the
 * rare membarrier states about equally often (docs/search.md).
 */
export const SWARM_KEEP = { kind: 0.75, value: 0.5 } as const;

/** Whether mask `seed` keeps the feature `key` (seed 0 keeps everything). */
export function keepsFeature(seed: number, key: string): boolean {
  if (seed === 0) return true;
  const p = key.includes('=') ? SWARM_KEEP.value : SWARM_KEEP.kind;
  return hash(seed, key) < p * 0x100000000;
}

/** Whether mask `seed` allows `op`: a progress op always, another when its kind and all its argument values are kept. */
export function swarmAllows(seed: number, op: Op): boolean {
  if (seed === 0) return true;
  for (const f of swarmFeatures(op)) if (!keepsFeature(seed, f)) return false;
  return true;
}

/** `base` under mask `seed`: the ops the mask omits weigh 0 (instance and boost); the others as in `base`. */
export function swarmWeights(base: Weights, seed: number): Weights {
  if (seed === 0) return base;
  const memo = new Map<string, boolean>();
  const allows = (op: Op): boolean => {
    if (PROGRESS_KINDS.has(op.op)) return true;
    const key = JSON.stringify(op, (k, v) => (k === 'cpu' ? undefined : v));
    let a = memo.get(key);
    if (a === undefined) memo.set(key, (a = swarmAllows(seed, op)));
    return a;
  };
  const boost = base.boost;
  return {
    kinds: base.kinds,
    fallbackKind: base.fallbackKind,
    instance: (op, view) => (allows(op) ? base.instance(op, view) : 0),
    boost: (op, view) => (allows(op) ? (boost ? boost(op, view) : 1) : 0),
  };
}

/**
 * The weight profiles of a search by index: `profiles` themselves, or (swarm) every profile under
 * every mask (index `i`: profile `i % P`, mask seed `floor(i / P)`). `arbitrary` draws an index for
 * fast-check (uniform over the masks: fast-check's bias towards small integers would favour the
 * unmasked index 0-P and the masks next to it); the weights are built once per index and kept.
 */
export interface ProfileSpace {
  size: number;
  weights(index: number): Weights;
  arbitrary(): fc.Arbitrary<number>;
}

/** The plain profiles, indexed as checkEngine always has. */
export function plainProfileSpace(profiles: readonly Weights[]): ProfileSpace {
  return {
    size: profiles.length,
    weights: (i) => profiles[i],
    arbitrary: () => (profiles.length === 1 ? fc.constant(0) : fc.integer({ min: 0, max: profiles.length - 1 })),
  };
}

/** Every profile under every swarm mask. */
export function swarmProfileSpace(profiles: readonly Weights[]): ProfileSpace {
  const p = profiles.length;
  const cache = new Map<number, Weights>();
  return {
    size: p * SWARM_MASKS,
    weights(i) {
      let w = cache.get(i);
      if (w === undefined) {
        w = swarmWeights(profiles[i % p], Math.floor(i / p));
        if (cache.size > 4096) cache.clear();
        cache.set(i, w);
      }
      return w;
    },
    arbitrary: () => fc.noBias(fc.integer({ min: 0, max: p * SWARM_MASKS - 1 })),
  };
}

/** The index of base profile `profile` under mask `mask` in a {@link swarmProfileSpace} of `p` profiles. */
export function swarmIndex(profile: number, mask: number, p: number): number {
  return profile + p * mask;
}
