/**
 * Same-process A/B of the explorer's speed: an older checkout of lazymm (BASE, e.g. made with
 * `git archive <commit> | tar -x -C /tmp/base && ln -s $PWD/node_modules /tmp/base/node_modules`)
 * against this working tree, on the same search, interleaved (base, new, new, base, ...), CPU time
 * per search. On a machine shared with other work, wall-clock rates swing 2-3x between runs; CPU
 * time of interleaved runs in one process is the steadiest comparison available (still noisy under
 * heavy load: report the median ratio over many repetitions).
 *
 *   npx ts-node --transpile-only bench/explorer-ab.ts BASE [depth=4] [reps=16] [cpus/procs/threads/kthreads=2/2/2/1]
 */
import * as path from 'node:path';
import { explore as mine } from '../src/explore/explore';

const [baseDir, depthArg, repsArg, cfgArg] = process.argv.slice(2);
if (!baseDir) {
  process.stderr.write('usage: bench/explorer-ab.ts BASE_CHECKOUT [depth] [reps] [c/p/t/k]\n');
  process.exit(2);
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const base = require(path.resolve(baseDir, 'src/explore/explore')).explore as typeof mine;
const depth = Number(depthArg ?? 4);
const reps = Number(repsArg ?? 16);
const [cpus, procs, threads, kthreads] = (cfgArg ?? '2/2/2/1').split('/').map(Number);
const opts = {
  engine: { arch: 'x86', strategy: 'refcount', knobs: { membarrierSwitchMmFix: true, syncCoreOnLazySameMmSwitch: true } },
  config: { cpus, procs, threads, kthreads },
  depth,
} as const;
const t = { base: [] as number[], mine: [] as number[] };
const states = { base: 0, mine: 0 };
for (let i = 0; i < reps; i++) {
  const order: ('base' | 'mine')[] = i % 2 === 0 ? ['base', 'mine'] : ['mine', 'base'];
  for (const name of order) {
    const c0 = process.cpuUsage();
    const r = (name === 'base' ? base : mine)({ ...opts, engine: { ...opts.engine, knobs: { ...opts.engine.knobs } }, config: { ...opts.config } });
    const c = process.cpuUsage(c0);
    t[name].push((c.user + c.system) / 1e6);
    states[name] = r.states;
  }
}
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const ratios = t.base.map((b, i) => b / t.mine[i]);
console.log(`${cpus}/${procs}/${threads}/${kthreads} depth ${depth}, ${reps} interleaved repetitions; states base ${states.base}, new ${states.mine}${states.base === states.mine ? '' : ' (DIFFERENT)'}`);
for (const k of ['base', 'mine'] as const) {
  console.log(`  ${k === 'mine' ? 'new ' : 'base'}: CPU s min ${Math.min(...t[k]).toFixed(3)}, median ${median(t[k]).toFixed(3)}: ${Math.round(states[k] / median(t[k]))} states per CPU second (median)`);
}
console.log(`  speed-up (base CPU / new CPU): median ${median(ratios).toFixed(2)}, of the minima ${(Math.min(...t.base) / Math.min(...t.mine)).toFixed(2)}`);
