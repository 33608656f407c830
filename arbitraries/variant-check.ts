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
 * that would mask the variant's bug, (b) with the differential criterion of runCheck: a run counts
 * as failing only if the property the variant violates holds on the base engine (the variant's
 * base arch/strategy/knobs, the same fix knobs, no variant flags or knobs) replaying the same ops,
 * and (c) on the property the variant must break only (`property` in src/engine/variants.ts).
 *
 * The base replays the ops *aligned* (arbitraries/monitored-run.ts replayAlignedMonitored) rather
 * than op for op: where every op is enabled on the base the two are the same, but a variant that
 * changes which ops are enabled would otherwise never count (single-thread-short-circuits-sync-core
 * returns before any step, so the op after its call is not enabled on the base, whose call is still
 * in flight; exec-mmap-irqs-on takes an IPI where the base has IRQs off; lazy-skips-freed-tables-
 * flush and the switching variants send fewer IPIs, so the base waits where the variant does not;
 * the EFI and hotplug variants run other steps). An op that cannot be aligned still makes the run
 * not count.
 *
 * Per variant, the fix knobs (on the variant and on its differential base unless noted; a knob the
 * base arch does not have is left out: syncCoreOnLazySameMmSwitch is x86 only):
 *
 * | variant                                 | base               | membarrierSwitchMmFix | syncCoreOnLazySameMmSwitch | why                                                                                    |
 * |-----------------------------------------|--------------------|-----------------------|----------------------------|----------------------------------------------------------------------------------------|
 * | no-sync-core-kthread-to-user            | x86/refcount       | on                    | OFF                        | the knob syncs the core on the lazy -> same-mm return, the very sync the variant        |
 * |                                         |                    |                       |                            | removes from finish_task_switch(): it would mask scenario 1. The open C3 finding can   |
 * |                                         |                    |                       |                            | then occur; the base (knob off too) fails it as well, so it never counts.              |
 * | kthread-use-mm-same-mm-no-sync-core     | x86/refcount       | on (the base's own)   | OFF variant, on base       | the variant *is* the open C3 finding (Nick Piggin's case, no flags): the knob is its   |
 * |                                         |                    |                       |                            | fix, so the variant runs without it and the base with it.                              |
 * | no-lazy-mmgrab                          | x86/refcount       | on                    | on                         | refcount bug: neither knob touches mm_count                                            |
 * | text-poke-no-leave-mm                   | x86/refcount       | on                    | on                         | tlb-coherence bug in use_temporary_mm(): no membarrier involved                        |
 * | exit-mm-no-barrier                      | x86/refcount       | on                    | on                         | scenario D is PRIVATE: rq->membarrier_state (read by GLOBAL only) plays no part; the   |
 * |                                         |                    |                       |                            | knob's sync is no barrier in exit_mm()                                                 |
 * | kthread-unuse-mm-no-barrier             | x86/refcount       | on                    | on                         | scenario E: as exit-mm-no-barrier                                                      |
 * | sync-core-skips-caller                  | x86/refcount       | on                    | on                         | the caller's CPU goes back to user code by SYSRET or a user -> user switch: no lazy    |
 * |                                         |                    |                       |                            | return, so the knob never runs there                                                   |
 * | single-thread-short-circuits-sync-core  | x86/refcount       | on                    | on                         | the short-circuit skips the whole call; the caller's SYSRET is untouched by the knob   |
 * | sync-core-ipi-preempt-sysret            | x86/refcount       | on                    | on                         | the IPI return path switches user -> user in the same mm: no lazy return               |
 * | lazy-skips-freed-tables-flush           | x86/refcount       | on                    | on                         | TLB-flush bug, no membarrier                                                           |
 * | flush-skips-switching-cpu               | x86/refcount       | on                    | on                         | TLB-flush bug (should_flush_tlb()), no membarrier                                      |
 * | switching-store-after-tlb-gen-read      | x86/refcount       | on                    | on                         | as flush-skips-switching-cpu                                                           |
 * | switching-store-no-mb-in-cpumask        | x86/refcount       | on                    | on                         | as flush-skips-switching-cpu (the store buffer of loaded_mm)                           |
 * | nmi-reads-active-mm                     | x86/shootdown      | on                    | on                         | NMI reader bug (knob nmiReader), no membarrier                                         |
 * | shootdown-temporary-mm-hides-lazy       | x86/shootdown      | on                    | on                         | EFI scheme bug (knob efiScheme), no membarrier                                         |
 * | hotplug-clears-cpumask-while-lazy       | powerpc/shootdown  | on                    | (no such knob)             | hotplug bug (knob hotplugFix), no membarrier                                           |
 * | exec-mmap-irqs-on                       | powerpc/shootdown  | on                    | (no such knob)             | exec bug (knob irqsOffActivateMm), no membarrier                                       |
 * | (any other variant)                     |                    | on                    | on (x86)                   | default: every fix knob the base arch accepts                                          |
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
 * fast-check's shrink budget of a variant check (runs). fast-check's shrinking of the choice list
 * rarely shortens a counterexample once ./minimize.ts has minimised its ops (and its
 * configuration), but with the default budget (5000) it is most of a variant check's time:
 * measured with test/variants/measure.ts, 500 gives the same median shrunk lengths but one variant
 * (exit-mm-no-barrier) in a third to a half of the time.
 */
export const VARIANT_SHRINK_BUDGET = 500;

/**
 * The runCheck options of a variant check: {@link variantCheckEngines} (fix knobs and the
 * differential base), by default only the property the variant must break (`property` of
 * src/engine/variants.ts, so that a run is not cut short by another property's failure; runCheck
 * then picks the weight profile for it) and {@link VARIANT_SHRINK_BUDGET}. `over` sets anything
 * else (runs, seed, properties, ...).
 */
export function variantCheckOptions(id: string, over: Partial<RunCheckOptions> = {}): RunCheckOptions {
  const v = variantById(id);
  const { engine, differentialBase } = variantCheckEngines(id);
  const own = (v as { property?: string } | undefined)?.property;
  return { engine, differentialBase, ...(own !== undefined ? { properties: [own] } : {}), shrinkBudget: VARIANT_SHRINK_BUDGET, ...over };
}
