/**
 * Random runs of x86 with INVLPGB global-ASID transitions (knobs invlpgb + asidTransition; issue 12
 * item 7). The transition needs more than 3 CPUs running one mm (mm_active_cpus_exceeds(mm, 3)), so
 * the default 3-CPU config of the campaign and bench/long-run.ts never reaches it: this runs 5 CPUs.
 * With --fix (Rik van Riel's globalAsidLazyFirst, plus the findings' fix knobs) every property must
 * hold; without it the search may find the E2 race (tlb-coherence C6.2').
 *
 *   npx ts-node --transpile-only bench/asid-transition-run.ts [--fix] [--ops N] [--max-ops N]
 */
import { runCheck } from '../arbitraries/check';
import { fixKnobsFor } from '../src/cli/findings';
import type { EngineSpec } from '../src/run/types';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const fix = process.argv.includes('--fix');
const OPS = arg('--ops', 200_000);
const spec: EngineSpec = { arch: 'x86', strategy: 'refcount', knobs: { ...fixKnobsFor('x86'), invlpgb: true, asidTransition: true, globalAsidLazyFirst: fix } };
const config = { cpus: 5, procs: 1, threads: 4, kthreads: 1 };
let ops = 0;
let runs = 0;
let seconds = 0;
let verdict = 'pass';
for (let seed = 1; ops < OPS; seed++) {
  const r = runCheck({ engine: spec, config, runs: 500, seed, maxOps: arg('--max-ops', 300), exhaustiveShrink: false });
  ops += r.opsExecuted;
  runs += r.runs;
  seconds += r.seconds;
  if (r.counterexample) {
    const cx = r.counterexample;
    verdict = `FAIL ${cx.property} ${cx.clause} at event ${cx.eventIndex} (seed ${cx.seed}, ${cx.ops.length} ops)`;
    break;
  }
}
console.log(`x86/refcount invlpgb+asidTransition${fix ? '+globalAsidLazyFirst' : ''} (5 CPUs): ${ops} ops, ${runs} runs, ${seconds.toFixed(1)} s: ${verdict}`);
process.exitCode = verdict === 'pass' || !fix ? 0 : 1;
