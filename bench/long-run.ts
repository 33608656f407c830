/**
 * The long run (issue 12): every mainline and proposed engine, with the proposed-fix knobs of the
 * open findings (as the campaign runs them), checked on random interleavings until at least
 * --ops random steps (default 2,000,000) per engine; each must hold every property. Not a test:
 *
 *   npx ts-node --transpile-only bench/long-run.ts [--ops N] [--max-ops N] [--engine ARCH/STRATEGY]...
 *
 * Runs in blocks of --block runs (default 2,000) with consecutive seeds, stopping at the first
 * counterexample, and prints one line per engine: ops executed, runs, seconds, verdict.
 */
import { runCheck } from '../arbitraries/check';
import { listEngines } from '../src/engine/build';
import { fixKnobsFor } from '../src/cli/findings';
import type { EngineSpec } from '../src/run/types';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}
const OPS = arg('--ops', 2_000_000);
const MAX_OPS = arg('--max-ops', 200);
const BLOCK = arg('--block', 2000);
const only = process.argv.flatMap((a, i) => (process.argv[i - 1] === '--engine' ? [a] : []));

let failed = 0;
for (const e of listEngines()) {
  if (e.label === 'counterfactual' || (only.length > 0 && !only.includes(e.id))) continue;
  const spec: EngineSpec = { arch: e.arch, strategy: e.strategy, knobs: fixKnobsFor(e.arch) };
  let ops = 0;
  let runs = 0;
  let seconds = 0;
  let verdict = 'pass';
  for (let seed = 1; ops < OPS; seed++) {
    const r = runCheck({ engine: spec, runs: BLOCK, seed, maxOps: MAX_OPS, exhaustiveShrink: false });
    ops += r.opsExecuted;
    runs += r.runs;
    seconds += r.seconds;
    if (r.counterexample) {
      const cx = r.counterexample;
      verdict = `FAIL ${cx.property} ${cx.clause} at event ${cx.eventIndex} (seed ${cx.seed}, path ${cx.path})`;
      failed++;
      break;
    }
  }
  const knobs = Object.entries(spec.knobs ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(' ');
  console.log(`${e.id} (${e.label}; ${knobs}): ${ops} ops, ${runs} runs, ${seconds.toFixed(1)} s: ${verdict}`);
}
process.exitCode = failed ? 1 : 0;
