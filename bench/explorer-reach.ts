/**
 * The explorer's reach (issue 15's bench rows that need no new speed), measured in one run as part
 * of the explorer section (`npm run bench -- --only-explorer [--quick]`):
 *
 * 1. The exhaustive minimum of every named variant (src/engine/variants.ts), explored as
 *    `lazymm explore --variant V` explores it (src/explore/command.ts exploreTarget: the fix knobs
 *    that cannot mask it, its own property, the differential base), on the smallest configuration
 *    its random check's seeds shrank to, beside the shrunk lengths `lazymm check --variant V --seed S`
 *    gets on that configuration in the same run. The minimum is known when the explorer finds it, or
 *    when it proves every interleaving of up to L - 1 ops clean where a seed reached L; otherwise
 *    the row says `>= d (bound reached)`: nothing of fewer ops exists, the minimum is unknown.
 * 2. The correct engines proven clean at the findings' depths: for every finding of src/findings.ts
 *    and fixtures/findings/*.json, its fixture's engine with the proposed-fix knobs of every open
 *    finding (and the finding's own) on, explored on the fixture's configuration to the fixture's
 *    op count within a time budget: `clean` (exit 0) or the depth completed (exit 3).
 * 3. A ctxsw.tla-sized configuration (kernel-tla's ctxsw.cfg: 2 CPUs, 3 tasks, 2 mms): the correct
 *    x86/refcount engine on 2 CPUs, 2 processes of 1 thread and 1 kthread (3 tasks, 2 user mms;
 *    the engine's default limits let fork/exec add tasks and mms, which ctxsw.tla does not), to
 *    depth 20, with the depth reached in the budget (target: depth 20 in < 60 s); once with every
 *    op kind, once with ctxsw.tla's actions only (CTXSW_TLA_OPS: the specification TLC checks).
 *
 * Budgets are seconds (this is a measurement, not a check that must give the same answer on every
 * machine): --quick keeps the section to a few minutes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ModelConfig } from '../src/engine/contract';
import type { Op, OpKind } from '../src/engine/ops';
import { VARIANTS } from '../src/engine/variants';
import { FINDINGS } from '../src/findings';
import type { EngineSpec } from '../src/run/types';
import { runCheck } from '../arbitraries/check';
import { findingFixKnobs, isExpectedBreak, variantCheckOptions } from '../arbitraries/variant-check';
import { explore, type ExploreResult } from '../src/explore/explore';
import { exploreTarget } from '../src/explore/command';
import { compact } from '../src/explore/progress';
import { countText, durationText, projectionOf, type ReachProjection } from '../src/explore/projection';
import { fixtureOpKinds } from '../src/explore/shape-of';
import { codeFingerprint } from './code-fingerprint';
import { bestRecord, readCarries, readMinimaRecords, staleRecords, validFingerprints, type MinimumSearchRecord } from './minima-record';

export interface ReachOptions {
  quick: boolean;
  log: (s: string) => void;
  progress: (s: string) => void;
}

const ROOT = path.resolve(__dirname, '..');
const configText = (c: ModelConfig) => `${c.cpus}/${c.procs}/${c.threads}/${c.kthreads}`;
export const configFlags = (c: ModelConfig) => `--cpus ${c.cpus} --procs ${c.procs} --threads ${c.threads} --kthreads ${c.kthreads}`;
const knobFlags = (k: Record<string, unknown> | undefined) => Object.entries(k ?? {}).map(([n, v]) => `--knob ${n}=${String(v)}`).join(' ');
const exitOf = (r: ExploreResult) => (r.result === 'clean' ? 0 : r.result === 'counterexample' ? 1 : 3);
const size = (c: ModelConfig) => [c.cpus, c.procs * c.threads + c.kthreads, c.procs, c.kthreads];
const smaller = (a: ModelConfig, b: ModelConfig) => {
  const x = size(a);
  const y = size(b);
  const k = x.findIndex((v, i) => v !== y[i]);
  return k >= 0 && x[k] < y[k];
};

/** A variant's configuration when no seed caught it in this run: bench/results.json's smallest (2026-11-22), else 2/1/1/0. */
function fallbackConfig(id: string): ModelConfig {
  try {
    const r = JSON.parse(fs.readFileSync(path.join(ROOT, 'bench/results.json'), 'utf8')) as { variants: { id: string; exhaustiveMinimum?: { config: ModelConfig } | null }[] };
    const c = r.variants.find((v) => v.id === id)?.exhaustiveMinimum?.config;
    if (c) return c;
  } catch {
    /* fall through */
  }
  return { cpus: 2, procs: 1, threads: 1, kthreads: 0 };
}

