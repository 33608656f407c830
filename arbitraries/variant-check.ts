/**
 * Checking a named variant (src/engine/variants.ts) so that what it finds is the variant's own bug.
 *
 * Two things hide a variant's bug behind a problem of mainline itself (src/findings.ts,
 * test/findings/):
 * - C4.1 stale rq->membarrier_state (fixed by knob `membarrierSwitchMmFix`) fails within the first
 *   few runs of almost any x86 check, so a variant check stops there;
 * - C3 SYNC_CORE after kthread_use_mm() of a lazy mm (fixed by knob `syncCoreOnLazySameMmSwitch`)
 *   is a C3.1 failure like the SYNC_CORE variants' own.
 * So a variant is checked (a) with the proposed-fix knobs of the findings turned on, except those
 * that would mask the variant's bug, and (b) with the differential criterion of runCheck: a run
 * counts as failing only if the property the variant violates holds on the base engine (same
 * knobs, no variant flags) replaying the same ops.
 *
 * Per variant, the fix knobs (on both the variant and the differential base unless noted):
 *
 * | variant                                  | membarrierSwitchMmFix | syncCoreOnLazySameMmSwitch | why                                                                                         |
 * |------------------------------------------|-----------------------|----------------------------|---------------------------------------------------------------------------------------------|
 * | no-sync-core-kthread-to-user             | on                    | OFF                        | the knob syncs the core on the lazy -> same-mm return, exactly the sync the variant removes  |
 * |                                          |                       |                            | from finish_task_switch(): it would mask scenario 1. The mainline C3 finding can then occur; |
 * |                                          |                       |                            | the differential base (knob off too) fails it as well, so it never counts.                  |
 * | kthread-use-mm-same-mm-no-sync-core      | on                    | OFF (variant), on (base)   | the variant *is* the open C3 finding (Nick Piggin's case): the knob is its fix, so the       |
 * |                                          |                       |                            | variant runs without it and the base with it (the base must not share the bug).             |
 * | no-lazy-mmgrab                           | on                    | on                         | refcount bug: neither knob touches mm_count                                                 |
 * | text-poke-no-leave-mm                    | on                    | on                         | tlb-coherence bug in use_temporary_mm(): no membarrier involved                             |
 * | exit-mm-no-barrier                       | on                    | on                         | scenario D is PRIVATE: rq->membarrier_state (GLOBAL only) is not read; the extra sync is    |
 * |                                          |                       |                            | not a barrier in exit_mm()                                                                  |
 * | kthread-unuse-mm-no-barrier              | on                    | on                         | scenario E: same reasoning as exit-mm-no-barrier                                            |
 * | sync-core-skips-caller                   | on                    | on                         | the caller's CPU switches user -> user (no lazy return): the knob never runs there           |
 * | single-thread-short-circuits-sync-core   | on                    | on                         | the short-circuit skips the whole call; a lazy return that the knob syncs is one way to     |
 * |                                          |                       |                            | reach user mode, the others (SYSRET, user -> user switch) are untouched                     |
 * | sync-core-ipi-preempt-sysret             | on                    | on                         | the IPI return path schedules user -> user in the same mm: no lazy return                   |
 * | lazy-skips-freed-tables-flush            | on                    | on                         | TLB-flush bug, no membarrier                                                                |
 * | (any other variant)                      | on                    | on (x86)                   | default: every fix knob the base arch accepts                                               |
 *
 * Knobs a base arch does not have (syncCoreOnLazySameMmSwitch is x86 only) are left out.
 */
import { ARM64_KNOBS, POWERPC_KNOBS, X86_KNOBS, type KnobDef } from '../src/engine/knobs';
import { VARIANTS, variantById, type VariantDef } from '../src/engine/variants';
import { FINDINGS } from '../src/findings';
import type { EngineSpec } from '../src/run/types';
import type { RunCheckOptions } from './check';
import type { Arch } from '../src/trace/events';

