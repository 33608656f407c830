/**
 * How fast the random search catches each named variant: for every variant (or those named on the
 * command line), over N seeds, a variant check (arbitraries/variant-check.ts) with a run budget;
 * prints caught x/N (caught = a counterexample of the property the variant must break), and the
 * medians of runs and seconds to the first failure (shrinking included) and of the shrunk length.
 *
 *   npx ts-node --transpile-only test/variants/measure.ts [--seeds 10] [--first-seed 1] [--runs 20000]
 *       [--weights profiles|default|membarrier|baseline] [--mode variant|raw] [--shrink N]
 *       [--json FILE] [VARIANT...]
 *
 * --mode raw: runCheck on { variant } as-is, without the fix knobs and without the differential
 * criterion. --weights: 'profiles' (default) lets runCheck pick the profile for the checked
 * property; 'baseline' is the single set of weights from before the variant tuning
 * (./baseline-weights.ts). --shrink: fast-check's shrink budget (default: the variant check's).
 * Seconds include shrinking and minimisation; an uncaught seed counts as the whole budget in the
 * median of runs (printed with a '+').
 *
 * The "before" figures of the variant work were taken with the arbitraries of commit 105641f
 * (runCheck on { variant }, with and without the fix knobs) on the same engine.
 */
import * as fs from 'node:fs';
import { runCheck, type RunCheckOptions } from '../../arbitraries/check';
import { isExpectedBreak, variantCheckOptions } from '../../arbitraries/variant-check';
import { DEFAULT_WEIGHTS, MEMBARRIER_WEIGHTS } from '../../arbitraries/weights';
import { VARIANTS } from '../../src/engine/variants';
import { BASELINE_WEIGHTS } from './baseline-weights';

const args = process.argv.slice(2);
const flag = (name: string, def: string): string => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return def;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const seeds = Number(flag('seeds', '10'));
const runs = Number(flag('runs', '20000'));
const weightsName = flag('weights', 'profiles');
const mode = flag('mode', 'variant');
const jsonFile = flag('json', '');
const firstSeed = Number(flag('first-seed', '1'));
const shrinkFlag = flag('shrink', '');
const shrink = shrinkFlag === '' ? {} : { shrinkBudget: Number(shrinkFlag) };
// 'profiles' (the default): what runCheck picks for the checked properties (profilesFor).
const weights = weightsName === 'baseline' ? BASELINE_WEIGHTS : weightsName === 'membarrier' ? MEMBARRIER_WEIGHTS : weightsName === 'default' ? DEFAULT_WEIGHTS : undefined;
const ids = args.length ? args : VARIANTS.map((v) => v.id);

const median = (xs: number[]): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

interface SeedResult { seed: number; caught: boolean; runs: number; seconds: number; length: number | null; property: string | null; clause: string | null }
const out: Record<string, { results: SeedResult[] }> = {};
console.log(`mode ${mode}, weights ${weightsName}, ${seeds} seeds from ${firstSeed}, budget ${runs} runs`);
console.log(`${'variant'.padEnd(40)} caught  med-runs  med-s  med-len  (wrong: property/clause of the other counterexamples)`);
for (const id of ids) {
  const v = VARIANTS.find((x) => x.id === id);
  if (!v) throw new Error(`unknown variant ${id}`);
  const results: SeedResult[] = [];
  for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
    const opts: RunCheckOptions =
      mode === 'raw'
        ? { engine: { arch: v.base.arch, strategy: v.base.strategy, variant: id }, differentialBase: null, runs, seed, ...shrink, ...(weights ? { weights } : {}) }
        : variantCheckOptions(id, { runs, seed, ...shrink, ...(weights ? { weights } : {}) });
    const r = runCheck(opts);
    const cx = r.counterexample;
    const caught = cx !== undefined && isExpectedBreak(v, cx.property, cx.clause);
    results.push({ seed, caught, runs: r.runs, seconds: r.seconds, length: cx ? cx.ops.length : null, property: cx?.property ?? null, clause: cx?.clause ?? null });
  }
  out[id] = { results };
  const c = results.filter((x) => x.caught);
  const wrong = [...new Set(results.filter((x) => !x.caught && x.property).map((x) => `${x.property} ${x.clause}`))];
  // Uncaught seeds count as the whole budget (a lower bound) in the medians.
  const mr = median(results.map((x) => (x.caught ? x.runs : runs)));
  const ms = median(results.map((x) => x.seconds));
  const ml = median(c.map((x) => x.length as number));
  console.log(
    `${id.padEnd(40)} ${`${c.length}/${seeds}`.padStart(6)}  ${String(mr).padStart(8)}${c.length < seeds / 2 ? '+' : ' '} ${ms.toFixed(2).padStart(6)}  ${String(ml).padStart(7)}` +
      (wrong.length ? `  (wrong: ${wrong.join('; ')})` : ''),
  );
}
if (jsonFile) fs.writeFileSync(jsonFile, JSON.stringify({ mode, weights: weightsName, seeds, firstSeed, runs, variants: out }, null, 2));