export interface VariantReach {
  id: string;
  config: ModelConfig;
  /** Shrunk lengths of the caught seeds whose counterexample is on `config`. */
  shrunk: number[];
  seeds: number;
  caught: number;
  /** The search that answers the row: this run's, or a conclusive one of bench/minima.json (`recorded`). */
  explore: { result: string; depthReached: number; found: number | null; states: number; seconds: number; recorded: boolean; projection?: ReachProjection | null };
  /** The exhaustive minimum on `config` when known. */
  minimum: number | null;
  /** Else: no counterexample of fewer than this many ops. */
  atLeast: number;
  /** Of the seeds on `config`, how many shrank to the minimum. */
  atMinimum: number;
  /** The other configurations with a seed as short as `minimum`: their own minimum (null: unknown) and how many of their seeds reached it. */
  ownMinima: OwnMinimum[];
  /**
   * Seeds at the minimum of their own configuration, no longer than `minimum`: atMinimum plus the
   * ownMinima's counts. The shrinker orders by length first, then machine size: a seed as short (or
   * shorter) on a larger machine, proven minimal there, is not one it could have shortened.
   */
  atOwnMinimum: number;
}

export interface OwnMinimum {
  config: ModelConfig;
  shrunk: number[];
  minimum: number | null;
  counted: number;
}

/**
 * `lazymm check --variant id --seed S --runs N` for S = 1..seeds: per seed, the length and
 * configuration of its counterexample when it caught the variant's own break, else null.
 */
export function seedCounterexamples(id: string, seeds: number, runs: number, onSeed?: (seed: number) => void): ({ length: number; config: ModelConfig } | null)[] {
  const v = VARIANTS.find((x) => x.id === id)!;
  return Array.from({ length: seeds }, (_, k) => {
    onSeed?.(k + 1);
    const cx = runCheck(variantCheckOptions(id, { seed: k + 1, runs })).counterexample;
    return cx && isExpectedBreak(v, cx.property, cx.clause) ? { length: cx.ops.length, config: cx.config } : null;
  });
}

/** bench/minima.json's records and the fingerprint of today's code, read once per reach section. */
export interface Recorded {
  records: MinimumSearchRecord[];
  fingerprint: string;
  /** The fingerprints whose records count today (validFingerprints(): `fingerprint` and those carried to it); default `fingerprint` alone. */
  valid?: ReadonlySet<string>;
}

function variantReach(id: string, o: ReachOptions, seeds: number, seconds: number, recorded: Recorded): VariantReach {
  const runs = seedCounterexamples(id, seeds, o.quick ? 1000 : 4000, (seed) => o.progress(`reach: ${id}: lazymm check --seed ${seed}/${seeds}`)).filter((r) => r !== null);
  const caught = runs.length;
  let config = runs.length > 0 ? runs[0].config : fallbackConfig(id);
  for (const r of runs) if (smaller(r.config, config)) config = r.config;
  const lengthsOn = (c: ModelConfig) => runs.filter((r) => configText(r.config) === configText(c)).map((r) => r.length);
  const shrunk = lengthsOn(config);
  const { e, conclusive, minimum } = minimumOn(id, config, shrunk, o, seconds, recorded);
  const atMinimum = minimum === null ? 0 : shrunk.filter((l) => l === minimum).length;
  // The seeds of the other configurations that can count (as short as the smallest's minimum),
  // each against its own configuration's minimum.
  let atOwnMinimum = atMinimum;
  const others: ModelConfig[] = [];
  for (const r of runs) if (configText(r.config) !== configText(config) && !others.some((c) => configText(c) === configText(r.config))) others.push(r.config);
  const ownMinima: OwnMinimum[] = [];
  for (const c of others) {
    const lengths = lengthsOn(c);
    if (minimum === null || Math.min(...lengths) > minimum) continue;
    const own = minimumOn(id, c, lengths, o, seconds, recorded).minimum;
    const counted = seedsAtOwnMinimum(lengths, own, minimum);
    ownMinima.push({ config: c, shrunk: lengths, minimum: own, counted });
    atOwnMinimum += counted;
  }
  return {
    id,
    config,
    shrunk,
    seeds,
    caught,
    explore: { ...e, recorded: conclusive },
    minimum,
    atLeast: minimum ?? e.depthReached + 1,
    atMinimum,
    ownMinima,
    atOwnMinimum,
  };
}

