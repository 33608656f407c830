/**
 * `lazymm explore`: bounded exhaustive search of one engine on one small configuration.
 *
 *   lazymm explore [--arch A] [--strategy S] [--variant V] [--knob k=v]... [--cpus N] [--procs N]
 *                  [--threads N] [--kthreads N] [--depth D] [--property P]... [--max-states N]
 *                  [--max-seconds N] [--workers N] [--por | --no-por] [--symmetry] [--no-settle-each-op] [--ops KIND,...]
 *                  [--as-is] [--record] [--fixtures-dir DIR] [--json]
 *
 * Exit status: 0 every interleaving of up to D ops is clean; 1 a counterexample (the shortest, as
 * ops and a timeline; with --record also a fixture); 2 bad input; 3 the search stopped at
 * --max-states/--max-seconds before the bound (not a proof).
 *
 * A variant is explored as `lazymm check` checks it (arbitraries/variant-check.ts: the fix knobs of
 * the open findings that cannot mask it, its own property, the differential base), so that the
 * minimum found here is the minimum of what `lazymm check --variant V` can report; --as-is explores
 * the bare variant with every property and no differential base.
 */
import type { ModelConfig } from '../engine/contract';
import { formatOp, type Op, type OpKind } from '../engine/ops';
import { createEngine } from '../engine/registry';
import { FixtureError, writeFixture } from '../fixtures/fixture';
import { renderOps, renderTimeline } from '../render/timeline';
import type { EngineSpec } from '../run/types';
import { replayOps } from '../../arbitraries';
import { variantCheckOptions } from '../../arbitraries/variant-check';
import { parseArgs, type FlagSpec } from '../cli/args';
import { engineId, engineSpecFromFlags, resolvedKnobs, selectProperties } from '../cli/engine-spec';
import { UsageError, describeCliError, parseIntInRange, parseNonNegativeInt, parsePositiveInt } from '../cli/errors';
import { explore, type ExploreOptions, type ExploreProgress, type ExploreResult } from './explore';
import { projectionOf, projectionText } from './projection';
import { exploreWorkers } from './parallel';
import { OpKindsError, parseOpKinds } from './op-kinds';
import { fixtureShape, shapeEngineFlags, type ExploreShape } from './shape-of';
import { toFixture } from './minimum';
import { checkRecordDir, recordDir } from '../cli/record';
import { compact, progressLine, progressWanted } from './progress';
import type { CliIo } from '../cli/io';
import { propertyById } from '../../properties';
import type { MirrorProperty } from '../../properties/lib/mirror-property';

/** What the command writes to (the CLI's io, or a test's). */
export type ExploreIo = Pick<CliIo, 'out' | 'err' | 'progress'>;

/** The smallest machine with a lazy-TLB race: two CPUs, one single-threaded process, no kthread. */
export const EXPLORE_DEFAULT_CONFIG: ModelConfig = { cpus: 2, procs: 1, threads: 1, kthreads: 0 };
export const EXPLORE_DEFAULT_DEPTH = 8;


