/**
 * How often runs of Go-Explore, the coverage search and the generator reach the states the rare
 * paths of docs/search.md need (not a test), on the unmutated x86/refcount engine with the mutant
 * bench's fix knobs: per search, the runs with a membarrier() call of each command at its MB1 (and
 * registered), and with ipi_mb / ipi_rseq handled on a CPU in kernel mode (as bench/swarm-reach.ts
 * counts them, but read by a checker that watches every run, so any search can be measured).
 *
 *     npx ts-node --transpile-only bench/goexplore-reach.ts [runs] [seed] [search ...]   (goexplore, coverage, weighted)
 */
import { profilesFor } from '../arbitraries/check';
import { checkEngine } from '../arbitraries/check-engine';
import type { CheckerFactory } from '../arbitraries/monitored-run';
import { allInstances } from '../src/mutants/instances';
import { searchTarget } from '../src/mutants/verdict';
import type { TraceEvent } from '../src/trace/events';
import type { SearchName } from '../arbitraries/search';

const [runsArg, seedArg, ...names] = process.argv.slice(2);
const runs = Number(runsArg ?? 1000);
const seed = Number(seedArg ?? 1);
const inst = allInstances().find((i) => i.id === 'kernel/ipi:runIpiFunc:drop-mb:0@x86/refcount')!;
const target = searchTarget(inst);
const base = target.createEngine(target.spec);

for (const name of (names.length ? names : ['weighted', 'coverage', 'goexplore']) as SearchName[]) {
  const counts = new Map<string, number>();
  const counting: CheckerFactory = (init) => {
    const seen = new Set<string>();
    let prev: TraceEvent | null = null;
    let done = false;
    return {
      observe(ev) {
        if (ev.k === 'membarrier' && ev.phase === 'mb_start') seen.add(`mb1 ${ev.cmd}`);
        if (ev.k === 'membarrier_register' && ev.phase === 'ready') seen.add(`registered ${ev.cmd}`);
        if (ev.k === 'path' && ev.phase === 'begin' && ev.fn.startsWith('exec')) seen.add(ev.fn);
        if (ev.k === 'ipi_handle' && !ev.local && (ev.fn === 'ipi_mb' || ev.fn === 'ipi_rseq')) {
          const fromUser = prev?.k === 'user_exit' && prev.cpu === ev.cpu;
          seen.add(`${ev.fn} ${fromUser ? 'user' : 'kernel'}`);
        }
        prev = ev;
        void init;
        return [];
      },
      finish() {
        if (!done) for (const k of seen) counts.set(k, (counts.get(k) ?? 0) + 1);
        done = true;
        return [];
      },
    };
  };
  const t0 = Date.now();
  checkEngine({ engine: base, makeChecker: counting, propertyIds: [], runs, seed, search: name, weights: profilesFor(target.properties) });
  const line = [...counts.entries()].sort().map(([k, v]) => `${k}: ${v}`).join(', ');
  console.log(`${name} (${runs} runs, seed ${seed}, ${((Date.now() - t0) / 1000).toFixed(0)} s): ${line}`);
}