/**
 * Of the seeds of one configuration (their shrunk `lengths`), those at its own minimum `own`
 * (null: unknown, none count), when that is no longer than `smallest`, the minimum on the smallest
 * configuration any seed shrank to.
 */
export function seedsAtOwnMinimum(lengths: readonly number[], own: number | null, smallest: number): number {
  return own !== null && own <= smallest ? lengths.filter((l) => l === own).length : 0;
}

/** What `lazymm explore --variant id` explores (its fix knobs, its property, the differential base). */
export function variantExploreTarget(id: string): ReturnType<typeof exploreTarget> {
  const spec = variantCheckOptions(id).engine;
  return exploreTarget({ arch: spec.arch, strategy: spec.strategy, variant: id }, undefined, false);
}

/** `projection`: when the search stopped short, what proving the shortest seed minimal (clean to one op fewer) would take. */
type MinimumOutcome = Pick<ExploreResult, 'result' | 'depthReached' | 'states' | 'seconds'> & { found: number | null; projection?: ReachProjection | null };

/**
 * The exhaustive minimum of `id` on `config`, where seeds shrank to `shrunk` (the search's bound
 * is the shortest of them): a conclusive record of bench/minima.json under today's code, else a
 * search within `seconds`. Known when found, or when every interleaving one op shorter than a
 * seed's is clean.
 */
function minimumOn(id: string, config: ModelConfig, shrunk: readonly number[], o: ReachOptions, seconds: number, recorded: Recorded): { e: MinimumOutcome; conclusive: boolean; minimum: number | null } {
  const bound = shrunk.length > 0 ? Math.min(...shrunk) : 60;
  // A longer search recorded under today's code (bench/minima.json) answers the row when it is
  // conclusive for `bound`; a record under other code is only reported.
  const { records, fingerprint } = recorded;
  const valid = recorded.valid ?? fingerprint;
  for (const r of staleRecords(records, id, config, valid)) o.log(`  (stale record of ${id} on ${configText(config)}: ${r.command}, under ${r.fingerprint}, not ${fingerprint})`);
  const rec = bestRecord(records, id, config, valid);
  const conclusive = rec !== undefined && (rec.minimum !== null || rec.cleanTo >= bound - 1);
  let e: MinimumOutcome;
  if (rec !== undefined && conclusive) {
    e = { result: rec.result, depthReached: rec.cleanTo, found: rec.minimum, states: rec.states, seconds: rec.seconds };
  } else {
    const x = explore({
      ...variantExploreTarget(id),
      config,
      depth: bound,
      maxSeconds: seconds,
      onProgress: (p) => o.progress(`reach: ${id} explore ${configText(config)} depth ${p.depth}/${bound}, ${compact(p.states)} states, ${p.seconds.toFixed(0)} s`),
    });
    const deeper = rec !== undefined && rec.cleanTo > x.depthReached;
    const projection = deeper ? null : projectionOf(x, bound - 1);
    e = { result: x.result, depthReached: deeper ? rec.cleanTo : x.depthReached, found: x.counterexample ? x.counterexample.ops.length : null, states: x.states, seconds: x.seconds, projection };
  }
  // Proven clean up to bound - 1 where a seed reached `bound`: `bound` is the minimum.
  const minimum = e.found ?? (shrunk.length > 0 && e.depthReached >= bound - 1 ? bound : null);
  return { e, conclusive, minimum };
}

export interface CleanAtDepth {
  name: string;
  engine: EngineSpec;
  config: ModelConfig;
  /** The fixture's op count (the depth asked for). */
  depth: number;
  result: string;
  exit: number;
  depthReached: number;
  states: number;
  seconds: number;
  /** Answered by a record of bench/minima.json (not searched in this run): its command. */
  recorded?: string;
  /** Explored with only these op kinds (`lazymm explore --ops`): a proof of that alphabet only. */
  opKinds?: OpKind[];
  /** When the search stopped short: what the rest would take (src/explore/projection.ts). */
  projection?: ReachProjection | null;
}