export const EXPLORE_FLAGS: readonly FlagSpec[] = [
  { name: 'arch', kind: 'value', arg: 'ARCH', help: 'x86, powerpc or arm64 (default x86)' },
  { name: 'strategy', kind: 'value', arg: 'S', help: 'refcount, shootdown or hazard (default refcount)' },
  { name: 'variant', kind: 'value', arg: 'V', help: 'a named buggy variant (see `lazymm list`); implies its arch and strategy' },
  { name: 'knob', kind: 'list', arg: 'NAME=VALUE', help: 'set a knob of the arch (see `lazymm list`); repeatable' },
  { name: 'cpus', kind: 'value', arg: 'N', help: `CPUs, 1..8 (default ${EXPLORE_DEFAULT_CONFIG.cpus})` },
  { name: 'procs', kind: 'value', arg: 'N', help: `user processes at boot, 0..4 (default ${EXPLORE_DEFAULT_CONFIG.procs})` },
  { name: 'threads', kind: 'value', arg: 'N', help: `threads per process, 1..4 (default ${EXPLORE_DEFAULT_CONFIG.threads})` },
  { name: 'kthreads', kind: 'value', arg: 'N', help: `kernel threads, 0..3 (default ${EXPLORE_DEFAULT_CONFIG.kthreads})` },
  { name: 'depth', kind: 'value', arg: 'D', help: `most ops per interleaving (default ${EXPLORE_DEFAULT_DEPTH})` },
  { name: 'property', kind: 'list', arg: 'P', help: 'check only this property; repeatable (default: all that apply; a variant: its own)' },
  { name: 'max-states', kind: 'value', arg: 'N', help: 'stop after N distinct states (exit 3: not a proof)' },
  { name: 'max-seconds', kind: 'value', arg: 'N', help: 'stop after N seconds (exit 3: not a proof)' },
  { name: 'workers', kind: 'value', arg: 'N', help: 'worker threads expanding each level, 1..16 (default 1); the same result as one (docs/explore.md "Two workers"); not with --por' },
  { name: 'por', kind: 'switch', help: 'partial-order reduction (sleep sets, independence checked by the diamond): fewer transitions, same verdicts and minimum, not faster (docs/explore.md); default off' },
  { name: 'no-por', kind: 'switch', help: 'no partial-order reduction (the default)' },
  { name: 'symmetry', kind: 'switch', help: 'symmetry reduction: states equal up to a renaming of processes of one shape, threads of a process or kthreads are explored once; same verdicts and minimum (docs/explore.md); default off; not with --por' },
  { name: 'no-settle-each-op', kind: 'switch', help: 'settle the properties\' pending checks only at the next event of another CPU, as a random check does, not at every op boundary: the same verdicts and minimum in more states (docs/explore.md "Settling at op boundaries")' },
  { name: 'shape-of', kind: 'value', arg: 'FIXTURE', help: "explore an ops fixture's shape: its configuration, its ops' kinds (as --ops) and, unless --depth, its op count; on its engine unless --arch/--strategy/--variant (--knob replaces its knob values): is a fix clean over that counterexample's shape?" },
  { name: 'ops', kind: 'value', arg: 'KIND,...', help: 'explore only ops of these kinds (and step), e.g. schedule,preempt,exec,exit: a proof of that alphabet only (docs/explore.md "Op alphabets"); default every kind' },
  { name: 'as-is', kind: 'switch', help: 'with --variant: no fix knobs of the open findings, every property, no differential base' },
  { name: 'record', kind: 'switch', help: 'write the counterexample to fixtures/ (never over an existing file)' },
  { name: 'fixtures-dir', kind: 'value', arg: 'DIR', help: 'where --record writes (default: fixtures/ in the nearest folder above the working directory with a package.json)' },
  { name: 'json', kind: 'switch', help: 'print one JSON document instead of text' },
];

/** The engine, properties and differential base to explore (as `lazymm check` checks a variant). */
export function exploreTarget(spec: EngineSpec, properties: string[] | undefined, asIs: boolean): { engine: EngineSpec; properties?: string[]; differentialBase: EngineSpec | null } {
  if (spec.variant === undefined) return { engine: spec, differentialBase: null, ...(properties ? { properties } : {}) };
  if (asIs) return { engine: spec, differentialBase: null, ...(properties ? { properties } : {}) };
  const v = variantCheckOptions(spec.variant);
  const withUser = (e: EngineSpec): EngineSpec => ({ ...e, knobs: { ...(e.knobs ?? {}), ...(spec.knobs ?? {}) } });
  return {
    engine: withUser(v.engine),
    differentialBase: v.differentialBase ? withUser(v.differentialBase) : null,
    ...(properties ? { properties } : v.properties ? { properties: v.properties } : {}),
  };
}

const configText = (c: ModelConfig): string => `cpus=${c.cpus} procs=${c.procs} threads=${c.threads} kthreads=${c.kthreads}`;

