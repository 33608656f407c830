/**
 * The search-based post-shrink pass of runCheck (./check.ts), after fast-check's shrinking and the
 * op-level minimiser (./minimize.ts), within one time budget:
 *
 * 1. *Exhaustive*: when the counterexample has at most `maxOps` ops, every interleaving of fewer
 *    ops on its configuration is searched breadth-first (src/explore), so a short counterexample
 *    is the exhaustive minimum by construction (or proven minimal when the search is clean).
 * 2. *Guided*: otherwise, or when the budget stopped step 1, breadth-first search up to one op
 *    less, restricted to the counterexample's own op alphabet with the CPUs relabelled (its ops
 *    with any two CPUs swapped, and every CPU's steps). That finds the reorderings and cuts that
 *    deletion cannot reach (a local minimum of 20 ops whose bug needs 7), at a small fraction of
 *    the full search's states. Not a proof: it only shortens.
 *
 * The violation must be of the same property and pass the same differential criterion as the
 * check's (the explorer applies runCheck's rule, src/explore/differential.ts).
 */
import type { ModelConfig } from '../src/engine/contract';
import { formatOp, type Op } from '../src/engine/ops';
import type { CheckResult, EngineSpec } from '../src/run/types';
import { shortestCounterexample } from '../src/explore/minimum';
import { propertyById } from '../properties';
import { cpuTranspositions, relabelOp } from './minimize-moves';
import { variantNeedsAlignedReplay } from './variant-check';

export interface ExhaustiveShrinkLimits {
  /** Longest counterexample that gets the exhaustive search (step 1). */
  maxOps: number;
  /** Longest counterexample that gets the guided search (step 2). */
  maxGuidedOps: number;
  /** Time budget of both steps together. */
  maxSeconds: number;
}

/**
 * Depth 9 on a 2-CPU configuration takes well under a second (docs/explore.md), so 10 ops is the
 * exhaustive reach; 40 ops covers every variant's shrunk counterexamples.
 */
export const DEFAULT_EXHAUSTIVE_SHRINK: ExhaustiveShrinkLimits = { maxOps: 10, maxGuidedOps: 40, maxSeconds: 0.6 };

/** The op alphabet of `ops`: each op and its images under every swap of two CPUs, and every CPU's step. */
export function opAlphabet(ops: readonly Op[], config: ModelConfig): Set<string> {
  const perms = [[...Array(config.cpus).keys()], ...cpuTranspositions(config.cpus)];
  const out = new Set<string>();
  for (let c = 0; c < config.cpus; c++) out.add(formatOp({ op: 'step', cpu: c }));
  for (const op of ops) for (const perm of perms) out.add(formatOp(relabelOp(op, perm)));
  return out;
}

/** Shortens `result.counterexample` in place when a search finds a shorter one (see the file comment). */
export function shortenExhaustively(result: CheckResult, engine: EngineSpec, differentialBase: EngineSpec | null, align: boolean, limits: ExhaustiveShrinkLimits): void {
  const cx = result.counterexample;
  // The explorer replays aligned exactly when runCheck does by default (src/explore/differential.ts).
  const defaultAlign = engine.variant !== undefined && variantNeedsAlignedReplay(engine.variant);
  if (!cx || cx.ops.length === 0 || cx.ops.length > limits.maxGuidedOps || propertyById(cx.property) === undefined || align !== defaultAlign) return;
  const t0 = performance.now();
  const left = () => limits.maxSeconds - (performance.now() - t0) / 1000;
  const search = (opFilter?: (op: Op) => boolean) => {
    const current = result.counterexample!;
    const { found, search: s } = shortestCounterexample(engine, current.config, current.ops.length - 1, current.property, {
      differentialBase,
      maxSeconds: left(),
      ...(opFilter ? { opFilter } : {}),
    });
    if (found) result.counterexample = { ...current, ops: found.ops, clause: found.violation.clause, eventIndex: found.violation.index, message: found.violation.message };
    return s.result;
  };
  let outcome: string = 'truncated';
  if (cx.ops.length <= limits.maxOps) outcome = search();
  if (outcome === 'truncated' && left() > 0) {
    const alphabet = opAlphabet(cx.ops, cx.config);
    search((op) => alphabet.has(formatOp(op)));
  }
  result.seconds += (performance.now() - t0) / 1000;
}