/** `about N states more, T at this rate (xG per level)`. */
const projectionSummary = (p: ReachProjection): string => `about ${countText(p.states)} states more, ${durationText(p.seconds)} at this rate (x${p.growth.toFixed(2)} per level)`;

/** `; to depth D: about N states more, ...` for a row the time budget stopped. */
function projectionNote(row: CleanAtDepth): string {
  return row.projection ? `; to depth ${row.depth}: ${projectionSummary(row.projection)}` : '';
}

/** The correct engine of a finding's fixture: its engine with every open finding's fix knob on, and the finding's own. */
function fixedEngine(spec: EngineSpec, ownFix: Record<string, boolean>): EngineSpec {
  return { arch: spec.arch, strategy: spec.strategy, knobs: { ...(spec.knobs ?? {}), ...findingFixKnobs(spec.arch), ...ownFix } };
}

/** A finding's fixed-engine search: the correct engine on its fixture's configuration, to its op count. */
export interface FindingTarget {
  name: string;
  engine: EngineSpec;
  config: ModelConfig;
  depth: number;
  /** The kinds of the fixture's ops (`step` left out: always explored): the alphabet of the finding's shape. */
  opKinds: OpKind[];
}

/** bench/minima.json's name for the search of a finding's fixed engine (the field `variant` names a variant otherwise). */
export const fixedRecordName = (finding: string): string => `fixed:${finding}`;

/** Findings (src/findings.ts, then fixtures/findings/*.json not named there) as fixed-engine searches. */
export function findingTargets(): FindingTarget[] {
  const out = FINDINGS.filter((f) => f.fixKnobs).map((f) => ({ name: f.id, fixture: f.fixture, fix: f.fixKnobs as Record<string, boolean> }));
  // Fixtures of findings not (yet) in src/findings.ts, with their fix knob as docs/properties.md names it.
  const extra: Record<string, Record<string, boolean>> = { 'global-asid-transition-unlazies': { globalAsidLazyFirst: true } };
  for (const [name, fix] of Object.entries(extra)) {
    const fixture = `fixtures/findings/${name}.json`;
    if (!out.some((t) => t.fixture === fixture) && fs.existsSync(path.join(ROOT, fixture))) out.push({ name, fixture, fix });
  }
  return out.map((t) => {
    const fx = JSON.parse(fs.readFileSync(path.join(ROOT, t.fixture), 'utf8')) as { engine: EngineSpec; config: ModelConfig; ops: Op[] };
    const opKinds = fixtureOpKinds(fx.ops);
    return { name: t.name, engine: fixedEngine(fx.engine, t.fix), config: fx.config, depth: fx.ops.length, opKinds };
  });
}

export function cleanAtFindingDepths(o: ReachOptions, seconds: number, recorded: Recorded): CleanAtDepth[] {
  return findingTargets().map((t) => {
    // A longer search recorded under today's code (bench/record-minimum.ts --finding) answers the row when it reached the depth.
    const rec = bestRecord(recorded.records, fixedRecordName(t.name), t.config, recorded.valid ?? recorded.fingerprint);
    if (rec !== undefined && rec.cleanTo >= t.depth) {
      return { name: t.name, engine: t.engine, config: t.config, depth: t.depth, result: 'clean', exit: 0, depthReached: rec.cleanTo, states: rec.states, seconds: rec.seconds, recorded: rec.command };
    }
    return fixedSearch(o, t, seconds);
  });
}

/**
 * The same searches with only the kinds of each fixture's ops (`--ops`): every interleaving of the
 * finding's shape, a proof of that alphabet only (docs/explore.md "Op alphabets").
 */
export function cleanOverFindingShapes(o: ReachOptions, seconds: number): CleanAtDepth[] {
  return findingTargets().map((t) => fixedSearch(o, t, seconds, t.opKinds));
}

