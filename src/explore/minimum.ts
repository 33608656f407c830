/**
 * The exhaustive minimum: the shortest counterexample of an engine on a configuration (BFS order
 * makes the first one found the shortest in ops), and the fixture that records it.
 */
import * as path from 'node:path';
import type { ModelConfig } from '../engine/contract';
import type { Op } from '../engine/ops';
import { FIXTURE_FORMAT, type Fixture } from '../fixtures/fixture';
import { defaultFixturesDir, lazymmFixturesDir } from '../fixtures/project-dirs';
import { commandLine, fastCheckVersion } from '../fixtures/provenance';
import type { EngineSpec } from '../run/types';
import type { Violation } from '../../properties/property';
import { explore, type ExploreOptions, type ExploreResult } from './explore';

/** The repository root (src/explore/ is two levels down). */

export interface ShortestCounterexample {
  ops: Op[];
  violation: Violation;
  /** The search that found it (or showed there is none up to the bound). */
  search: ExploreResult;
}

/**
 * The shortest op sequence of at most `depth` ops on `config` that violates `property` (or any
 * applicable property), or null when there is none up to `depth` (see `search.result`: `clean`,
 * or `truncated` when `options.maxStates`/`maxSeconds` stopped it first). For a variant, the
 * violation must not be shared by its base engine (runCheck's differential criterion).
 */
export function shortestCounterexample(
  engine: EngineSpec,
  config: ModelConfig,
  depth: number,
  property?: string,
  options: Partial<Omit<ExploreOptions, 'engine' | 'config' | 'depth'>> = {},
): { found: ShortestCounterexample | null; search: ExploreResult } {
  const search = explore({ ...options, engine, config, depth, properties: property === undefined ? options.properties : [property] });
  const cx = search.counterexample;
  return { found: cx ? { ops: cx.ops, violation: cx.violation, search } : null, search };
}

const engineId = (spec: EngineSpec): string => `${spec.arch}/${spec.strategy}${spec.variant ? `+${spec.variant}` : ''}`;

export interface ToFixtureOptions {
  /** The command line that found it (without `lazymm`), for provenance. */
  argv?: readonly string[];
  /** Where the fixture will be written (for the relative `$schema` path); default fixtures/. */
  dir?: string;
  now?: Date;
  /** Status; default `caught-variant` for a variant, else `regression` (as `lazymm check --record`). */
  status?: Fixture['status'];
}

/**
 * The fixture of an exhaustive minimum (seed 0 and path '': no fast-check run produced it). Its
 * name ends in "exhaustive minimum" so it never clashes with the fixture `lazymm check --record`
 * writes for the same engine and property.
 */
export function toFixture(spec: EngineSpec, config: ModelConfig, cx: { ops: Op[]; violation: Violation }, options: ToFixtureOptions = {}): Fixture {
  const dir = options.dir ?? defaultFixturesDir();
  const knobs = Object.entries(spec.knobs ?? {}).map(([k, v]) => ` ${k}=${String(v)}`).join('');
  const v = cx.violation;
  const schema = path.relative(dir, path.join(lazymmFixturesDir(), 'schema.json')).split(path.sep).join('/');
  const c = `cpus=${config.cpus} procs=${config.procs} threads=${config.threads} kthreads=${config.kthreads}`;
  return {
    $schema: schema.startsWith('.') ? schema : `./${schema}`,
    format: FIXTURE_FORMAT,
    name: `${engineId(spec)}${knobs} ${v.property} exhaustive minimum`,
    description:
      `${v.property} ${v.clause} at event ${v.index} on ${engineId(spec)}${knobs}: the shortest counterexample ` +
      `(${cx.ops.length} ops) on ${c}, found by bounded exhaustive search (lazymm explore)`,
    status: options.status ?? (spec.variant ? 'caught-variant' : 'regression'),
    engine: spec,
    config,
    expect: { property: v.property, clause: v.clause, eventIndex: v.index },
    provenance: {
      seed: 0,
      path: '',
      fastCheckVersion: fastCheckVersion(),
      recordedAt: (options.now ?? new Date()).toISOString(),
      command: commandLine(options.argv ?? ['explore']),
    },
    ops: cx.ops,
  };
}
