/**
 * What the store buffer of rq->membarrier_state (engine knob storeBuffer, docs/store-buffer.md)
 * costs: monitored steps per second (engine.apply + every property monitored, as bench/run.ts's
 * throughput section measures them) with storeBuffer=none and rq-membarrier-state, in one process,
 * on the same recorded random runs (the campaign's weights, DEFAULT_CONFIG, 120 choices each).
 * Not a test:
 *
 *   npx ts-node --transpile-only bench/store-buffer-cost.ts [--runs N] [--reps N] [--engine ARCH/STRATEGY]...
 *
 * The two values are timed alternately (--reps rounds, default 7, each value first in every other
 * round, so that the other processes of a shared machine weigh on both alike); prints the best
 * round's steps/s of each, the ratio of the bests and the median of the rounds' paired ratios
 * (rq-membarrier-state / none: below 1 is a cost).
 */
import { DEFAULT_CONFIG } from '../src/engine/contract';
import { createEngine } from '../src/engine/registry';
import type { Op } from '../src/engine/ops';
import type { InitEvent } from '../src/trace/events';
import type { EngineSpec } from '../src/run/types';
import { createTraceChecker } from '../properties';
import { DEFAULT_WEIGHTS } from '../arbitraries/weights';
import { runChoices } from '../arbitraries/interleaving';

const argv = process.argv.slice(2);
const num = (name: string, dflt: number) => (argv.includes(`--${name}`) ? Number(argv[argv.indexOf(`--${name}`) + 1]) : dflt);
const RUNS = num('runs', 400);
const REPS = num('reps', 7);
const given = argv.flatMap((a, i) => (argv[i - 1] === '--engine' ? [a] : []));
const ENGINES = given.length ? given : ['x86/refcount', 'powerpc/shootdown', 'arm64/refcount'];
const VALUES = ['none', 'rq-membarrier-state'] as const;

for (const id of ENGINES) {
  const [arch, strategy] = id.split('/');
  const engines = VALUES.map((v) => createEngine({ arch, strategy, knobs: { storeBuffer: v } } as EngineSpec));
  // The same choices on both; the ops are recorded on each (the buffer adds no step, so they agree).
  let seed = 12345;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  const choiceLists = Array.from({ length: RUNS }, () => Array.from({ length: 120 }, () => Math.floor(rnd() * 2 ** 31)));
  const runs: Op[][][] = engines.map((e) => choiceLists.map((c) => runChoices(e, DEFAULT_CONFIG, c, DEFAULT_WEIGHTS).ops));
  const steps = runs.map((r) => r.reduce((n, ops) => n + ops.length, 0));
  const events = [0, 0];
  const monitored = (i: number): number => {
    const t = performance.now();
    events[i] = 0;
    for (const ops of runs[i]) {
      const { state, events: boot } = engines[i].init(DEFAULT_CONFIG);
      const checker = createTraceChecker(boot[0] as InitEvent);
      let n = boot.length;
      for (const op of ops) for (const ev of engines[i].apply(state, op)) {
        checker.observe(ev, n++);
        events[i]++;
      }
      checker.finish();
    }
    return (performance.now() - t) / 1000;
  };
  const best = [Infinity, Infinity];
  const ratios: number[] = [];
  monitored(0);
  monitored(1); // warm up
  for (let r = 0; r < REPS; r++) {
    // Alternate which value goes first, and pair the two timings of a round.
    const order = r % 2 ? [1, 0] : [0, 1];
    const t = [0, 0];
    for (const i of order) t[i] = monitored(i);
    for (const i of [0, 1]) best[i] = Math.min(best[i], t[i]);
    ratios.push(steps[1] / t[1] / (steps[0] / t[0]));
  }
  const rate = best.map((s, i) => steps[i] / s);
  ratios.sort((a, b) => a - b);
  const line = VALUES.map((v, i) => `${v} ${Math.round(rate[i]).toLocaleString('en-US')} steps/s (${(events[i] / steps[i]).toFixed(2)} events/step)`).join(', ');
  console.log(`${id}: ${steps[0]} / ${steps[1]} steps; monitored, best round: ${line}; ratio of the bests ${(rate[1] / rate[0]).toFixed(3)}, median of the ${REPS} paired rounds' ratios ${ratios[ratios.length >> 1].toFixed(3)}`);
}
