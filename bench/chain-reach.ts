/**
 * How far a search climbs a hand-built chain (not a test; docs/search.md "Climbing chains"): the
 * coverage features each op of a hand-built ops list (src/mutants/hand-ops.ts) adds on the
 * *unmutated* engine of a mutant's spec are the chain's links; then, over the runs of each search
 * on that unmutated engine, how many runs reach each link (all of its features) and how many reach
 * every link up to it (the prefix). The engine is wrapped to record each run's trace, so any
 * registered search can be measured without a hook in it. Only reads the trace.
 *
 *     npx ts-node --transpile-only bench/chain-reach.ts MUTANT-ID CONFIG 'OPS' RUNS SEED [search ...]
 *
 * CONFIG is cpus/procs/threads/kthreads, OPS as bench/mutant-ops.ts. VERBOSE=1 prints each link's
 * feature names.
 */
import '../src/mutants/searches';
import './conj-searches';
import type { Engine, ModelConfig } from '../src/engine/contract';
import type { KernelState } from '../src/engine/state';
import type { TraceEvent } from '../src/trace/events';
import { traceCoverage } from '../arbitraries/coverage';
import { allInstances } from '../src/mutants/instances';
import { driveOps, parseOps, type HandItem } from '../src/mutants/hand-ops';
import { searchByName } from '../src/mutants/search';
import { searchTarget } from '../src/mutants/verdict';

interface Link {
  label: string;
  features: number[];
  names: string[];
}

/** The features each item of `items` adds, in order (the configuration shape excluded). */
function chainLinks(engine: Engine<unknown>, config: ModelConfig, items: readonly HandItem[], text: string[]): Link[] {
  const featuresOf = (n: number) => {
    const d = driveOps(engine, config, items.slice(0, n));
    if (d.stopped) throw new Error(`op ${n} of the hand list: ${d.stopped}`);
    return traceCoverage(d.events, config, { explain: true, conjunctions: true });
  };
  const links: Link[] = [];
  let before = featuresOf(0);
  for (let n = 1; n <= items.length; n++) {
    const after = featuresOf(n);
    const features = [...after.features].filter((f) => !before.features.has(f));
    const names = [...after.explained!].filter((s) => !before.explained!.has(s));
    links.push({ label: text[n - 1], features, names });
    before = after;
  }
  return links;
}

/** `engine`, calling `onRun` with each finished run's trace (at the next init, and at `flush`). */
export function recording(engine: Engine<KernelState>, onRun: (events: TraceEvent[]) => void): { engine: Engine<KernelState>; flush(): void } {
  let events: TraceEvent[] | null = null;
  const flush = () => {
    if (events) onRun(events);
    events = null;
  };
  return {
    flush,
    engine: {
      info: engine.info,
      enabled: (s) => engine.enabled(s),
      clone: (s) => engine.clone(s),
      init(config) {
        flush();
        const r = engine.init(config);
        events = [...r.events];
        return r;
      },
      apply(s, op) {
        const evs = engine.apply(s, op);
        events?.push(...evs);
        return evs;
      },
    },
  };
}

/** A mutant's search target and the unmutated engine of its spec (the base the chain is measured on). */
export function unmutatedTarget(id: string): { target: ReturnType<typeof searchTarget>; base: Engine<KernelState> } {
  const inst = allInstances().find((i) => i.id === id);
  if (!inst) throw new Error(`no mutant ${id}`);
  const target = searchTarget(inst);
  const { createEngine } = require('../src/engine/registry') as typeof import('../src/engine/registry');
  return { target, base: createEngine(target.spec) as Engine<KernelState> };
}

if (require.main === module) {
  const [id, configText, opsText, runsArg, seedArg, ...names] = process.argv.slice(2);
  const [cpus, procs, threads, kthreads] = configText.split('/').map(Number);
  const config: ModelConfig = { cpus, procs, threads, kthreads };
  const { target, base } = unmutatedTarget(id);
  const text = opsText.split(';').map((s) => s.trim()).filter(Boolean);
  const links = chainLinks(base as Engine<unknown>, config, parseOps(opsText), text).filter((l) => l.features.length > 0);
  console.log(`${id} on ${configText}: ${links.length} links with new features`);
  for (const name of names.length ? names : ['generator', 'coverage']) {
    const own = new Array<number>(links.length).fill(0);
    const prefix = new Array<number>(links.length).fill(0);
    const firstPrefix = new Array<number>(links.length).fill(0);
    const perFeature = new Map<number, number>();
    let runs = 0;
    const rec = recording(base, (events) => {
      runs++;
      const cov = traceCoverage(events, undefined, { conjunctions: true });
      for (const l of links) for (const f of l.features) if (cov.features.has(f)) perFeature.set(f, (perFeature.get(f) ?? 0) + 1);
      let all = true;
      links.forEach((l, i) => {
        const has = l.features.every((f) => cov.features.has(f));
        if (has) own[i]++;
        all = all && has;
        if (all) {
          prefix[i]++;
          if (firstPrefix[i] === 0) firstPrefix[i] = runs;
        }
      });
    });
    const t0 = Date.now();
    searchByName(name)!.run({ ...target, engine: rec.engine, judge: () => null }, { seed: Number(seedArg), budget: Number(runsArg) });
    rec.flush();
    console.log(`\n${name}: ${runs} runs, ${((Date.now() - t0) / 1000).toFixed(0)} s  (link: runs with its features / runs with every link up to it / first such run)`);
    links.forEach((l, i) => {
      console.log(`  ${String(i + 1).padStart(2)} ${l.label.padEnd(42)} ${String(own[i]).padStart(6)} ${String(prefix[i]).padStart(6)} ${String(firstPrefix[i] || '-').padStart(6)}  (${l.features.length} features)`);
      // explain names and hashes are added in the same order, one name per feature
      if (process.env.VERBOSE) l.names.forEach((n, j) => console.log(`       ${String(perFeature.get(l.features[j]) ?? 0).padStart(6)}  ${n}`));
    });
  }
}
