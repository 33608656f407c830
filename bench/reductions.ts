/**
 * Reductions of the bounded exhaustive search, measured in one run on the issue-15 configuration
 * (correct x86/refcount, 2 CPUs / 2 processes of 2 threads / 1 kthread, every property): states,
 * transitions and seconds with every reduction off (`settleEachOp: false` too), with the monitors
 * settled at op boundaries only (`settle`, the explorer's default), and on top of that with
 * partial-order reduction (sleep sets, `por`) and with symmetry reduction (`symmetry`: processes of
 * one shape, threads of a process, kthreads), each as a ratio to the unreduced search of the same
 * run (docs/explore.md "Reductions"). Part of the explorer section of `npm run bench`; alone:
 *
 *   npx ts-node --transpile-only bench/reductions.ts [--depth D] [--cpus N --procs N --threads N --kthreads N] [--no-por]
 */
import type { ModelConfig } from '../src/engine/contract';
import type { EngineSpec } from '../src/run/types';
import { explore, type ExploreOptions } from '../src/explore/explore';
import { fixKnobsFor } from '../src/cli/findings';

/** Mainline x86 with the proposed fix of every open finding (src/findings.ts). */
const CORRECT: EngineSpec = { arch: 'x86', strategy: 'refcount', knobs: fixKnobsFor('x86') };

export interface ReductionRow {
  /** `por` and `symmetry` are on top of `settle` (settleEachOp, the default); `off` has none of them. */
  reductions: 'off' | 'settle' | 'por' | 'symmetry';
  result: string;
  states: number;
  transitions: number;
  seconds: number;
  /** CPU seconds of this process (user + system): less sensitive to a shared machine than wall time. */
  cpuSeconds: number;
  /** Sleep-set counts, with por. */
  por?: { pruned: number; diamonds: number; independent: number };
  /** The symmetry group's order, with symmetry. */
  groupOrder?: number;
}

export interface ReductionBench {
  config: ModelConfig;
  depth: number;
  rows: ReductionRow[];
}

function row(reductions: ReductionRow['reductions'], options: ExploreOptions): ReductionRow {
  const c0 = process.cpuUsage();
  const r = explore({ ...options, settleEachOp: reductions !== 'off', por: reductions === 'por', symmetry: reductions === 'symmetry' });
  const c = process.cpuUsage(c0);
  return {
    reductions, result: r.result, states: r.states, transitions: r.transitions, seconds: r.seconds, cpuSeconds: (c.user + c.system) / 1e6,
    ...(r.por ? { por: { ...r.por } } : {}), ...(r.symmetry ? { groupOrder: r.symmetry.order } : {}),
  };
}

/** The rows (unreduced first, then settle, then por unless `withPor` is false, then symmetry), and their lines for the report. */
export function reductionBench(config: ModelConfig, depth: number, progress: (s: string) => void = () => undefined, withPor = true): { bench: ReductionBench; lines: string[] } {
  const options: ExploreOptions = { engine: CORRECT, config, depth };
  progress(`explorer bench: reductions off, depth ${depth}...`);
  const off = row('off', options);
  const rows = [off];
  progress(`explorer bench: settling at op boundaries, depth ${depth}...`);
  rows.push(row('settle', options));
  if (withPor) {
    progress(`explorer bench: partial-order reduction, depth ${depth}...`);
    rows.push(row('por', options));
  }
  progress(`explorer bench: symmetry reduction, depth ${depth}...`);
  rows.push(row('symmetry', options));
  const c = `${config.cpus}/${config.procs}/${config.threads}/${config.kthreads}`;
  const lines = [`  reductions on ${c} depth ${depth} (same run; ratios to "off"):`];
  for (const r of rows) {
    lines.push(
      `    ${r.reductions.padEnd(8)} ${r.result}, ${r.states} states (${(r.states / off.states).toFixed(2)}x), ${r.transitions} transitions (${(r.transitions / off.transitions).toFixed(2)}x), ` +
        `${r.seconds.toFixed(1)} s (${(r.seconds / off.seconds).toFixed(2)}x), ${r.cpuSeconds.toFixed(1)} CPU s (${(r.cpuSeconds / off.cpuSeconds).toFixed(2)}x)` +
        (r.por ? `; ${r.por.pruned} transitions skipped, ${r.por.diamonds} diamonds, ${r.por.independent} independent` : '') +
        (r.groupOrder !== undefined ? `; group of order ${r.groupOrder}` : ''),
    );
  }
  return { bench: { config, depth, rows }, lines };
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const flag = (name: string, dflt: number): number => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? Number(argv[i + 1]) : dflt;
  };
  const config = { cpus: flag('cpus', 2), procs: flag('procs', 2), threads: flag('threads', 2), kthreads: flag('kthreads', 1) };
  const { lines } = reductionBench(config, flag('depth', 6), (s) => process.stderr.write(`${s}\n`), !argv.includes('--no-por'));
  console.log(lines.join('\n'));
}
