/**
 * The Go-Explore search's archive and run lengths (not a test): on the unmutated x86/refcount
 * engine (the mutant bench's base, with its fix knobs), `runs` runs of `--search goexplore`; prints
 * the archive size after 100 / 1,000 / ... runs, the ops per run (replayed prefix + explored) beside
 * a generated run's, and the wall clock.
 *
 *     npx ts-node --transpile-only bench/goexplore-archive.ts [runs] [seed]
 */
import { profilesFor } from '../arbitraries/check';
import { goExploreSearch } from '../arbitraries/goexplore-search';
import { DEFAULT_MAX_OPS } from '../arbitraries/interleaving';
import { allInstances } from '../src/mutants/instances';
import { searchTarget } from '../src/mutants/verdict';
import { searchByName } from '../src/mutants/search';
import '../src/mutants/searches';

const runs = Number(process.argv[2] ?? 2000);
const seed = Number(process.argv[3] ?? 1);
const inst = allInstances().find((i) => i.id === 'kernel/ipi:runIpiFunc:drop-mb:0@x86/refcount')!;
const target = searchTarget(inst);
const base = target.createEngine(target.spec);

const t0 = Date.now();
const marks = new Set([100, 300, 1000, 3000, 10000, 30000]);
let returned = 0;
let explored = 0;
const r = goExploreSearch({
  engine: base,
  makeChecker: target.makeChecker,
  runs,
  seed,
  maxOps: DEFAULT_MAX_OPS,
  profiles: profilesFor(target.properties),
  counts: () => true,
  onRun: (info) => {
    returned += info.returned;
    explored += info.explored;
    if (marks.has(info.run)) console.log(`after ${info.run} runs: ${info.cells} cells in ${info.buckets} buckets, ${((returned + explored) / info.run).toFixed(1)} ops/run (${(returned / info.run).toFixed(1)} replayed, ${(explored / info.run).toFixed(1)} explored), ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  },
});
console.log(`goexplore: ${r.runs} runs, ${r.cells} cells in ${r.buckets} buckets, ${r.opsExecuted} ops (${r.opsReturned} replayed), failure: ${r.failure ? `run ${r.failure.run}` : 'none'}, ${((Date.now() - t0) / 1000).toFixed(0)} s`);

// A generated run's length, for comparison (the generator, same engine, same number of runs).
let genOps = 0;
const t1 = Date.now();
searchByName('generator')!.run({ ...target, engine: base, judge: (_c, out) => ((genOps += out.ops.length), null) }, { seed, budget: Math.min(runs, 1000) });
console.log(`generator: ${(genOps / Math.min(runs, 1000)).toFixed(1)} ops/run over ${Math.min(runs, 1000)} runs, ${((Date.now() - t1) / 1000).toFixed(0)} s`);
