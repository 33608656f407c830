/**
 * The search a bench/minima.json record stands for, rebuilt from its fields: a named variant as
 * `lazymm explore --variant` explores it, or (`fixed:FINDING`) a finding's correct engine on its
 * fixture (./explorer-reach.ts findingTargets()). Shared by bench/record-minimum.ts, which runs and
 * records one, and the tests that run cheap records again under today's code
 * (test/bench/records-reproduce.test.ts).
 */
import type { ModelConfig } from '../src/engine/contract';
import { VARIANTS } from '../src/engine/variants';
import type { ExploreOptions } from '../src/explore/explore';
import { configFlags, findingTargets, fixedRecordName, variantExploreTarget } from './explorer-reach';
import type { MinimumSearchRecord } from './minima-record';

export interface MinimumSearch {
  /** The record's `variant` field. */
  name: string;
  target: Omit<ExploreOptions, 'config' | 'depth'>;
  config: ModelConfig;
  depth: number;
  /** The lazymm command that runs the same search (without --workers and --max-seconds). */
  command: string;
}

/** A named variant's search on `config` to `depth`; an unknown variant is an error naming the known ones. */
export function variantSearch(variant: string, config: ModelConfig, depth: number): MinimumSearch {
  if (!VARIANTS.some((v) => v.id === variant)) throw new Error(`unknown variant ${variant} (known: ${VARIANTS.map((v) => v.id).join(', ')})`);
  return { name: variant, target: variantExploreTarget(variant), config, depth, command: `lazymm explore --variant ${variant} ${configFlags(config)} --depth ${depth}` };
}

/** A finding's fixed-engine search on its fixture's configuration to its op count. */
export function findingSearch(finding: string): MinimumSearch {
  const targets = findingTargets();
  const t = targets.find((x) => x.name === finding);
  if (t === undefined) throw new Error(`unknown finding ${finding} (known: ${targets.map((x) => x.name).join(', ')})`);
  const knobs = Object.entries(t.engine.knobs ?? {}).map(([k, v]) => ` --knob ${k}=${String(v)}`).join('');
  const command = `lazymm explore --arch ${t.engine.arch} --strategy ${t.engine.strategy}${knobs} ${configFlags(t.config)} --depth ${t.depth}`;
  return { name: fixedRecordName(t.name), target: { engine: t.engine, differentialBase: null }, config: t.config, depth: t.depth, command };
}

/** The search `record` ran (its own configuration and depth). */
export function searchOfRecord(record: MinimumSearchRecord): MinimumSearch {
  const fixed = /^fixed:(.+)$/.exec(record.variant);
  if (fixed) return { ...findingSearch(fixed[1]), config: record.config, depth: record.depth };
  return variantSearch(record.variant, record.config, record.depth);
}