function fixedSearch(o: ReachOptions, { name, engine, config, depth }: FindingTarget, seconds: number, opKinds?: OpKind[]): CleanAtDepth {
  const r = explore({
    engine,
    config,
    depth,
    maxSeconds: seconds,
    ...(opKinds ? { opKinds } : {}),
    onProgress: (p) => o.progress(`reach: ${name} fixed${opKinds ? ', its op kinds' : ''}, ${configText(config)} depth ${p.depth}/${depth}, ${compact(p.states)} states, ${p.seconds.toFixed(0)} s`),
  });
  return { name, engine, config, depth, result: r.result, exit: exitOf(r), depthReached: r.depthReached, states: r.states, seconds: r.seconds, projection: projectionOf(r), ...(opKinds ? { opKinds } : {}) };
}

export const CTXSW_CONFIG: ModelConfig = { cpus: 2, procs: 2, threads: 1, kthreads: 1 };

/**
 * ctxsw.tla's actions as op kinds (kernel-tla ctxsw.tla, Catalin Marinas), for the row that explores
 * what TLC explores on ctxsw.cfg: a thread's loop picks exec_mmap() of a fresh mm (`exec`),
 * exit_mm() (`exit`) or a paired mmget()/mmput() (`mmget_not_zero`, `mmput`: here another CPU's,
 * on a named mm); interrupt() calls schedule() (`preempt`: the timer interrupt's __schedule()), and
 * a thread starts by finish_task_switch() from the runqueue (`schedule`, the switch from kernel
 * mode). ctxsw.tla has no user mode; here exec and exit are system calls, so `syscall` and
 * `return_to_user` are in too. Nothing else: no fork, membarrier, TLB flush, temporary mm, kthread_use_mm, IPI or hotplug.
 */
export const CTXSW_TLA_OPS: readonly OpKind[] = ['schedule', 'preempt', 'syscall', 'return_to_user', 'exec', 'exit', 'mmget_not_zero', 'mmput'];

/**
 * The ctxsw.tla-sized rows: the correct x86/refcount engine on CTXSW_CONFIG to depth 20 within
 * `seconds`, with every op kind and with ctxsw.tla's actions only (CTXSW_TLA_OPS), one worker.
 */
export function ctxswRows(o: ReachOptions, seconds: number): CleanAtDepth[] {
  const { log } = o;
  const correct: EngineSpec = { arch: 'x86', strategy: 'refcount', knobs: findingFixKnobs('x86') };
  return [
    { name: 'ctxsw.tla-sized', opKinds: undefined },
    { name: 'ctxsw.tla-sized, its actions only', opKinds: CTXSW_TLA_OPS },
  ].map(({ name, opKinds }) => {
    const c = explore({
      engine: correct,
      config: CTXSW_CONFIG,
      depth: 20,
      maxSeconds: seconds,
      ...(opKinds ? { opKinds } : {}),
      onProgress: (p) => o.progress(`reach: ${name} ${configText(CTXSW_CONFIG)} depth ${p.depth}/20, ${compact(p.states)} states, ${p.seconds.toFixed(0)} s`),
    });
    const what = opKinds ? `ops ${opKinds.join(',')} only` : 'every op kind';
    const row: CleanAtDepth = { name, engine: correct, config: CTXSW_CONFIG, depth: 20, result: c.result, exit: exitOf(c), depthReached: c.depthReached, states: c.states, seconds: c.seconds, projection: projectionOf(c), ...(opKinds ? { opKinds: [...opKinds] } : {}) };
    log(`${name}: ${configText(CTXSW_CONFIG)} (2 CPUs, 3 tasks, 2 mms), correct x86/refcount, ${what}, depth 20 (target: clean in < 60 s): ${c.result}, depth completed ${c.depthReached} in ${c.seconds.toFixed(1)} s, ${compact(c.states)} states, ${compact(c.statesPerSecond)} states/s${projectionNote(row)}`);
    log(`  lazymm explore ${knobFlags(correct.knobs)} ${configFlags(CTXSW_CONFIG)} --depth 20 --max-seconds ${seconds}${opKinds ? ` --ops ${opKinds.join(',')}` : ''}`);
    return row;
  });
}

