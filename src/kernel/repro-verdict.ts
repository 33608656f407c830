/**
 * How a real-kernel repro turns its scenarios' verdicts into one (`lazymm kernel repro`): every
 * scenario of the list judged from the boot's blocks, reproduced when every one is as expected,
 * inconclusive as soon as one is.
 */
import type { ScenarioBlock } from './ftrace';

export type ScenarioVerdict = 'as-expected' | 'unexpected' | 'inconclusive';
export type ReproVerdict = 'reproduced' | 'not-reproduced' | 'inconclusive';

/** `inconclusive` if any is, else `reproduced` when every verdict is `ok`, else `not-reproduced`. */
export function overallVerdict(verdicts: readonly string[], ok: string): ReproVerdict {
  return verdicts.includes('inconclusive') ? 'inconclusive' : verdicts.every((v) => v === ok) ? 'reproduced' : 'not-reproduced';
}

/** Each spec's scenario block judged by `judge` (a block that is missing is an error), and the overall verdict. */
export function judgeScenarios<Spec extends { name: string }, R extends { verdict: ScenarioVerdict }>(
  blocks: readonly ScenarioBlock[],
  specs: readonly Spec[],
  judge: (b: ScenarioBlock, spec: Spec) => R,
): { verdict: ReproVerdict; scenarios: R[] } {
  const scenarios = specs.map((spec) => {
    const b = blocks.find((x) => x.name === spec.name);
    if (!b) throw new Error(`scenario ${spec.name} was not run`);
    return judge(b, spec);
  });
  return { verdict: overallVerdict(scenarios.map((s) => s.verdict), 'as-expected'), scenarios };
}
