/**
 * The choice list (./interleaving.ts) that makes a weighted run apply given ops: for each op, the
 * smallest choice that picks it (./pick.ts) among the ops enabled then. The coverage search
 * (./coverage-search.ts) records ops, not choices; turned back into choices, its counterexample
 * can be shrunk by fast-check as the weighted search's are (fast-check shrinks an `examples` value).
 */
import type { Engine, ModelConfig } from '../src/engine/contract';
import type { Op } from '../src/engine/ops';
import { pickOp } from './pick';
import { startRun } from './run';
import { sameOp } from './same-op';
import type { Weights } from './weights';

/**
 * Choices that replay `ops` on `engine` under `weights`, or null when an op is not enabled at its
 * turn or no choice below `maxChoice` picks it (an op the weights give no chance).
 */
export function opsToChoices<S>(engine: Engine<S>, config: ModelConfig, ops: readonly Op[], weights: Weights, maxChoice = 1 << 14): number[] | null {
  const run = startRun(engine, config);
  const choices: number[] = [];
  for (const op of ops) {
    const enabled = run.enabled();
    if (!enabled.some((e) => sameOp(e, op))) return null;
    let c = 0;
    while (c < maxChoice) {
      const picked = pickOp(enabled, c, weights, run.view);
      if (picked !== undefined && sameOp(picked, op)) break;
      c++;
    }
    if (c === maxChoice) return null;
    run.choose(c, weights);
    choices.push(c);
  }
  return choices;
}
