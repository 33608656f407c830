/**
 * Runs the exhaustive search of a named variant on a configuration, as `lazymm explore --variant`
 * does (its fix knobs, its property, the differential base), and appends the result with the code
 * fingerprint to bench/minima.json (./minima-record.ts), for searches too long for the bench:
 *
 *   npx ts-node --transpile-only bench/record-minimum.ts VARIANT CPUS/PROCS/THREADS/KTHREADS DEPTH [--workers N] [--max-seconds S]
 */
import type { ModelConfig } from '../src/engine/contract';
import { VARIANTS } from '../src/engine/variants';
import { variantCheckOptions } from '../arbitraries/variant-check';
import { exploreTarget } from '../src/explore/command';
import { exploreWorkers } from '../src/explore/parallel';
import { codeFingerprint } from './code-fingerprint';
import { appendMinimumRecord, MINIMA_FILE } from './minima-record';

function fail(message: string): never {
  console.error(`record-minimum: ${message}`);
  console.error('usage: bench/record-minimum.ts VARIANT CPUS/PROCS/THREADS/KTHREADS DEPTH [--workers N] [--max-seconds S]');
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
  const [variant, cfg, depthText] = args;
  if (!VARIANTS.some((v) => v.id === variant)) fail(`unknown variant ${variant ?? '(none)'}`);
  const parts = (cfg ?? '').split('/').map(Number);
  if (parts.length !== 4 || parts.some((n) => !Number.isInteger(n) || n < 0)) fail(`configuration must be CPUS/PROCS/THREADS/KTHREADS (got ${cfg ?? 'nothing'})`);
  const config: ModelConfig = { cpus: parts[0], procs: parts[1], threads: parts[2], kthreads: parts[3] };
  const depth = Number(depthText);
  if (!Number.isInteger(depth) || depth < 1) fail(`DEPTH must be a positive integer (got ${depthText ?? 'nothing'})`);
  const fingerprint = codeFingerprint();
  const spec = variantCheckOptions(variant).engine;
  const target = exploreTarget({ arch: spec.arch, strategy: spec.strategy, variant }, undefined, false);
  const r = await exploreWorkers({ ...target, config, depth, maxSeconds }, workers);
  const found = r.counterexample ?? null;
  appendMinimumRecord({
    variant, config, fingerprint, recordedAt: new Date().toISOString(),
    command: `lazymm explore --variant ${variant} --cpus ${config.cpus} --procs ${config.procs} --threads ${config.threads} --kthreads ${config.kthreads} --depth ${depth} --workers ${workers} --max-seconds ${maxSeconds}`,
    result: r.result, depth, cleanTo: found ? found.ops.length - 1 : r.depthReached, minimum: found ? found.ops.length : null,
    clause: found ? found.violation.clause : null, states: r.states, transitions: r.transitions, seconds: r.seconds, workers,
  });
  console.log(`${variant} on ${cfg} to depth ${depth}: ${r.result}${found ? ` (${found.ops.length} ops, ${found.violation.clause})` : `, clean to ${r.depthReached}`}, ${r.states} states, ${r.seconds.toFixed(0)} s; recorded in ${MINIMA_FILE} under ${fingerprint}`);
}

main().catch((e) => {
  console.error(`record-minimum: ${(e as Error).message}`);
  process.exit(1);
});
