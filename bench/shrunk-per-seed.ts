/**
 * Where each seed's counterexample shrinks to: for every named variant (or those given, comma
 * separated), `lazymm check --variant V --seed S --runs 4000` for S = 1..10, printed as
 * `length@cpus/procs/threads/kthreads` per seed ('-' when the seed did not catch the variant's own
 * break), with the variant's seconds. The shrinker's measurement in docs/explore.md "How
 * counterexamples are shrunk"; bench/explorer-reach.ts compares the same seeds with the minima.
 *
 *   npx ts-node --transpile-only bench/shrunk-per-seed.ts [variant,variant...] [--seeds N]
 */
import { VARIANTS } from '../src/engine/variants';
import { seedCounterexamples } from './explorer-reach';

const args = process.argv.slice(2);
const seedsAt = args.indexOf('--seeds');
const seeds = seedsAt >= 0 ? Number(args[seedsAt + 1]) : 10;
const only = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--seeds');
const unknown = only?.split(',').filter((id) => !VARIANTS.some((v) => v.id === id)) ?? [];
if (unknown.length > 0 || !(seeds >= 1)) {
  console.error(unknown.length > 0 ? `unknown variant(s): ${unknown.join(', ')}` : '--seeds expects a positive number');
  process.exit(2);
}
for (const v of VARIANTS) {
  if (only && !only.split(',').includes(v.id)) continue;
  const t0 = performance.now();
  const out = seedCounterexamples(v.id, seeds, 4000).map((r) => (r ? `${r.length}@${r.config.cpus}/${r.config.procs}/${r.config.threads}/${r.config.kthreads}` : '-'));
  console.log(v.id.padEnd(40), out.join(' '), `${((performance.now() - t0) / 1000).toFixed(0)}s`);
}
