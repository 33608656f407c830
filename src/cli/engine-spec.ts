/**
 * Engine, knob and property selection from command-line flags, validated up front so that a typo
 * is a one-line usage error rather than a stack trace from deep inside the engine.
 */
import { DEFAULT_CONFIG, type ModelConfig } from '../engine/contract';
import { ARM64_KNOBS, POWERPC_KNOBS, X86_KNOBS, type KnobDef } from '../engine/knobs';
import { createEngine, listEngines, listVariants, resolveEngineSpec } from '../engine/registry';
import type { EngineSpec } from '../run/types';
import type { Arch, InitEvent, Strategy } from '../trace/events';
import { allProperties, propertyById, type Property } from '../../properties';
import { UsageError, parseChoice } from './errors';

export const KNOB_DEFS: Record<Arch, readonly KnobDef[]> = { x86: X86_KNOBS, powerpc: POWERPC_KNOBS, arm64: ARM64_KNOBS };

const unique = <T>(xs: T[]): T[] => [...new Set(xs)];
export const ARCH_IDS = (): Arch[] => unique(listEngines().map((e) => e.arch));
export const STRATEGY_IDS = (): Strategy[] => unique(listEngines().map((e) => e.strategy));

export interface EngineFlags {
  arch?: string;
  strategy?: string;
  variant?: string;
  /** `name=value` strings, as given to --knob. */
  knobs?: readonly string[];
}

/** The engine spec the flags name (defaults: x86/refcount), with knob values typed per their definition. */
export function engineSpecFromFlags(flags: EngineFlags): EngineSpec {
  let arch: Arch = flags.arch === undefined ? 'x86' : parseChoice('--arch', flags.arch, ARCH_IDS());
  let strategy: Strategy = flags.strategy === undefined ? 'refcount' : parseChoice('--strategy', flags.strategy, STRATEGY_IDS());
  let variant: string | undefined;
  if (flags.variant !== undefined) {
    const variants = listVariants();
    const v = variants.find((x) => x.id === flags.variant);
    if (!v) throw new UsageError(`--variant: expected one of ${variants.map((x) => x.id).join(', ')}, got ${JSON.stringify(flags.variant)}`);
    const [baseArch, baseStrategy] = v.base.split('/') as [Arch, Strategy];
    if ((flags.arch !== undefined && flags.arch !== baseArch) || (flags.strategy !== undefined && flags.strategy !== baseStrategy)) {
      throw new UsageError(`--variant ${v.id} runs on ${v.base}; drop --arch/--strategy or give --arch ${baseArch} --strategy ${baseStrategy}`);
    }
    [arch, strategy, variant] = [baseArch, baseStrategy, v.id];
  }
  const knobs = parseKnobs(arch, flags.knobs ?? []);
  const spec: EngineSpec = { arch, strategy, ...(variant !== undefined ? { variant } : {}), ...(Object.keys(knobs).length ? { knobs } : {}) };
  return checkSpec(spec);
}

/** `--knob pti=true` for `arch`: the value typed as the knob's definition lists it. */
export function parseKnobs(arch: Arch, given: readonly string[]): Record<string, string | number | boolean> {
  const defs = KNOB_DEFS[arch];
  const knobs: Record<string, string | number | boolean> = {};
  for (const text of given) {
    const eq = text.indexOf('=');
    if (eq <= 0) throw new UsageError(`--knob: expected name=value (e.g. ${defs[0].name}=${String(defs[0].values[1] ?? defs[0].values[0])}), got ${JSON.stringify(text)}`);
    const name = text.slice(0, eq);
    const value = text.slice(eq + 1);
    const def = defs.find((d) => d.name === name);
    if (!def) throw new UsageError(`--knob: unknown knob ${JSON.stringify(name)} for ${arch} (known: ${defs.map((d) => d.name).join(', ')})`);
    const typed = def.values.find((v) => String(v) === value);
    if (typed === undefined) throw new UsageError(`--knob ${name}: expected one of ${def.values.map(String).join(', ')}, got ${JSON.stringify(value)}`);
    if (name in knobs) throw new UsageError(`--knob ${name} given twice (give it once)`);
    knobs[name] = typed;
  }
  return knobs;
}

/** resolveEngineSpec's checks, as a usage error. */
export function checkSpec(spec: EngineSpec): EngineSpec {
  try {
    resolveEngineSpec(spec);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  return spec;
}

/** `x86/refcount+no-lazy-mmgrab`. */
export const engineId = (spec: EngineSpec): string => `${spec.arch}/${spec.strategy}${spec.variant ? `+${spec.variant}` : ''}`;

/** The knobs of `spec` with defaults filled in (what the engine actually runs with). */
export const resolvedKnobs = (spec: EngineSpec): Record<string, string | number | boolean> => resolveEngineSpec(spec).knobs;

/** The knob names `arch` accepts. */
export const knobNames = (arch: Arch): string[] => KNOB_DEFS[arch].map((d) => d.name);

/** The init event of `spec` on `config` (for property applicability). */
export function initEventOf(spec: EngineSpec, config: ModelConfig = DEFAULT_CONFIG): InitEvent {
  return createEngine(spec).init(config).events[0] as InitEvent;
}

/** The properties that apply to `spec`. */
export const applicableProperties = (spec: EngineSpec, config?: ModelConfig): Property[] => {
  const init = initEventOf(spec, config);
  return allProperties.filter((p) => p.appliesTo(init));
};

/** `--property` ids, each known and applicable to `spec`; all applicable ones when none given. */
export function selectProperties(ids: readonly string[], spec: EngineSpec, config?: ModelConfig): Property[] {
  const applicable = applicableProperties(spec, config);
  if (ids.length === 0) return applicable;
  const chosen: Property[] = [];
  for (const id of ids) {
    const p = propertyById(id);
    if (!p) throw new UsageError(`--property: expected one of ${allProperties.map((x) => x.id).join(', ')}, got ${JSON.stringify(id)}`);
    if (!applicable.includes(p)) {
      throw new UsageError(`--property ${id} does not apply to ${engineId(spec)} (applicable: ${applicable.map((x) => x.id).join(', ')})`);
    }
    if (!chosen.includes(p)) chosen.push(p);
  }
  return chosen;
}