/** The `--json` document. */
export function exploreJson(r: ExploreResult, fixture?: string, shape?: ExploreShape): Record<string, unknown> {
  const cx = r.counterexample;
  return {
    engine: r.engine,
    arch: r.spec.arch,
    strategy: r.spec.strategy,
    variant: r.spec.variant ?? null,
    knobs: resolvedKnobs(r.spec),
    config: r.config,
    depth: r.depth,
    properties: r.properties,
    differentialBase: r.differentialBase,
    result: r.result,
    depthReached: r.depthReached,
    exhausted: r.exhausted,
    states: r.states,
    transitions: r.transitions,
    sharedViolations: r.sharedViolations,
    seconds: r.seconds,
    statesPerSecond: r.statesPerSecond,
    transitionsPerSecond: r.transitionsPerSecond,
    levels: r.levels,
    por: r.por ?? null,
    opKinds: r.opKinds ?? null,
    shapeOf: shape ? { fixture: shape.file, ops: shape.depth } : null,
    symmetry: r.symmetry ?? null,
    warnings: r.warnings,
    projection: projectionOf(r),
    ...(cx
      ? {
          counterexample: {
            property: cx.violation.property,
            clause: cx.violation.clause,
            eventIndex: cx.violation.index,
            message: cx.violation.message,
            opCount: cx.ops.length,
            ops: cx.ops,
          },
        }
      : {}),
    ...(fixture !== undefined ? { fixture } : {}),
  };
}

