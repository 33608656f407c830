/**
 * Test helper: is a symmetric merge sound? The search with `symmetry` merges a state B into a kept
 * state A when their canonical keys are equal: A renamed by its representative renaming pA and B by
 * pB are the same state, so B is A renamed by s = pA then pB^-1. Both paths are replayed and
 * continued: A by random ops, B by the same ops renamed by s. The properties must give the same
 * verdict (property, clause, op of the continuation) on both, and every renamed op must be enabled.
 * With `onlyRenamed`, pairs merged without a renaming (equal states) are skipped.
 */
import type { ModelConfig } from '../../src/engine/contract';
import type { Op } from '../../src/engine/ops';
import type { EngineSpec } from '../../src/run/types';
import type { InitEvent } from '../../src/trace/events';
import { compose, inverse, renameOp, symmetricKey, symmetryGroup } from '../../src/explore/symmetry';
import { createTraceChecker, propertyById, type Property } from '../../properties';
import { continuationVerdict, drawContinuation, prng, type MergeMismatch } from './merge-check';
import { boot, step } from './symmetry-world';

export function checkSymmetricMerges(
  spec: EngineSpec,
  config: ModelConfig,
  propertyIds: string[],
  pairs: readonly [Op[], Op[]][],
  continuations: number,
  length: number,
  seed = 1,
  stats: { runs: number; violations: number; renamed: number } = { runs: 0, violations: 0, renamed: 0 },
  onlyRenamed = false,
): MergeMismatch[] {
  const props = propertyIds.map((id) => propertyById(id) as Property);
  const make = (init: InitEvent) => createTraceChecker(init, props);
  const rnd = prng(seed);
  const out: MergeMismatch[] = [];
  const reach = (ops: Op[]) => {
    const w = boot(spec, config);
    for (const op of ops) step(w, op);
    return w;
  };
  const group = symmetryGroup(boot(spec, config).state);
  for (const [kept, merged] of pairs) {
    const a = reach(kept);
    const b = reach(merged);
    const ka = symmetricKey(a.state, a.monitor, group);
    const kb = symmetricKey(b.state, b.monitor, group);
    if (JSON.stringify(ka.key) !== JSON.stringify(kb.key)) {
      out.push({ kept, merged, continuation: [], why: 'the two paths do not reach states with one canonical key' });
      continue;
    }
    const s = compose(ka.perm, inverse(kb.perm));
    const isRenaming = [...s.names].some(([x, y]) => x !== y) || [...s.tgids].some(([x, y]) => x !== y);
    if (isRenaming) stats.renamed++;
    else if (onlyRenamed) continue;
    for (let c = 0; c < continuations; c++) {
      const cont = drawContinuation(a.engine, config, kept, length, rnd);
      const va = continuationVerdict(a.engine, config, kept, cont, make);
      const vb = continuationVerdict(a.engine, config, merged, cont.map((op) => renameOp(op, s)), make);
      stats.runs++;
      if (va !== 'pass') stats.violations++;
      if (va !== vb) out.push({ kept, merged, continuation: cont, why: `kept: ${va}; merged (ops renamed): ${vb}` });
    }
  }
  return out;
}
