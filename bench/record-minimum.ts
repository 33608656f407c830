/**
 * Runs an exhaustive search too long for the bench and appends its result with the code
 * fingerprint to bench/minima.json (./minima-record.ts):
 *
 *   npx ts-node --transpile-only bench/record-minimum.ts VARIANT CPUS/PROCS/THREADS/KTHREADS DEPTH [--workers N] [--max-seconds S]
 *   npx ts-node --transpile-only bench/record-minimum.ts --finding FINDING [--workers N] [--max-seconds S]
 *
 * A VARIANT is explored as `lazymm explore --variant` does (its fix knobs, its property, the
 * differential base); a FINDING's correct engine (every open finding's fix knob on, and its own) on
 * its fixture's configuration to its fixture's op count, every property, as the reach rows'
 * "correct engines at the findings' depths" (./explorer-reach.ts), recorded as `fixed:FINDING`.
 */
import { exploreWorkers } from '../src/explore/parallel';
import type { ExploreProgress } from '../src/explore/explore';
import { codeFingerprint } from './code-fingerprint';
import { appendMinimumRecord, MINIMA_FILE } from './minima-record';
import { findingSearch, variantSearch, type MinimumSearch } from './minimum-search';
import { formatOp } from '../src/engine/ops';

function fail(message: string): never {
  console.error(`record-minimum: ${message}`);
  console.error('usage: bench/record-minimum.ts VARIANT CPUS/PROCS/THREADS/KTHREADS DEPTH [--workers N] [--max-seconds S]');
  console.error('       bench/record-minimum.ts --finding FINDING [--workers N] [--max-seconds S]');
  process.exit(2);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string, dflt: number): number => {
    const i = args.indexOf(name);
    if (i < 0) return dflt;
    const v = Number(args[i + 1]);
    if (!(v > 0)) fail(`${name} expects a positive number (got ${args[i + 1] ?? 'nothing'})`);
    args.splice(i, 2);
    return v;
  };
  const workers = flag('--workers', 1);
  const maxSeconds = flag('--max-seconds', 600);
  let search: MinimumSearch;
  try {
    search = args[0] === '--finding' ? findingSearch(args[1] ?? '(none)') : variantArgs(args);
  } catch (e) {
    fail((e as Error).message);
  }
  const { name, target, config, depth, command } = search;
  const fingerprint = codeFingerprint();
  // A line on stderr per level completed (seen when the next one starts): a search of an hour or
  // two says how far it is.
  let shown = 0;
  const onProgress = (p: ExploreProgress): void => {
    if (p.depth - 1 <= shown) return;
    shown = p.depth - 1;
    console.error(`record-minimum: depth ${shown} of ${depth} done after ${p.seconds.toFixed(0)} s (${p.states} states so far)`);
  };
  const r = await exploreWorkers({ ...target, config, depth, maxSeconds, onProgress }, workers);
  const found = r.counterexample ?? null;
  appendMinimumRecord({
    variant: name, config, fingerprint, recordedAt: new Date().toISOString(),
    command: `${command} --workers ${workers} --max-seconds ${maxSeconds}`,
    result: r.result, depth, cleanTo: found ? found.ops.length - 1 : r.depthReached, minimum: found ? found.ops.length : null,
    clause: found ? found.violation.clause : null, states: r.states, transitions: r.transitions, seconds: r.seconds, workers,
  });
  const cfg = `${config.cpus}/${config.procs}/${config.threads}/${config.kthreads}`;
  console.log(`${name} on ${cfg} to depth ${depth}: ${r.result}${found ? ` (${found.ops.length} ops, ${found.violation.clause}: ${found.ops.map(formatOp).join(', ')})` : `, clean to ${r.depthReached}`}, ${r.states} states, ${r.seconds.toFixed(0)} s; recorded in ${MINIMA_FILE} under ${fingerprint}`);
}

function variantArgs([variant, cfg, depthText]: string[]): MinimumSearch {
  const parts = (cfg ?? '').split('/').map(Number);
  if (parts.length !== 4 || parts.some((n) => !Number.isInteger(n) || n < 0)) fail(`configuration must be CPUS/PROCS/THREADS/KTHREADS (got ${cfg ?? 'nothing'})`);
  const depth = Number(depthText);
  if (!Number.isInteger(depth) || depth < 1) fail(`DEPTH must be a positive integer (got ${depthText ?? 'nothing'})`);
  return variantSearch(variant ?? '(none)', { cpus: parts[0], procs: parts[1], threads: parts[2], kthreads: parts[3] }, depth);
}

main().catch((e) => {
  console.error(`record-minimum: ${(e as Error).message}`);
  process.exit(1);
});
