/**
 * Building engines: an (arch, strategy, knobs) triple or a named variant, behind the Engine
 * contract. Also the listings `lazymm list` prints.
 */
import type { Engine, EngineInfo, ModelConfig } from './contract';
import type { EngineSpec } from '../run/types';
import type { KernelState } from './state';
import type { ArchHooks } from './arch/arch';
import type { LazyStrategy } from './strategies/strategy';
import type { Arch, Strategy, TraceEvent } from '../trace/events';
import type { Op } from './ops';
import { x86Arch } from './arch/x86';
import { refcountStrategy } from './strategies/refcount';
import { shootdownStrategy } from './strategies/shootdown';
import { ARM64_KNOBS, POWERPC_KNOBS, resolveKnobs, X86_KNOBS, type KnobDef } from './knobs';
import { powerpcArch } from './arch/powerpc';
import { arm64Arch } from './arch/arm64';
import { hazardStrategy } from './strategies/hazard';
import { VARIANTS, variantById, type VariantFlags } from './variants';
import { initialState } from './init';
import { Kctx } from './kctx';
import { enabledOps } from './enabled';
import { applyOp } from './apply';

const ARCHES: Record<Arch, { hooks: ArchHooks; knobs: readonly KnobDef[] }> = {
  x86: { hooks: x86Arch, knobs: X86_KNOBS },
  powerpc: { hooks: powerpcArch, knobs: POWERPC_KNOBS },
  arm64: { hooks: arm64Arch, knobs: ARM64_KNOBS },
};
const STRATEGIES: Record<Strategy, LazyStrategy> = {
  refcount: refcountStrategy,
  shootdown: shootdownStrategy,
  hazard: hazardStrategy,
};

/**
 * Knobs that are part of a proposed design itself: Andy Lutomirski's series on x86 includes
 * unlazy_mm_irqs_off() (x86 stops leaving lazy mms behind the scheduler's back) and, in patch
 * 22/23, for_each_possible_lazymm_cpu() = mm_cpumask(mm).
 */
const SERIES_KNOBS: Record<string, Record<string, string | number | boolean>> = {
  'x86/hazard': { unlazyMmIrqsOff: true, hazardScan: 'mm_cpumask' },
};

export interface EngineListing {
  id: string;
  arch: Arch;
  strategy: Strategy;
  /** 'mainline' for what a shipped kernel runs; 'counterfactual' for a combination no kernel shipped. */
  label: 'mainline' | 'counterfactual' | 'proposed';
  description: string;
}
export interface VariantListing {
  id: string;
  base: string;
  change: string;
  breaks: string;
  fixedBy: string;
}

const ENGINES: readonly EngineListing[] = [
  { id: 'x86/refcount', arch: 'x86', strategy: 'refcount', label: 'mainline', description: 'every x86 kernel: CONFIG_MMU_LAZY_TLB_REFCOUNT=y' },
  { id: 'x86/shootdown', arch: 'x86', strategy: 'shootdown', label: 'counterfactual', description: 'x86 with CONFIG_MMU_LAZY_TLB_SHOOTDOWN: never shipped; the seeds debate it (Andy: it needs the temporary-mm and active_mm fixes)' },
  { id: 'x86/hazard', arch: 'x86', strategy: 'hazard', label: 'proposed', description: "Andy Lutomirski's hazard pointers (Jan 2022 series, unmerged), with exit_mm() converted" },
  { id: 'powerpc/refcount', arch: 'powerpc', strategy: 'refcount', label: 'counterfactual', description: 'book3s64 radix with refcounting (book3s64 selects shootdown since v6.2)' },
  { id: 'powerpc/shootdown', arch: 'powerpc', strategy: 'shootdown', label: 'mainline', description: 'book3s64 radix: select MMU_LAZY_TLB_SHOOTDOWN if PPC_BOOK3S_64 (2655421ae69fa, v6.2)' },
  { id: 'powerpc/hazard', arch: 'powerpc', strategy: 'hazard', label: 'proposed', description: "Andy Lutomirski's hazard pointers on book3s64 radix (unmerged)" },
  { id: 'arm64/refcount', arch: 'arm64', strategy: 'refcount', label: 'mainline', description: 'every arm64 kernel: CONFIG_MMU_LAZY_TLB_REFCOUNT=y' },
  { id: 'arm64/shootdown', arch: 'arm64', strategy: 'shootdown', label: 'counterfactual', description: 'arm64 with shootdown: never shipped; arm64 does not maintain mm_cpumask, which shootdown requires' },
  { id: 'arm64/hazard', arch: 'arm64', strategy: 'hazard', label: 'proposed', description: "Andy Lutomirski's hazard pointers on arm64 (unmerged)" },
];