/** How one variant is checked (see the table above). */
export interface VariantCheckRule {
  /** Fix knobs kept off on the variant engine (and, unless listed in baseKeepsOn, on the base). */
  keepOff: readonly string[];
  /** Of `keepOff`, the knobs the differential base runs with nonetheless (the base must not share the bug). */
  baseKeepsOn?: readonly string[];
  /**
   * Replay on the differential base op for op (true), instead of aligned modulo path lengths (the
   * default, see {@link variantNeedsAlignedReplay}).
   */
  strictReplay?: boolean;
  /** Why (one line; the table in this file's header says it at length). */
  why: string;
}

/**
 * The proposed-fix knobs of the two open-upstream findings of test/findings/. src/findings.ts is
 * the authority: its open-upstream `fixKnobs` are added to these (so a finding added there is
 * picked up), and these stay as the floor while that list is being filled in.
 */
export const KNOWN_FIX_KNOBS: Readonly<Record<string, boolean>> = {
  membarrierSwitchMmFix: true,
  syncCoreOnLazySameMmSwitch: true,
};

const SYNC_CORE_LAZY_RETURN = 'syncCoreOnLazySameMmSwitch';

/** Per-variant rules; variants not listed get every fix knob. */
export const VARIANT_CHECK_RULES: Readonly<Record<string, VariantCheckRule>> = {
  'no-sync-core-kthread-to-user': {
    keepOff: [SYNC_CORE_LAZY_RETURN],
    why: 'the knob syncs on the lazy -> same-mm return, the sync the variant removes',
  },
  'kthread-use-mm-same-mm-no-sync-core': {
    keepOff: [SYNC_CORE_LAZY_RETURN],
    baseKeepsOn: [SYNC_CORE_LAZY_RETURN],
    why: 'the variant is the open C3 finding; the knob is its fix',
  },
};

const KNOB_DEFS: Record<Arch, readonly KnobDef[]> = { x86: X86_KNOBS, powerpc: POWERPC_KNOBS, arm64: ARM64_KNOBS };

/** The fix knobs of every open-upstream finding, plus {@link KNOWN_FIX_KNOBS}, that `arch` accepts. */
export function findingFixKnobs(arch: Arch): Record<string, boolean> {
  const known = new Set((KNOB_DEFS[arch] ?? []).map((d) => d.name));
  const out: Record<string, boolean> = {};
  const all: Record<string, boolean> = { ...KNOWN_FIX_KNOBS };
  for (const f of FINDINGS) if (f.status === 'open-upstream') Object.assign(all, f.fixKnobs ?? {});
  for (const [k, v] of Object.entries(all)) if (known.has(k)) out[k] = v;
  return out;
}

/** The engines a variant check runs: the variant, and the differential base. */
export interface VariantCheckEngines {
  /** The variant with its base knobs and the fix knobs it keeps on. */
  engine: EngineSpec;
  /** The variant's base engine (no variant flags) with the same knobs, apart from `baseKeepsOn`. */
  differentialBase: EngineSpec;
}

/** The engines to check variant `id` with (throws on an unknown id). */
export function variantCheckEngines(id: string): VariantCheckEngines {
  const v = variantById(id);
  if (!v) throw new Error(`unknown variant '${id}' (known: ${VARIANTS.map((x) => x.id).join(', ')})`);
  const rule = VARIANT_CHECK_RULES[id];
  const knobs: Record<string, string | number | boolean> = {};
  const baseKnobs: Record<string, string | number | boolean> = { ...(v.base.knobs ?? {}) };
  for (const [k, on] of Object.entries(findingFixKnobs(v.base.arch))) {
    // A knob the variant or its base sets is theirs (the variant's own knobs are its bug).
    if (k in (v.base.knobs ?? {}) || k in (v.knobs ?? {})) continue;
    const off = rule?.keepOff.includes(k) ?? false;
    if (!off) knobs[k] = on;
    if (!off || rule?.baseKeepsOn?.includes(k)) baseKnobs[k] = on;
  }
  return {
    engine: { arch: v.base.arch, strategy: v.base.strategy, variant: v.id, ...(Object.keys(knobs).length ? { knobs } : {}) },
    differentialBase: { arch: v.base.arch, strategy: v.base.strategy, knobs: baseKnobs },
  };
}