/** The text report (lines). */
export function exploreText(r: ExploreResult, fixture?: string, shape?: ExploreShape): string[] {
  const knobs = Object.entries(r.spec.knobs ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(' ');
  const lines = [
    `lazymm explore ${r.engine}${knobs ? ` (${knobs})` : ''} on ${configText(r.config)}, every interleaving of up to ${r.depth} ops`,
    `properties: ${r.properties.join(', ')}`,
  ];
  if (shape) lines.push(`shape of ${shape.file}: its configuration and the kinds of its ${shape.depth} ops`);
  if (r.opKinds) lines.push(`ops: only ${r.opKinds.join(', ')} (and step): a clean result says nothing about interleavings with other ops`);
  if (r.differentialBase) lines.push(`a violation counts only if ${engineId(r.differentialBase)} replaying the same ops does not share it (differential base)`);
  lines.push('', '  depth  new states  transitions');
  for (const l of r.levels) lines.push(`  ${String(l.depth).padStart(5)}  ${String(l.states).padStart(10)}  ${String(l.transitions).padStart(11)}`);
  lines.push(
    '',
    `${r.states} distinct states, ${r.transitions} transitions, ${r.seconds.toFixed(2)} s: ${compact(r.statesPerSecond)} states/s, ${compact(r.transitionsPerSecond)} transitions/s` +
      (r.sharedViolations ? `; ${r.sharedViolations} violations shared with the base (branches ended)` : ''),
  );
  if (r.por) lines.push(`partial-order reduction (sleep sets): ${r.por.pruned} transitions skipped; ${r.por.diamonds} diamonds computed, ${r.por.independent} independent`);
  if (r.symmetry) lines.push(`symmetry reduction: a group of order ${r.symmetry.order}${r.symmetry.order === 1 ? ' (no interchangeable processes, threads or kthreads: nothing to reduce)' : ''}`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  const cx = r.counterexample;
  if (r.result === 'clean') {
    lines.push(
      r.exhausted
        ? `result: CLEAN: every reachable state was explored by depth ${r.depthReached} (no new state after it): clean at any depth${r.opKinds ? ' with these ops' : ''}`
        : `result: CLEAN to depth ${r.depth}: no interleaving of up to ${r.depth} ${r.opKinds ? 'ops of these kinds' : 'ops'} violates a property`,
    );
  } else if (r.result === 'truncated') {
    lines.push(`result: INCOMPLETE: stopped by --max-states/--max-seconds; every interleaving of up to ${r.depthReached} ops is clean (not a proof at depth ${r.depth})`);
    const p = projectionOf(r);
    if (p !== null) lines.push(projectionText(p, r.depth));
  } else if (cx) {
    const v = cx.violation;
    lines.push(
      `result: COUNTEREXAMPLE: ${v.property} ${v.clause} at event ${v.index}, ${cx.ops.length} ops, the shortest: every interleaving of up to ${cx.ops.length - 1} ops${r.opKinds ? ' of these kinds' : ''} is clean`,
      '',
      `Ops (${cx.ops.length}):`,
      renderOps(cx.ops),
      '',
    );
    try {
      const { events } = replayOps(createEngine(r.spec), r.config, cx.ops);
      lines.push(renderTimeline(events, { highlight: v.events, violation: { index: v.index, message: v.message, property: v.property, clause: v.clause } }));
    } catch (err) {
      lines.push(v.message, `(no timeline: the replay throws: ${(err as Error).message})`);
    }
    if (fixture) lines.push('', `recorded: ${fixture}`);
  }
  return lines;
}

/**
 * `lazymm explore`: returns the exit status (0 clean, 1 counterexample, 2 bad input, 3 incomplete);
 * a promise of it with --workers above 1.
 */
export function exploreCommand(argv: readonly string[], io: ExploreIo): number | Promise<number> {
  const a = parseArgs('explore', argv, EXPLORE_FLAGS);
  const shape = a.values.has('shape-of') ? fixtureShape(a.values.get('shape-of') ?? '') : undefined;
  const engineFlags = { arch: a.values.get('arch'), strategy: a.values.get('strategy'), variant: a.values.get('variant'), knobs: a.lists.get('knob') };
  const given = engineSpecFromFlags(shape ? shapeEngineFlags(shape, engineFlags) : engineFlags);
  const config: ModelConfig = { ...(shape?.config ?? EXPLORE_DEFAULT_CONFIG) };
  for (const [name, lo, hi] of [['cpus', 1, 8], ['procs', 0, 4], ['threads', 1, 4], ['kthreads', 0, 3]] as const) {
    if (a.values.has(name) && shape) throw new UsageError(`--${name} and --shape-of: the configuration is ${shape.file}'s (drop --${name})`);
    if (a.values.has(name)) config[name] = parseIntInRange(`--${name}`, a.values.get(name), lo, hi);
  }
  const depth = a.values.has('depth') ? parseNonNegativeInt('--depth', a.values.get('depth')) : (shape?.depth ?? EXPLORE_DEFAULT_DEPTH);
  const maxStates = a.values.has('max-states') ? parsePositiveInt('--max-states', a.values.get('max-states')) : undefined;
  const maxSeconds = a.values.has('max-seconds') ? parsePositiveInt('--max-seconds', a.values.get('max-seconds')) : undefined;
  if (a.switches.has('as-is') && !a.values.has('variant')) throw new UsageError('--as-is: only with --variant V (it explores a variant without the fix knobs and the differential base)');
  const dir = recordDir(a.values);
  checkRecordDir(dir, a.switches.has('record'), a.values.has('fixtures-dir') ? '--fixtures-dir' : '--record');
  const json = a.switches.has('json');
  if (a.switches.has('por') && a.switches.has('no-por')) throw new UsageError('--por and --no-por: give one of them');
  const por = a.switches.has('por');
  const workers = a.values.has('workers') ? parseIntInRange('--workers', a.values.get('workers'), 1, 16) : 1;
  if (workers > 1 && por) throw new UsageError('--workers and --por: the partial-order reduction runs with one worker only');
  const symmetry = a.switches.has('symmetry');
  if (a.values.has('ops') && shape) throw new UsageError(`--ops and --shape-of: the op kinds are those of ${shape.file}'s ops (drop --ops)`);
  const opKinds = a.values.has('ops') ? parseOpKindsFlag(a.values.get('ops') ?? '') : shape?.opKinds;
  if (symmetry && por) throw new UsageError('--symmetry and --por: give one of them (the sleep sets are computed on the actual states)');
  const props = a.lists.has('property') ? selectProperties(a.lists.get('property') ?? [], given, config).map((p) => p.id) : undefined;
  const target = exploreTarget(given, props, a.switches.has('as-is'));
  if (symmetry) checkSymmetricProperties(target.properties ?? selectProperties([], target.engine, config).map((p) => p.id));

  const bar = progressLine((s) => io.err(s), io.progress ?? progressWanted(json));
  const level = { depth: -1, startedAt: 0 };
  /** Time left: of this level (its frontier expanded at the rate so far), and before --max-seconds stops the search. */
  const timeLeft = (p: ExploreProgress): string => {
    if (p.depth !== level.depth) Object.assign(level, { depth: p.depth, startedAt: p.seconds });
    const spent = p.seconds - level.startedAt;
    const inLevel = p.expanded > 0 ? (spent / p.expanded) * (p.frontier - p.expanded) : null;
    const parts = [inLevel === null ? null : `level ~${inLevel.toFixed(0)} s left`, maxSeconds === undefined ? null : `stops in ${Math.max(0, maxSeconds - p.seconds).toFixed(0)} s`];
    return parts.filter(Boolean).join(', ');
  };
  const exploreOptions: ExploreOptions = {
    engine: target.engine,
    config,
    depth,
    properties: target.properties,
    differentialBase: target.differentialBase,
    maxStates,
    maxSeconds,
    por,
    symmetry,
    ...(opKinds !== undefined ? { opKinds } : {}),
    ...(a.switches.has('no-settle-each-op') ? { settleEachOp: false } : {}),
    onProgress: (p) =>
      bar.update(`explore depth ${p.depth}/${depth}: ${p.expanded}/${p.frontier} nodes expanded, ${compact(p.states)} states, ${compact(p.transitions)} transitions, ${compact(p.states / Math.max(p.seconds, 1e-9))} states/s, ${p.seconds.toFixed(1)} s; ${timeLeft(p)}`),
  };
  const report = (r: ExploreResult): number => exploreReport(r, { argv, io, dir, json, record: a.switches.has('record'), engine: target.engine, config, ...(shape ? { shape } : {}) });
  if (workers > 1) {
    return exploreWorkers(exploreOptions, workers)
      .finally(() => bar.done())
      .then(report, (err: unknown) => {
        const { exitCode, text } = describeCliError(err);
        io.err(`${text}\n`);
        return exitCode;
      });
  }
  let r: ExploreResult;
  try {
    r = explore(exploreOptions);
  } finally {
    bar.done();
  }
  return report(r);
}

/** Record (--record) and print the result; the exit status. */
function exploreReport(
  r: ExploreResult,
  c: { argv: readonly string[]; io: ExploreIo; dir: string; json: boolean; record: boolean; engine: EngineSpec; config: ModelConfig; shape?: ExploreShape },
): number {
  const { argv, io, dir, json, config } = c;
  let fixture: string | undefined;
  if (r.counterexample && c.record) {
    try {
      fixture = writeFixture(dir, toFixture(c.engine, config, r.counterexample, { argv: ['explore', ...argv], dir }));
    } catch (err) {
      if (!(err instanceof FixtureError)) throw err;
      io.err(`lazymm: not recorded: ${err.message.split('\n')[0]}\n`);
    }
  }
  if (json) io.out(`${JSON.stringify(exploreJson(r, fixture, c.shape), null, 2)}\n`);
  else io.out(`${exploreText(r, fixture, c.shape).join('\n')}\n`);
  return r.result === 'clean' ? 0 : r.result === 'counterexample' ? 1 : 3;
}

/** --ops: the alphabet, or a UsageError naming the flag, the entry and the kinds there are. */
function parseOpKindsFlag(text: string): OpKind[] {
  try {
    return parseOpKinds(text);
  } catch (err) {
    if (err instanceof OpKindsError) throw new UsageError(`--ops: ${err.message}`);
    throw err;
  }
}

/** --symmetry: every property must rename names in its key (MirrorProperty.symmetricKey), else a UsageError naming them. */
function checkSymmetricProperties(ids: readonly string[]): void {
  const refused = ids.filter((id) => (propertyById(id) as Partial<MirrorProperty> | undefined)?.symmetricKey !== true);
  if (refused.length > 0) throw new UsageError(`--symmetry: properties ${refused.join(', ')} do not rename task and mm names in their state key (MirrorProperty.symmetricKey); explore them without --symmetry`);
}

/** One line per op (for logs): `cpu0 preempt(next=idle0); cpu0 step; ...`. */
export const opsLine = (ops: readonly Op[]): string => ops.map(formatOp).join('; ');
