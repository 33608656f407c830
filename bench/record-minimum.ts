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
import type { ModelConfig } from '../src/engine/contract';
import { VARIANTS } from '../src/engine/variants';
import { variantCheckOptions } from '../arbitraries/variant-check';
import { exploreTarget } from '../src/explore/command';
import { exploreWorkers } from '../src/explore/parallel';
import { codeFingerprint } from './code-fingerprint';
import { appendMinimumRecord, MINIMA_FILE } from './minima-record';
import { findingTargets, fixedRecordName } from './explorer-reach';
import type { ExploreOptions } from '../src/explore/explore';
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
  const { name, target, config, depth, command } = args[0] === '--finding' ? findingSearch(args[1]) : variantSearch(args);
  const fingerprint = codeFingerprint();
  const r = await exploreWorkers({ ...target, config, depth, maxSeconds }, workers);
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

interface Search {
  /** The record's `variant` field. */
  name: string;
  target: Omit<ExploreOptions, 'config' | 'depth'>;
  config: ModelConfig;
  depth: number;
  /** The lazymm command that runs the same search (without --workers and --max-seconds). */
  command: string;
}

function variantSearch([variant, cfg, depthText]: string[]): Search {
  if (!VARIANTS.some((v) => v.id === variant)) fail(`unknown variant ${variant ?? '(none)'}`);
  const parts = (cfg ?? '').split('/').map(Number);
  if (parts.length !== 4 || parts.some((n) => !Number.isInteger(n) || n < 0)) fail(`configuration must be CPUS/PROCS/THREADS/KTHREADS (got ${cfg ?? 'nothing'})`);
  const config: ModelConfig = { cpus: parts[0], procs: parts[1], threads: parts[2], kthreads: parts[3] };
  const depth = Number(depthText);
  if (!Number.isInteger(depth) || depth < 1) fail(`DEPTH must be a positive integer (got ${depthText ?? 'nothing'})`);
  const spec = variantCheckOptions(variant).engine;
  const target = exploreTarget({ arch: spec.arch, strategy: spec.strategy, variant }, undefined, false);
  const command = `lazymm explore --variant ${variant} --cpus ${config.cpus} --procs ${config.procs} --threads ${config.threads} --kthreads ${config.kthreads} --depth ${depth}`;
  return { name: variant, target, config, depth, command };
}

function findingSearch(finding: string | undefined): Search {
  const targets = findingTargets();
  const t = targets.find((x) => x.name === finding);
  if (t === undefined) fail(`--finding expects one of ${targets.map((x) => x.name).join(', ')} (got ${finding ?? 'nothing'})`);
  const knobs = Object.entries(t.engine.knobs ?? {}).map(([k, v]) => ` --knob ${k}=${String(v)}`).join('');
  const c = t.config;
  const command = `lazymm explore --arch ${t.engine.arch} --strategy ${t.engine.strategy}${knobs} --cpus ${c.cpus} --procs ${c.procs} --threads ${c.threads} --kthreads ${c.kthreads} --depth ${t.depth}`;
  return { name: fixedRecordName(t.name), target: { engine: t.engine, differentialBase: null }, config: c, depth: t.depth, command };
}

main().catch((e) => {
  console.error(`record-minimum: ${(e as Error).message}`);
  process.exit(1);
});
