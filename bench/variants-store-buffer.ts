/**
 * The named variants' runs to failure with each value of the engine knob storeBuffer, in one run
 * (docs/store-buffer.md, "Default"). Not a test:
 *
 *   npx ts-node --transpile-only bench/variants-store-buffer.ts [--seeds N] [--runs N] [--value V]... [--variant ID]...
 *
 * For each variant and each value V (default: none, rq-membarrier-state, rq-membarrier-state+tlbstate; switching-store-no-mb-in-cpumask is caught only with the last), the variant's check as
 * bench/run.ts's variant section runs it (variantCheckOptions, seeds 1..N, --runs per seed, 5 and
 * 4,000 by default) with storeBuffer=V on the variant and on its differential base: caught seeds,
 * the median runs to the first failure that counts (the differential criterion's first "yes", as
 * bench/run.ts times it) and the clauses. Prints one line per variant and value.
 */
import { VARIANTS } from '../src/engine/variants';
import type { RunCheckOptions } from '../arbitraries/check';
import { isExpectedBreak, variantCheckOptions } from '../arbitraries/variant-check';
import { median } from '../src/mutants/summary';
import { timedCheck } from './timed-check';

const argv = process.argv.slice(2);
const flag = (name: string, dflt: number) => {
  const i = argv.indexOf(`--${name}`);
  return i < 0 ? dflt : Number(argv[i + 1]);
};
const list = (name: string) => argv.flatMap((a, i) => (argv[i - 1] === `--${name}` ? [a] : []));
const SEEDS = flag('seeds', 5);
const RUNS = flag('runs', 4000);
const VALUES = list('value').length ? list('value') : ['none', 'rq-membarrier-state', 'rq-membarrier-state+tlbstate'];
const IDS = list('variant').length ? list('variant') : VARIANTS.map((v) => v.id);

for (const id of IDS) {
  const v = VARIANTS.find((x) => x.id === id);
  if (!v) throw new Error(`unknown variant ${id}`);
  for (const value of VALUES) {
    const o = variantCheckOptions(id, { runs: RUNS });
    const opts: RunCheckOptions = {
      ...o,
      engine: { ...o.engine, knobs: { ...(o.engine.knobs ?? {}), storeBuffer: value } },
      differentialBase: o.differentialBase ? { ...o.differentialBase, knobs: { ...(o.differentialBase.knobs ?? {}), storeBuffer: value } } : o.differentialBase,
    };
    const t0 = performance.now();
    const perSeed: (number | null)[] = [];
    const clauses = new Set<string>();
    for (let seed = 1; seed <= SEEDS; seed++) {
      // Only the first failure is measured: no shrinking.
      const { result, runsToFailure } = timedCheck({ ...opts, seed, shrinkBudget: 0 }, false);
      const cx = result.counterexample;
      const caught = runsToFailure !== null && cx !== undefined && isExpectedBreak(v, cx.property, cx.clause);
      perSeed.push(caught ? runsToFailure : null);
      if (caught) clauses.add(`${cx.property} ${cx.clause}`);
    }
    const caught = perSeed.filter((x): x is number => x !== null);
    const s = ((performance.now() - t0) / 1000).toFixed(1);
    console.log(`${id.padEnd(42)} ${value.padEnd(20)} caught ${caught.length}/${SEEDS}  median ${String(median(caught) ?? '-').padStart(6)}  runs ${perSeed.map((x) => x ?? '-').join('/')}  ${s} s  ${[...clauses].join('; ')}`);
  }
}
