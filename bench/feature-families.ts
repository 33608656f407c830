/**
 * How many coverage features of each family a search's runs reach (not a test; docs/search.md
 * "Conjunction features"): a family that explodes dilutes the corpus. Runs search S on the
 * *unmutated* engine of a mutant's spec (the engine wrapped to record each run's trace, as
 * bench/chain-reach.ts does) and counts the distinct readable feature names per family (the first
 * word of the name: cross, own, edge, window, ipi, ipi-return, shape, entry-ipi, entry-path, entry-return, ladder).
 *
 *     npx ts-node --transpile-only bench/feature-families.ts MUTANT-ID RUNS SEED [search ...]
 */
import '../src/mutants/searches';
import './conj-searches';
import { traceCoverage } from '../arbitraries/coverage';
import { searchByName } from '../src/mutants/search';
import { recording, unmutatedTarget } from './chain-reach';

if (require.main === module) {
  const [id, runsArg, seedArg, ...names] = process.argv.slice(2);
  const { target, base } = unmutatedTarget(id);
  for (const name of names.length ? names : ['coverage']) {
    const seen = new Set<string>();
    let runs = 0;
    const rec = recording(base, (events) => {
      runs++;
      for (const n of traceCoverage(events, undefined, { explain: true, conjunctions: true }).explained!) seen.add(n);
    });
    const t0 = Date.now();
    searchByName(name)!.run({ ...target, engine: rec.engine, judge: () => null }, { seed: Number(seedArg), budget: Number(runsArg) });
    rec.flush();
    const families = new Map<string, number>();
    for (const n of seen) {
      // entry features split by what follows the entry: an IPI, a path event, the return to user
      const then = /^entry \[.*\] then (ipi \d+ then|ipi|path)/.exec(n);
      const f = then ? `entry-${then[1].startsWith('ipi ') && then[1].endsWith('then') ? 'return' : then[1]}` : n.split(' ')[0];
      families.set(f, (families.get(f) ?? 0) + 1);
    }
    const list = [...families].sort((x, y) => y[1] - x[1]).map(([f, c]) => `${f} ${c}`).join(', ');
    console.log(`${name} on ${id}, ${runs} runs, seed ${seedArg}, ${((Date.now() - t0) / 1000).toFixed(0)} s: ${seen.size} features (${list})`);
  }
}