export function reachSection(o: ReachOptions): { variants: VariantReach[]; findings: CleanAtDepth[]; findingShapes: CleanAtDepth[]; ctxsw: CleanAtDepth[] } {
  const { log, quick } = o;
  const seeds = quick ? 3 : 10;
  const variantSeconds = quick ? 3 : 20;
  const findingSeconds = quick ? 5 : 30;
  const ctxswSeconds = quick ? 10 : 60;
  const fingerprint = codeFingerprint();
  const recorded: Recorded = { records: readMinimaRecords(), fingerprint, valid: validFingerprints(fingerprint, readCarries()) };

  log('');
  log(`Explorer reach: exhaustive minimum per variant (lazymm explore --variant V --depth L --max-seconds ${variantSeconds} on the smallest configuration its seeds shrank to; L the shortest shrunk length there) beside lazymm check --variant V --seed 1..${seeds}:`);
  log(`  ${'variant'.padEnd(40)} ${'config'.padEnd(8)} ${'caught'.padEnd(6)} ${'shrunk (this config)'.padEnd(22)} ${'exhaustive minimum'.padEnd(30)} =min   =own`);
  const variants = VARIANTS.map((v) => {
    const r = variantReach(v.id, o, seeds, variantSeconds, recorded);
    const min = `${r.minimum !== null ? `${r.minimum}${r.explore.found === null ? ' (L; L-1 clean)' : ''}` : `>= ${r.atLeast} (bound reached)`}${r.explore.recorded ? ' [minima.json]' : ''}`;
    log(`  ${r.id.padEnd(40)} ${configText(r.config).padEnd(8)} ${`${r.caught}/${r.seeds}`.padEnd(6)} ${(r.shrunk.join(',') || '-').padEnd(22)} ${`${min}, ${compact(r.explore.states)} st ${r.explore.seconds.toFixed(0)} s`.padEnd(30)} ${(r.minimum === null ? '-' : `${r.atMinimum}/${r.shrunk.length}`).padEnd(6)} ${r.minimum === null ? '-' : `${r.atOwnMinimum}/${r.caught}`}`);
    for (const m of r.ownMinima) log(`    also ${configText(m.config)}: shrunk ${m.shrunk.join(',')}, its minimum ${m.minimum ?? 'unknown'}, ${m.counted} counted`);
    const p = r.minimum === null && r.shrunk.length > 0 ? r.explore.projection : null;
    if (p) log(`    to prove ${Math.min(...r.shrunk)} minimal, clean to ${Math.min(...r.shrunk) - 1}: ${projectionSummary(p)}`);
    return r;
  });
  const known = variants.filter((r) => r.minimum !== null).length;
  const at9of10 = variants.filter((r) => r.minimum !== null && r.caught === r.seeds && r.atMinimum >= Math.ceil(0.9 * r.seeds)).length;
  const own9of10 = variants.filter((r) => r.minimum !== null && r.caught === r.seeds && r.atOwnMinimum >= Math.ceil(0.9 * r.seeds)).length;
  log(`  minimum known: ${known}/${variants.length} (target: all); shrunk length at the minimum in >= 9/10 of the seeds: ${at9of10}/${variants.length} (target >= 14/16 when there were 16)`);
  log(`  the same, each seed against its own configuration's minimum when no longer than the smallest's (=own): ${own9of10}/${variants.length}`);

  log(`Correct engines (every open finding's fix knob on) explored on each finding's fixture configuration to its op count (--max-seconds ${findingSeconds}), with every op kind, then only the fixture's (a proof of that shape only):`);
  const findings = cleanAtFindingDepths(o, findingSeconds, recorded);
  const findingShapes = cleanOverFindingShapes(o, findingSeconds);
  findings.forEach((f, i) => {
    for (const row of [f, findingShapes[i]]) {
      const name = row.opKinds ? `  only the fixture's ${row.opKinds.length} op kinds` : row.name;
      log(`  ${name.padEnd(40)} ${configText(row.config).padEnd(8)} depth ${String(row.depth).padStart(2)}: ${row.result === 'clean' ? 'CLEAN' : row.result}, exit ${row.exit}, depth completed ${row.depthReached}, ${compact(row.states)} states, ${row.seconds.toFixed(1)} s${row.recorded ? ' [minima.json]' : ''}${projectionNote(row)}`);
      log(`    ${row.recorded ?? `lazymm explore --arch ${row.engine.arch} --strategy ${row.engine.strategy} ${knobFlags(row.engine.knobs)} ${configFlags(row.config)} --depth ${row.depth} --max-seconds ${findingSeconds}${row.opKinds ? ` --ops ${row.opKinds.join(',')}` : ''}`}`);
    }
  });

  const ctxsw = ctxswRows(o, ctxswSeconds);
  return { variants, findings, findingShapes, ctxsw };
}
