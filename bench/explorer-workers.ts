/**
 * The explorer on one worker and on two (src/explore/parallel.ts), interleaved A/B, each search in
 * a fresh child process (cold code for both):
 * `npx ts-node --transpile-only bench/explorer-workers.ts [--quick] [--reps N] [--depth D] [--json]`,
 * also run by the explorer section of the bench (./explorer.ts). Per run: wall seconds (the
 * two-worker figure includes starting the threads), distinct states, states/s, the process's CPU
 * seconds (all threads) over wall seconds (how many cores the search actually got), and
 * os.loadavg() just before it: on a machine shared with other work, the ratio says what a second
 * core gave at that load, not what it gives on an idle machine.
 */
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import type { ModelConfig } from '../src/engine/contract';
import type { EngineSpec } from '../src/run/types';
import { exploreWorkers } from '../src/explore/parallel';
import { fixKnobsFor } from '../src/cli/findings';

const CORRECT: EngineSpec = { arch: 'x86', strategy: 'refcount', knobs: fixKnobsFor('x86') };

export interface WorkersRun {
  workers: number;
  rep: number;
  loadavg1: number;
  seconds: number;
  cpuSeconds: number;
  states: number;
  statesPerSecond: number;
  result: string;
}

export interface WorkersBench {
  config: ModelConfig;
  depth: number;
  runs: WorkersRun[];
  /** Median over reps of (2-worker states/s) / (1-worker states/s) of the same rep. */
  medianRatio: number;
  /** Median over reps of (2-worker CPU seconds) / (1-worker CPU seconds). */
  medianCpuRatio: number;
  sameStates: boolean;
  lines: string[];
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const CONFIG: ModelConfig = { cpus: 2, procs: 2, threads: 2, kthreads: 1 };

/** One search in this process (the child of workersBench): its wall and CPU seconds (all threads). */
async function single(workers: number, depth: number): Promise<Omit<WorkersRun, 'rep' | 'loadavg1'>> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await exploreWorkers({ engine: CORRECT, config: CONFIG, depth }, workers);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { workers, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, states: r.states, statesPerSecond: r.states / seconds, result: r.result };
}

/**
 * Every search runs in a fresh child process, so one worker and two both start with cold code (a
 * new thread has its own JIT: in one process, the main thread's search would be warm from the
 * previous reps and the threads' never).
 */
export async function workersBench(o: { quick: boolean; reps?: number; depth?: number }): Promise<WorkersBench> {
  const config = CONFIG;
  const depth = o.depth ?? (o.quick ? 5 : 6);
  const reps = o.reps ?? 3;
  const runs: WorkersRun[] = [];
  // Fill the transpile cache once before measuring (src/explore/worker-script.ts).
  await exploreWorkers({ engine: CORRECT, config, depth: 1 }, 2);
  for (let rep = 1; rep <= reps; rep++) {
    for (const workers of rep % 2 ? [1, 2] : [2, 1]) {
      const loadavg1 = os.loadavg()[0];
      const child = spawnSync(process.execPath, [...process.execArgv, __filename, '--single', String(workers), '--depth', String(depth)], { encoding: 'utf8' });
      if (child.status !== 0) throw new Error(`bench/explorer-workers: the child failed: ${child.stderr}`);
      runs.push({ rep, loadavg1, ...(JSON.parse(child.stdout) as Omit<WorkersRun, 'rep' | 'loadavg1'>) });
    }
  }
  const ratios = Array.from({ length: reps }, (_, i) => {
    const one = runs.find((r) => r.rep === i + 1 && r.workers === 1) as WorkersRun;
    const two = runs.find((r) => r.rep === i + 1 && r.workers === 2) as WorkersRun;
    return two.statesPerSecond / one.statesPerSecond;
  });
  const cpuRatios = Array.from({ length: reps }, (_, i) => {
    const one = runs.find((r) => r.rep === i + 1 && r.workers === 1) as WorkersRun;
    const two = runs.find((r) => r.rep === i + 1 && r.workers === 2) as WorkersRun;
    return two.cpuSeconds / one.cpuSeconds;
  });
  const sameStates = runs.every((r) => r.states === runs[0].states && r.result === runs[0].result);
  const c = `${config.cpus}/${config.procs}/${config.threads}/${config.kthreads}`;
  const lines = [
    `  two workers vs one (correct x86/refcount, ${c} depth ${depth}, ${runs[0].states} states, ${runs[0].result}; interleaved, ${reps} reps; ${os.cpus().length} CPUs):`,
    ...runs.map((r) => `    rep ${r.rep} ${r.workers} worker${r.workers > 1 ? 's' : ' '}: ${r.seconds.toFixed(2)} s wall, ${Math.round(r.statesPerSecond)} states/s, ${(r.cpuSeconds / r.seconds).toFixed(2)} cores busy, loadavg ${r.loadavg1.toFixed(2)}`),
    `    speed-up (2 workers' states/s over 1's, same rep): median ${median(ratios).toFixed(2)}x (${ratios.map((x) => x.toFixed(2)).join(', ')}); same states and verdict in every run: ${sameStates}`,
    `    CPU seconds, 2 workers over 1 (the threads' own cost: starting them, loading the modules, a JIT per thread): median ${median(cpuRatios).toFixed(2)}x`,
  ];
  return { config, depth, runs, medianRatio: median(ratios), medianCpuRatio: median(cpuRatios), sameStates, lines };
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const value = (f: string) => (argv.includes(f) ? Number(argv[argv.indexOf(f) + 1]) : undefined);
  if (argv.includes('--single')) void single(value('--single') as number, value('--depth') as number).then((r) => process.stdout.write(`${JSON.stringify(r)}\n`));
  else void workersBench({ quick: argv.includes('--quick'), reps: value('--reps'), depth: value('--depth') }).then((b) => {
    process.stdout.write(argv.includes('--json') ? `${JSON.stringify(b)}\n` : `${b.lines.join('\n')}\n`);
  });
}