export function listEngines(): EngineListing[] {
  return [...ENGINES];
}

export function listVariants(): VariantListing[] {
  return VARIANTS.map((v) => ({ id: v.id, base: `${v.base.arch}/${v.base.strategy}`, change: v.change, breaks: v.breaks, fixedBy: v.fixedBy }));
}

/** Validate a spec and fill in the variant's base engine; throws Error with a one-line message. */
export function resolveEngineSpec(spec: EngineSpec): { arch: Arch; strategy: Strategy; knobs: Record<string, string | number | boolean>; variant?: string; flags: VariantFlags } {
  let { arch, strategy } = spec;
  let knobs = { ...(spec.knobs ?? {}) };
  let flags: VariantFlags = {};
  if (spec.variant !== undefined) {
    const v = variantById(spec.variant);
    if (!v) throw new Error(`unknown variant '${spec.variant}' (known: ${VARIANTS.map((x) => x.id).join(', ')})`);
    arch = v.base.arch;
    strategy = v.base.strategy;
    knobs = { ...(v.base.knobs ?? {}), ...(v.knobs ?? {}), ...knobs };
    flags = v.flags;
  }
  knobs = { ...(SERIES_KNOBS[`${arch}/${strategy}`] ?? {}), ...knobs };
  const a = ARCHES[arch];
  if (!a) throw new Error(`unknown arch '${arch}' (accepted: ${Object.keys(ARCHES).join(', ')})`);
  if (!STRATEGIES[strategy]) throw new Error(`unknown strategy '${strategy}' (accepted: ${Object.keys(STRATEGIES).join(', ')})`);
  const resolved = resolveKnobs(a.knobs, knobs);
  // arch/x86/mm/pti.c pti_check_boottime_disable(): "PTI enabled, disabling INVLPGB" (errata E15).
  if (resolved.pti === true && resolved.invlpgb === true) throw new Error("knobs 'pti' and 'invlpgb' cannot both be true (PTI clears X86_FEATURE_INVLPGB)");
  if (resolved.asidTransition === true && resolved.invlpgb !== true) throw new Error("knob 'asidTransition' needs 'invlpgb' (global ASIDs exist only with X86_FEATURE_INVLPGB)");
  return { arch, strategy, knobs: resolved, variant: spec.variant, flags };
}

export function createEngine(spec: EngineSpec): Engine<KernelState> {
  const r = resolveEngineSpec(spec);
  const arch = ARCHES[r.arch].hooks;
  const strategy = STRATEGIES[r.strategy];
  const id = `${r.arch}/${r.strategy}${r.variant ? `+${r.variant}` : ''}`;
  const info: EngineInfo = { id, arch: r.arch, strategy: r.strategy, knobs: r.knobs, variant: r.variant };
  const ctx = (s: KernelState, ev: TraceEvent[]) => new Kctx(s, ev, arch, strategy, r.knobs, r.flags);
  return {
    info,
    init(config: ModelConfig) {
      validateConfig(config);
      const knobsForTrace = r.variant ? { ...r.knobs, variant: r.variant } : r.knobs;
      const { state, init } = initialState(config, r.arch, r.strategy, knobsForTrace);
      return { state, events: [init] };
    },
    enabled(state: KernelState): Op[] {
      return enabledOps(ctx(state, []));
    },
    apply(state: KernelState, op: Op): TraceEvent[] {
      const ev: TraceEvent[] = [];
      applyOp(ctx(state, ev), op);
      return ev;
    },
    clone(state: KernelState): KernelState {
      return structuredClone(state);
    },
  };
}

export function validateConfig(c: ModelConfig): void {
  const check = (name: string, v: number, lo: number, hi: number) => {
    if (!Number.isInteger(v) || v < lo || v > hi) throw new Error(`config.${name} must be an integer in ${lo}..${hi} (got ${JSON.stringify(v)})`);
  };
  check('cpus', c.cpus, 1, 8);
  check('procs', c.procs, 0, 4);
  check('threads', c.threads, 1, 4);
  check('kthreads', c.kthreads, 0, 3);
}