/**
 * The differential base of an engine spec with a variant: the variant's base arch and strategy
 * with the base's knobs and the spec's own knobs (the same knobs, without the variant's flags and
 * knobs). Undefined for a spec without a variant (or an unknown one: createEngine reports that).
 */
export function defaultDifferentialBase(spec: EngineSpec): EngineSpec | undefined {
  if (spec.variant === undefined) return undefined;
  const v = variantById(spec.variant);
  if (!v) return undefined;
  return { arch: v.base.arch, strategy: v.base.strategy, knobs: { ...(v.base.knobs ?? {}), ...(spec.knobs ?? {}) } };
}

/**
 * Whether the differential base replays a variant's ops aligned modulo path lengths
 * (replayAlignedMonitored). Default yes: for a variant that changes no path it is the same as an
 * op-for-op replay, and a variant that does (single-thread-short-circuits-sync-core returns before
 * any step; exec-mmap-irqs-on takes an IPI where the base has IRQs off; lazy-skips-freed-tables-flush
 * and the shootdown variants send fewer IPIs or run other hotplug/EFI steps) would otherwise never
 * count: the op after the change is not enabled on the base.
 */
export function variantNeedsAlignedReplay(id: string): boolean {
  return VARIANT_CHECK_RULES[id]?.strictReplay !== true;
}

/** Property id -> the clause family of kernel-model.md section 4 it checks. */
export const PROPERTY_CLAUSE_FAMILY: Readonly<Record<string, string>> = {
  'refcount-balance': 'C1',
  'no-lazy-use-after-free': 'C2',
  'sync-core-before-usermode': 'C3',
  'membarrier-ordering': 'C4',
  'tlb-coherence': 'C6',
};

/** What a variant must break: its `property`, then any other property its `breaks` text names. */
export function expectedProperties(v: VariantDef): string[] {
  const named = Object.keys(PROPERTY_CLAUSE_FAMILY)
    .map((id) => ({ id, at: v.breaks.indexOf(id) }))
    .filter((x) => x.at >= 0)
    .sort((a, b) => a.at - b.at)
    .map((x) => x.id);
  const own = (v as { property?: string }).property;
  return own === undefined ? named : [own, ...named.filter((p) => p !== own)];
}

/**
 * Whether a violation (property, clause) is one the variant must break: a property its `breaks`
 * names, with a clause of that property's family (C4 for membarrier-ordering, ...), and not the
 * mainline C4.1 clause (unless the variant names it).
 */
export function isExpectedBreak(v: VariantDef, property: string, clause: string): boolean {
  if (!expectedProperties(v).includes(property)) return false;
  const family = PROPERTY_CLAUSE_FAMILY[property];
  if (!new RegExp(`^${family}(?![0-9])`).test(clause)) return false;
  if (clause.startsWith('C4.1') && !v.breaks.includes('C4.1')) return false;
  return true;
}

/**
 * The runCheck options of a variant check: {@link variantCheckEngines} (fix knobs and the
 * differential base) and, by default, only the property the variant must break (`property` of
 * src/engine/variants.ts), so that a run is not cut short by another property's failure. `over`
 * sets anything else (runs, seed, properties, ...).
 */
export function variantCheckOptions(id: string, over: Partial<RunCheckOptions> = {}): RunCheckOptions {
  const v = variantById(id);
  const { engine, differentialBase } = variantCheckEngines(id);
  const own = (v as { property?: string } | undefined)?.property;
  return { engine, differentialBase, ...(own !== undefined ? { properties: [own] } : {}), ...over };
}
