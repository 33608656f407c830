/**
 * Mutant instances: a site (./enumerate.ts) on one engine. A site of the generic kernel code is
 * tried on each arch's mainline engine; an arch's or a strategy's site on the mainline engines
 * that use that file (a file only the hazard-pointer design uses, on x86/hazard). Every engine runs
 * with the proposed-fix knobs of the open findings (arbitraries/variant-check.ts findingFixKnobs),
 * so the unmutated engine passes every property and a failure is the mutant's own.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EngineSpec } from '../run/types';
import type { Arch, Strategy } from '../trace/events';
import { findingFixKnobs } from '../../arbitraries/variant-check';
import { ENGINE_DIR, applyEdits, enumerateSites } from './enumerate';
import { loadEngineFactory, type EngineFactory } from './loader';
import type { MutantSite } from './types';

export interface MutantInstance {
  /** `<site id>@<arch>/<strategy>`. */
  id: string;
  site: MutantSite;
  /** The engine (with the fix knobs); the unmutated engine of the same spec is the differential base. */
  engine: EngineSpec;
}

const MAINLINE: readonly [Arch, Strategy][] = [
  ['x86', 'refcount'],
  ['powerpc', 'shootdown'],
  ['arm64', 'refcount'],
];

/**
 * Whether arch `a`'s own file (src/engine/arch/<a>.ts) imports the arch helper `name`
 * (`./broadcast-flush`, `./radix-flush`, `./x86-flush-steps`): the helper runs on that arch.
 */
function archImports(a: Arch, name: string): boolean {
  const f = path.join(ENGINE_DIR, 'arch', `${a}.ts`);
  return fs.existsSync(f) && new RegExp(`from '\\./${name}'`).test(fs.readFileSync(f, 'utf8'));
}

/** The (arch, strategy) engines a file's sites run on. */
export function enginesForFile(file: string): [Arch, Strategy][] {
  const name = path.basename(file, '.ts');
  if (file.startsWith('arch/')) {
    if (name === 'arch') return [];
    if (MAINLINE.some(([a]) => a === name)) return MAINLINE.filter(([a]) => a === name);
    // A helper of some arches (the flush paths): the arches whose file imports it.
    return MAINLINE.filter(([a]) => archImports(a, name));
  }
  if (file.startsWith('strategies/')) {
    if (name === 'hazard') return [['x86', 'hazard']];
    if (name === 'strategy') return [];
    if (name === 'prev-mm-handoff') return [...MAINLINE];
    return MAINLINE.filter(([, s]) => s === name);
  }
  // mm_unlazy_mm_count() and unlazy_mm_irqs_off(): only Andy Lutomirski's series uses them.
  if (name === 'unlazy' || name === 'unlazy-to-init-mm') return [['x86', 'hazard']];
  return [...MAINLINE];
}

export function engineSpec(arch: Arch, strategy: Strategy): EngineSpec {
  const knobs = findingFixKnobs(arch);
  return { arch, strategy, ...(Object.keys(knobs).length ? { knobs } : {}) };
}

/** Every instance of every site, in site order then engine order. */
export function instancesOf(sites: readonly MutantSite[]): MutantInstance[] {
  return sites.flatMap((site) => enginesForFile(site.file).map(([arch, strategy]) => ({ id: `${site.id}@${arch}/${strategy}`, site, engine: engineSpec(arch, strategy) })));
}

export function allInstances(): MutantInstance[] {
  return instancesOf(enumerateSites());
}

const factories = new Map<string, EngineFactory>();

/** The engine registry of a site's mutant (cached per site). */
export function mutantFactory(site: MutantSite): EngineFactory {
  let f = factories.get(site.id);
  if (!f) {
    const text = applyEdits(fs.readFileSync(path.join(ENGINE_DIR, site.file), 'utf8'), site.edits);
    f = loadEngineFactory({ file: site.file, text });
    if (factories.size > 64) factories.clear();
    factories.set(site.id, f);
  }
  return f;
}
