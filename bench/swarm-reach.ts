/**
 * How often runs of a search reach the states a few rare paths need (not a test): per search, over
 * the same number of runs of the unmutated x86/refcount engine (membarrierSwitchMmFix,
 * syncCoreOnLazySameMmSwitch), the runs with a membarrier() call of each command at its MB1, with an
 * ipi_mb / ipi_rseq handled on a CPU in kernel mode (no user_exit via ipi just before), and with an
 * exec. Only reads the trace.
 *
 *     npx ts-node bench/swarm-reach.ts [runs] [seed] [search ...]   (searches: the registered ones and `spread`)
 */
import './../src/mutants/searches';
import { fastCheckSearch } from '../src/mutants/searches';
import { profilesFor } from '../arbitraries/check';
import type { Weights } from '../arbitraries/weights';
import { registerSearch, searchByName, type SearchTarget } from '../src/mutants/search';
import { allInstances } from '../src/mutants/instances';
import { searchTarget } from '../src/mutants/verdict';
import type { TraceEvent } from '../src/trace/events';

/**
 * The cheaper alternative to swarm masks, for comparison: `spread`, the generator's profiles with
 * every instance the profile allows (weight > 0) equally likely, so a kind's argument values are
 * spread evenly instead of by the profile's preferences (kind weights and boosts unchanged).
 */
const spread = (w: Weights): Weights => ({ ...w, instance: (op, view) => (w.instance(op, view) > 0 ? 1 : 0) });
registerSearch({
  name: 'spread',
  description: 'the generator with every allowed instance of a kind equally likely',
  run: (target, options) => fastCheckSearch(target, options, profilesFor(target.properties).map(spread)),
});

const [runsArg, seedArg, ...names] = process.argv.slice(2);
const runs = Number(runsArg ?? 1000);
const seed = Number(seedArg ?? 1);
// Any mutant of x86/refcount gives the engine spec and the checker; the base engine is its registry's own.
const inst = allInstances().find((i) => i.id === 'kernel/ipi:runIpiFunc:drop-mb:0@x86/refcount')!;
const mutantTarget = searchTarget(inst);
const base = mutantTarget.createEngine(mutantTarget.spec);

for (const name of names.length ? names : ['generator', 'swarm']) {
  const counts = new Map<string, number>();
  const bump = (k: string) => counts.set(k, (counts.get(k) ?? 0) + 1);
  const target: SearchTarget = {
    ...mutantTarget,
    engine: base,
    judge(_config, out) {
      const seen = new Set<string>();
      const events = out.events as TraceEvent[];
      for (let i = 0; i < events.length; i++) {
        const ev = events[i];
        if (ev.k === 'membarrier' && ev.phase === 'mb_start') seen.add(`mb1 ${ev.cmd}`);
        if (ev.k === 'membarrier' && ev.phase === 'enter') seen.add(`call ${ev.cmd}`);
        if (ev.k === 'membarrier_register' && ev.phase === 'ready') seen.add(`registered ${ev.cmd}`);
        if (ev.k === 'path' && ev.phase === 'begin' && ev.fn.startsWith('exec')) seen.add(ev.fn);
        if (ev.k === 'ipi_handle' && !ev.local && (ev.fn === 'ipi_mb' || ev.fn === 'ipi_rseq')) {
          const prev = events[i - 1];
          const fromUser = prev?.k === 'user_exit' && prev.cpu === ev.cpu;
          seen.add(`${ev.fn} ${fromUser ? 'user' : 'kernel'}`);
        }
      }
      for (const k of seen) bump(k);
      return null;
    },
  };
  const t0 = Date.now();
  searchByName(name)!.run(target, { seed, budget: runs });
  const line = [...counts.entries()].sort().map(([k, v]) => `${k}: ${v}`).join(', ');
  console.log(`${name} (${runs} runs, seed ${seed}, ${((Date.now() - t0) / 1000).toFixed(0)} s): ${line}`);
}
