/**
 * Runs to the first counting failure of the named variants in ANOTHER checkout (a git worktree at
 * an older commit), measured with that checkout's own code: for bisecting a change in how fast the
 * search catches them (not a test; docs/mutants.md "The named variants since results.json").
 *
 * It counts as bench/run.ts's timedCheck does (fresh checkers until the first violation the
 * differential criterion accepts; the same seeds 1..N, runs, fix knobs and properties of
 * variantCheckOptions()), without shrinking, through the API every commit since 9b484d3 (the
 * commit of bench/results.json) has: checkEngine, variantCheckOptions, differentialCriterion. At
 * 9b484d3 it gives every per-seed figure of results.json. Deterministic per commit.
 *
 *   git worktree add /tmp/old 9b484d3 && cp -al node_modules /tmp/old/node_modules
 *   npx ts-node --transpile-only bench/variant-bisect.ts /tmp/old [--seeds N] [--seed0 S]
 *       [--runs N] [--search NAME] [--variant ID]...
 *
 * One JSON line per variant: {id, median, caught, seeds, per: runs per seed, null = not caught}.
 * --search is passed on only when given (commits before the searches existed ignore it).
 */
import * as path from 'node:path';
import { median } from '../src/mutants/summary'; // this checkout's: the statistic, not the code measured

const argv = process.argv.slice(2);
if (argv.length === 0 || argv[0].startsWith('--')) {
  console.error('usage: variant-bisect.ts ROOT [--seeds N] [--seed0 S] [--runs N] [--search NAME] [--variant ID]...');
  process.exit(2);
}
const ROOT = path.resolve(argv[0]);
const flag = (n: string) => { const i = argv.indexOf(`--${n}`); return i < 0 ? undefined : argv[i + 1]; };
const flags = (n: string) => argv.flatMap((a, i) => (argv[i - 1] === `--${n}` ? [a] : []));
const SEEDS = Number(flag('seeds') ?? 10);
const SEED0 = Number(flag('seed0') ?? 1);
const RUNS = Number(flag('runs') ?? 4000);
const search = flag('search');
const r = (m: string) => require(path.join(ROOT, m));
const { checkEngine } = r('arbitraries/check-engine');
const { differentialCriterion, profilesFor } = r('arbitraries/check');
const vc = r('arbitraries/variant-check');
const { createEngine } = r('src/engine/registry');
const { VARIANTS } = r('src/engine/variants');
const { DEFAULT_CONFIG } = r('src/engine/contract');
const props = r('properties');
const ids: string[] = flags('variant').length ? flags('variant') : VARIANTS.map((v: any) => v.id);
const t0 = Date.now();
for (const id of ids) {
  const v = VARIANTS.find((x: any) => x.id === id);
  if (!v) { console.log(JSON.stringify({ id, missing: true })); continue; }
  const opts = vc.variantCheckOptions(id, { runs: RUNS });
  const per: (number | null)[] = [];
  for (let seed = SEED0; seed < SEED0 + SEEDS; seed++) {
    const engine = createEngine(opts.engine);
    const init = engine.init(opts.config ?? DEFAULT_CONFIG).events[0];
    const properties = (opts.properties ?? props.allProperties.filter((p: any) => p.appliesTo(init)).map((p: any) => p.id)).map((i: string) => props.propertyById(i));
    const base = opts.differentialBase === undefined ? vc.defaultDifferentialBase(opts.engine) : opts.differentialBase;
    const align = opts.differentialAlign ?? (opts.engine.variant !== undefined && vc.variantNeedsAlignedReplay(opts.engine.variant));
    const criterion = base ? differentialCriterion(base, align) : () => true;
    let n = 0;
    let first: number | null = null;
    const res = checkEngine({
      engine,
      makeChecker: (i: any) => { if (first === null) n++; return props.createTraceChecker(i, properties); },
      propertyIds: properties.map((p: any) => p.id),
      runs: opts.runs, seed, maxOps: opts.maxOps, config: opts.config, configConstraints: opts.configConstraints,
      weights: opts.weights ?? profilesFor(properties.map((p: any) => p.id)),
      ...(search ? { search } : {}),
      shrinkBudget: 0, minimize: false,
      ownViolation: (c: any, ops: any, viol: any) => { const yes = criterion(c, ops, viol); if (yes && first === null) first = n; return yes; },
    });
    const cx = res.counterexample;
    per.push(cx && first !== null && vc.isExpectedBreak(v, cx.property, cx.clause) ? first : null);
  }
  const caught = per.filter((x): x is number => x !== null);
  console.log(JSON.stringify({ id, median: median(caught), caught: caught.length, seeds: SEEDS, per }));
}
console.error(`measure: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
