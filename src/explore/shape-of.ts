/**
 * `lazymm explore --shape-of FIXTURE`: explore the shape of a recorded counterexample, its
 * configuration, the kinds of its ops and its op count, on the engine the command line names (by
 * default the fixture's own, with `--knob` added on top). What a kernel developer asks of a fix to a
 * finding: does any interleaving of this counterexample's kinds of ops, as long as it, still break a
 * property once my knob is on? It is the bench's "only the fixture's op kinds" row
 * (bench/explorer-reach.ts cleanOverFindingShapes()) for any fixture: a proof of that alphabet only
 * (docs/explore.md "Op alphabets").
 */
import type { ModelConfig } from '../engine/contract';
import type { Op, OpKind } from '../engine/ops';
import type { EngineSpec } from '../run/types';
import { FixtureError, loadFixture } from '../fixtures/fixture';
import { UsageError } from '../cli/errors';

export interface ExploreShape {
  file: string;
  engine: EngineSpec;
  config: ModelConfig;
  /** The fixture's op count. */
  depth: number;
  /** The kinds of its ops (`step` left out: an op alphabet always has it), sorted. */
  opKinds: OpKind[];
}

/**
 * The shape of the ops fixture `file`.
 * @throws UsageError naming the file and, for a file that is not a valid ops fixture, the JSON path
 *   and what was expected there (exit status 2).
 */
export function fixtureShape(file: string): ExploreShape {
  try {
    const f = loadFixture(file);
    return { file, engine: f.engine, config: f.config, depth: f.ops.length, opKinds: fixtureOpKinds(f.ops) };
  } catch (err) {
    if (err instanceof FixtureError) throw new UsageError(`--shape-of: ${err.message.split('\n').join('; ')}`);
    throw err;
  }
}

/** The kinds of a counterexample's ops, sorted, without `step` (an op alphabet always has it). */
export function fixtureOpKinds(ops: readonly Op[]): OpKind[] {
  return [...new Set(ops.map((op) => op.op))].filter((k) => k !== 'step').sort();
}

/**
 * The engine flags to explore `shape` with: the fixture's engine (arch, strategy, variant, knobs)
 * unless `--arch`, `--strategy` or `--variant` is given; a `--knob` replaces the fixture's value of that knob.
 */
export function shapeEngineFlags(shape: ExploreShape, given: { arch?: string; strategy?: string; variant?: string; knobs?: readonly string[] }): { arch?: string; strategy?: string; variant?: string; knobs: string[] } {
  const own = given.arch === undefined && given.strategy === undefined && given.variant === undefined;
  if (!own) return { ...given, knobs: [...(given.knobs ?? [])] };
  const e = shape.engine;
  const user = given.knobs ?? [];
  const named = new Set(user.map((k) => k.slice(0, Math.max(0, k.indexOf('=')))));
  const knobs = Object.entries(e.knobs ?? {})
    .filter(([k]) => !named.has(k))
    .map(([k, v]) => `${k}=${String(v)}`);
  return { ...(e.variant !== undefined ? { variant: e.variant } : { arch: e.arch, strategy: e.strategy }), knobs: [...knobs, ...user] };
}
