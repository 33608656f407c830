/**
 * Bounded exhaustive search: breadth-first over every interleaving of a small configuration (every
 * enabled op at every state) up to `depth` ops, checking every property on every transition, with
 * state hashing. The ground truth that random search and shrinking are measured against, and a
 * proof of absence at that bound for a correct engine.
 *
 * - A node is (kernel state, property monitor state). Its key (./canonical.ts, ./monitor.ts, and
 *   every property's own MirrorHooks.key()) covers the kernel state with live IPI/call ids renamed,
 *   the real trace mirror, and each property's state with trace indices written relative to what
 *   they are compared with; the visited set holds 64-bit fingerprints (./fingerprint.ts).
 *   docs/explore.md says exactly what and why it is sound.
 * - Monitors are data (MirrorHooks.clone()): every transition (N, op) is checked by a clone of N's
 *   monitors fed op's events, then `finish()` on that clone (the trace ending there: the leak checks
 *   at quiescence). Frontier nodes are expanded in BFS order, which keeps siblings and cousins
 *   together, so a stack of (state, monitors, validator) along the current path is reused between
 *   them: O(1) amortised clones per node.
 * - BFS order makes the first counterexample found the shortest in ops, and the search is
 *   deterministic (the engine lists enabled ops in a fixed order): the same options always give the
 *   same counterexample.
 * - For a variant, a violation counts only if the base engine does not share it on the same ops
 *   (runCheck's differential criterion, ./differential.ts); a transition with a shared violation
 *   ends that branch (as it ends a random run), and is counted in `sharedViolations`.
 */
import type { Engine, ModelConfig } from '../engine/contract';
import { createEngine } from '../engine/build';
import type { Op, OpKind } from '../engine/ops';
import type { KernelState } from '../engine/state';
import type { EngineSpec } from '../run/types';
import type { InitEvent, TraceEvent } from '../trace/events';
import { formatRuleProblem, TraceValidator, type RuleProblem } from '../trace/trace-validator';
import { allProperties, propertyById, type Property, type Violation } from '../../properties';
import { cloneJson, kernelFingerprint, kernelKeyChecked, newRenamings } from './canonical';
import { VisitedSet } from './fingerprint';
import { copyKernelState } from './kernel-copy';
import { shareKernelState } from './kernel-share';
import { kernelRecordFingerprint } from './record-hash';
import { ownViolationFor } from './differential';
import { ExploreMonitor, mirrorPropertiesOf, unknownMirrorFields } from './monitor';
import { SleepSets, type PorStats, type Snapshot } from './sleep-sets';
import { symmetricKey, symmetryGroup, type SymmetryGroup } from './symmetry';
import { opKindFilter } from './op-kinds';
import type { MirrorProperty } from '../../properties/lib/mirror-property';

export interface ExploreProgress {
  /** The level being generated (number of ops of the transitions being checked). */
  depth: number;
  /** Frontier nodes of the previous level expanded so far, of `frontier`. */
  expanded: number;
  frontier: number;
  states: number;
  transitions: number;
  seconds: number;
}

export interface ExploreOptions {
  engine: EngineSpec;
  config: ModelConfig;
  /** Most ops per interleaving (the bound). */
  depth: number;
  /** Property ids (default: every property that applies to the engine). */
  properties?: string[];
  /** Stop (result `truncated`) once this many distinct states were found. */
  maxStates?: number;
  /** Stop (result `truncated`) after this many seconds, checked between transitions. */
  maxSeconds?: number;
  /**
   * Differential base for a variant (see ./differential.ts): default the variant's base with the
   * same knobs, as runCheck; null: every violation counts.
   */
  differentialBase?: EngineSpec | null;
  /**
   * Stop at the first counterexample (default true). false: record the first (shortest) one, count
   * every violating transition in `violations`, end those branches, and go on to the bound.
   */
  stopOnViolation?: boolean;
  /** Merge states with equal keys (default true). false: the plain tree of interleavings (for validation). */
  merge?: boolean;
  /**
   * Partial-order reduction: sleep sets over ops of different CPUs, independence decided by the
   * diamond on the full state key (./sleep-sets.ts; default false: it saves transitions of the
   * search, not time, docs/explore.md). Verdicts and the minimum are those of the unreduced search.
   */
  por?: boolean;
  /**
   * End every property monitor's atomic step at every op boundary (default true; ./monitor.ts
   * ExploreMonitor.endOp()), instead of at the next event of another CPU: a pending check runs at
   * once, so states that differ only in which checks are pending (refcount-balance's holder check,
   * tlb-coherence's marked CPUs, and the CPU whose step they settle with) get one key. Every such
   * check already ran at the node (finish() settles the step), so no violation is found earlier;
   * verdicts and per-clause minima equal the `false` search's (docs/explore.md "Settling at op
   * boundaries"; test/explore/settle-each-op.test.ts).
   */
  settleEachOp?: boolean;
  /**
   * Symmetry reduction (./symmetry.ts; default false): states equal up to a renaming of the initial
   * processes of one shape, of the threads of a process, or of the kthreads get one key. Verdicts
   * and the minimum are those of the unreduced search; nodes stay the actual states, so a
   * counterexample is a real op list. Every selected property must declare `symmetricKey`; not with `por` or `opFilter`.
   */
  symmetry?: boolean;
  /** Called about every 2000 transitions and at the end of every level. */
  onProgress?: (p: ExploreProgress) => void;
  /**
   * Called when a transition reaches a state whose key was seen (with merge on): the ops of the
   * kept state and of the merged one. For soundness tests (test/explore-long/merge-soundness.test.ts).
   * With `symmetry` the merged state may be a renaming of the kept one (test/explore/symmetric-merge-check.ts).
   */
  onMerge?: (kept: Op[], merged: Op[]) => void;
  /** Called for every violating transition that counts (with stopOnViolation false: all of them). */
  onViolation?: (ops: Op[], violation: Violation) => void;
  /**
   * Explore only the enabled ops this accepts (a guided search, for example within the op alphabet
   * of a known counterexample). The result is then not a proof of anything beyond that alphabet:
   * `filtered` is set and `exhausted`/`clean` speak of the filtered graph only.
   */
  opFilter?: (op: Op) => boolean;
  /**
   * Explore only ops of these kinds, and `step` (./op-kinds.ts; `lazymm explore --ops`): a proof of
   * that alphabet only (`filtered`, `opKinds` set), but, naming no task, mm or CPU, it works with
   * symmetry reduction and worker threads, which `opFilter` does not.
   */
  opKinds?: readonly OpKind[];
  /**
   * Build the engine from the spec with this instead of the registry (an engine mutant's own
   * registry, src/mutants/loader.ts). The differential base is still built by the registry.
   */
  engineFactory?: (spec: EngineSpec) => Engine<KernelState>;
  /** Keep the full state keys as well as their 64-bit fingerprints and throw on a collision (tests; memory-hungry). */
  checkCollisions?: boolean;
  /** Replay on the differential base aligned modulo path lengths (default: as runCheck decides for the spec). */
  differentialAlign?: boolean;
  /**
   * Copy-on-write kernel states (default true; not with `engineFactory`): a child shares its
   * parent's task and mm records until the op copies them (./kernel-share.ts), and the kernel part
   * of the key is composed of cached per-record hashes (./record-hash.ts). false: every transition
   * copies the whole state and hashes it whole (the explorer before it).
   */
  cow?: boolean;
  /**
   * Tests: deep-freeze every state before a child shares its records (a write through a stale
   * record reference throws) and recompute every cached record hash (a stale one throws).
   */
  freezeShared?: boolean;
}

export interface ExploreCounterexample {
  ops: Op[];
  violation: Violation;
}

export interface ExploreLevel {
  depth: number;
  /** New distinct states found at this depth (with merge off: nodes). */
  states: number;
  /** Transitions checked into this depth. */
  transitions: number;
}

export interface ExploreResult {
  engine: string;
  spec: EngineSpec;
  config: ModelConfig;
  properties: string[];
  /** The bound asked for. */
  depth: number;
  /** `clean`: no violation in any interleaving of up to `depth` ops; `truncated`: maxStates/maxSeconds hit first. */
  result: 'clean' | 'counterexample' | 'truncated';
  /** Every interleaving of up to this many ops was checked (for a counterexample: its length minus one). */
  depthReached: number;
  /** No new state at some depth <= `depth`: every reachable state was explored (clean at any depth). */
  exhausted: boolean;
  /** Distinct states (nodes) found, the initial state included. */
  states: number;
  transitions: number;
  /** Violations the differential base shares (branches ended, not counterexamples). */
  sharedViolations: number;
  /** Violating transitions (counterexamples) found; more than 1 only with stopOnViolation false. */
  violations: number;
  seconds: number;
  statesPerSecond: number;
  transitionsPerSecond: number;
  levels: ExploreLevel[];
  merge: boolean;
  /** The differential base used, if any. */
  differentialBase: EngineSpec | null;
  /** Hash-coverage warnings (mirror fields the key does not know); empty when the key is sound as documented. */
  warnings: string[];
  /** An opFilter or opKinds restricted the search: clean or exhausted say nothing about the other ops. */
  filtered: boolean;
  /** With `opKinds`: the alphabet explored (sorted; `step` implied). */
  opKinds?: OpKind[];
  /** With `por`: sleep-set counts (ops pruned, diamonds computed, independent pairs). */
  por?: PorStats;
  /** With `symmetry`: the order of the symmetry group used (1: the configuration has none). */
  symmetry?: { order: number };
  counterexample?: ExploreCounterexample;
}

/** The properties `ids` names (all applicable when undefined), filtered by appliesTo(init). */
export function selectExploreProperties(ids: readonly string[] | undefined, init: InitEvent): Property[] {
  if (ids === undefined || ids.length === 0) return allProperties.filter((p) => p.appliesTo(init));
  return ids.map((id) => {
    const p = propertyById(id);
    if (!p) throw new Error(`explore: unknown property "${id}" (known: ${allProperties.map((x) => x.id).join(', ')})`);
    if (!p.appliesTo(init)) throw new Error(`explore: property "${id}" does not apply to this engine`);
    return p;
  });
}

interface StackEntry {
  node: number;
  state: KernelState;
  /** Events of the op that led here (root: the boot events after init). */
  events: TraceEvent[];
  /** The property monitors after those events (cloned for every transition out of this node). */
  monitor: ExploreMonitor;
  /** The trace validator after those events. */
  validator: TraceValidator;
  /** Index of the next event (events of the path so far, init included). */
  nextIndex: number;
}

/** An exception thrown by the engine or a checker: reported as a failure of the engine contract. */
export function contractViolation(engineId: string, ops: readonly Op[], index: number, err: unknown): Violation {
  const message = err instanceof Error ? err.message : String(err);
  return {
    property: 'engine-contract',
    clause: 'apply() threw on an enabled op',
    index,
    mm: null,
    cpus: [],
    message: `engine ${engineId} threw at op ${ops.length - 1}: ${message}`,
    events: [],
  };
}

/** The engine emitted an event that breaks the trace format (src/trace/trace-validator.ts). */
export function invalidEventViolation(engineId: string, ops: readonly Op[], index: number, problem: RuleProblem): Violation {
  return {
    property: 'engine-contract',
    clause: `emitted an invalid event (rule ${problem.rule})`,
    index,
    mm: null,
    cpus: [],
    message: `engine ${engineId} emitted an invalid event ${index} (from ${ops.length === 0 ? 'init()' : `op ${ops.length - 1}`}): ${formatRuleProblem(problem)}`,
    events: [],
  };
}

export function explore(options: ExploreOptions): ExploreResult {
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const { config, depth } = options;
  if (!Number.isInteger(depth) || depth < 0) throw new Error(`explore: depth must be a non-negative integer (got ${depth})`);
  const merge = options.merge ?? true;
  const settleEachOp = options.settleEachOp ?? true;
  const stopOnViolation = options.stopOnViolation ?? true;
  const engine = (options.engineFactory ?? createEngine)(options.engine);
  const boot = engine.init(config);
  const init = boot.events[0] as InitEvent;
  const bootEvents = boot.events.slice(1);
  const properties = selectExploreProperties(options.properties, init);
  const { mirror: mirrorProps, other } = mirrorPropertiesOf(properties);
  if (other.length > 0) {
    throw new Error(`explore: properties ${other.map((p) => p.id).join(', ')} are not mirror-based; the explorer cannot hash their state`);
  }
  const group = options.symmetry ? symmetryGroupFor(options, boot.state, mirrorProps) : null;
  const { base, own } = ownViolationFor(options.engine, options.differentialBase, options.differentialAlign);
  const warnings: string[] = [];
  const kindAllowed = options.opKinds !== undefined ? opKindFilter(options.opKinds) : null;

  const result: ExploreResult = {
    engine: engine.info.id,
    spec: options.engine,
    config,
    properties: properties.map((p) => p.id),
    depth,
    result: 'clean',
    depthReached: 0,
    exhausted: false,
    states: 1,
    transitions: 0,
    sharedViolations: 0,
    violations: 0,
    seconds: 0,
    statesPerSecond: 0,
    transitionsPerSecond: 0,
    levels: [{ depth: 0, states: 1, transitions: 0 }],
    merge,
    differentialBase: base,
    warnings,
    filtered: options.opFilter !== undefined || options.opKinds !== undefined,
    ...(options.opKinds !== undefined ? { opKinds: [...options.opKinds].sort() } : {}),
    ...(group !== null ? { symmetry: { order: group.order } } : {}),
  };
  const done = (r: ExploreResult['result']): ExploreResult => finishResult(result, r, elapsed());

  // Node store: parent and op per node; node 0 is the initial state.
  const parent: number[] = [-1];
  const opOf: (Op | null)[] = [null];
  const seen = new VisitedSet(options.checkCollisions ?? false);
  const kernelTexts = options.checkCollisions ? new Map<string, string>() : null;
  const mirrorTexts = options.checkCollisions ? new Map<string, string>() : null;
  // An engine mutant's state may hold fields the shape-aware copy does not know, and its own Kctx
  // does not copy on access: copy it generically.
  const cow = options.engineFactory === undefined && (options.cow ?? true);
  const freeze = options.freezeShared === true;
  const copyState: (s: KernelState) => KernelState = options.engineFactory ? cloneJson : cow ? (s) => shareKernelState(s, freeze) : copyKernelState;
  const recordHashes = options.checkCollisions && cow ? new RecordHashCheck() : null;
  /** The key of a state; destructive (renames ids in place) unless `cow`: give it a scratch state. */
  const stateKey = (scratch: KernelState, m: ExploreMonitor, parentState?: KernelState): string[] => {
    if (group !== null && group.order > 1) return symmetricKey(scratch, m, group, kernelTexts !== null && mirrorTexts !== null ? { kernel: kernelTexts, mirror: mirrorTexts } : undefined).key;
    const ids = newRenamings();
    if (kernelTexts === null || mirrorTexts === null) return [cow ? kernelRecordFingerprint(scratch, ids, freeze, parentState) : kernelFingerprint(scratch, ids), m.hashedKey(ids)];
    if (recordHashes === null) return [kernelKeyChecked(scratch, ids, kernelTexts), m.keyChecked(ids, mirrorTexts)];
    const h = kernelRecordFingerprint(scratch, ids, true);
    const text = kernelKeyChecked(copyKernelState(scratch), ids, kernelTexts);
    recordHashes.check(h, text);
    return [text, m.keyChecked(ids, mirrorTexts)];
  };
  const pathOf = (n: number): Op[] => {
    const out: Op[] = [];
    for (; n !== 0; n = parent[n]) out.push(opOf[n] as Op);
    return out.reverse();
  };

  const accept = (ops: Op[], v: Violation): boolean => v.property === 'engine-contract' || own === null || own(config, ops, v);

  // Depth 0: the initial state (the start checks, and the trace that ends at once). The engine's
  // output is validated (src/trace/trace-validator.ts, the fast schema check and the semantic rules).
  const bootValidator = new TraceValidator({ schema: 'fast' });
  for (let i = 0; i < boot.events.length; i++) {
    const problem = bootValidator.check(boot.events[i], i)[0];
    if (problem !== undefined) {
      result.counterexample = { ops: [], violation: invalidEventViolation(engine.info.id, [], i, problem) };
      return done('counterexample');
    }
  }
  const rootMonitor = new ExploreMonitor(init, mirrorProps, undefined, settleEachOp);
  {
    const m = rootMonitor;
    m.observe(init, 0);
    let v: Violation | undefined;
    let idx = 1;
    for (const ev of bootEvents) {
      v ??= m.observe(ev, idx++)[0];
      if (v) break;
    }
    v ??= m.endOp()[0];
    for (const f of unknownMirrorFields(m.mirror)) warnings.push(`the state key does not cover mirror field ${f}`);
    if (!v && merge) seen.getOrAdd(stateKey(cloneJson(boot.state), m), 0);
    v ??= m.clone().finish()[0];
    if (v && accept([], v)) {
      result.violations++;
      options.onViolation?.([], v);
      result.counterexample = { ops: [], violation: v };
      if (stopOnViolation) return done('counterexample');
    } else if (v) result.sharedViolations++;
  }
  const root: StackEntry = { node: 0, state: boot.state, events: bootEvents, monitor: rootMonitor, validator: bootValidator, nextIndex: boot.events.length };
  const apply = engine.apply.bind(engine);
  const sleepSets = options.por ? new SleepSets(engine, (x: Snapshot) => stateKey(cow ? x.state : copyState(x.state), x.monitor)) : null;
  if (sleepSets !== null) result.por = sleepSets.stats;

  let level: number[] = [0];
  const stack: StackEntry[] = [root];
  let lastProgress = 0;
  const progress = (d: number, expanded: number, frontier: number) =>
    options.onProgress?.({ depth: d, expanded, frontier, states: result.states, transitions: result.transitions, seconds: elapsed() });

  for (let d = 0; d < depth; d++) {
    const next: number[] = [];
    /** The first node of the level being built (sleep sets of nodes from here on can still shrink). */
    const levelStart = parent.length;
    const info: ExploreLevel = { depth: d + 1, states: 0, transitions: 0 };
    result.levels.push(info);
    for (let li = 0; li < level.length; li++) {
      const node = level[li];
      syncStack(stack, node, parent, opOf, apply, copyState, freeze);
      const here = stack[stack.length - 1];
      const pathOps = stack.slice(1).map((e) => opOf[e.node] as Op);
      let enabled: Op[];
      try {
        enabled = engine.enabled(here.state);
      } catch (err) {
        result.counterexample = { ops: pathOps, violation: contractViolation(engine.info.id, pathOps, 0, err) };
        return done('counterexample');
      }
      sleepSets?.begin(node, here);
      for (const op of enabled) {
        if (kindAllowed !== null && !kindAllowed(op)) continue;
        if (options.opFilter !== undefined && !options.opFilter(op)) continue;
        if (sleepSets !== null && sleepSets.isAsleep(op)) continue;
        if ((result.transitions & 63) === 0) {
          if (options.maxSeconds !== undefined && elapsed() > options.maxSeconds) return done(result.counterexample ? 'counterexample' : 'truncated');
          if (result.transitions - lastProgress >= 2048) {
            lastProgress = result.transitions;
            progress(d + 1, li, level.length);
          }
        }
        result.transitions++;
        info.transitions++;
        const ops = [...pathOps, op];
        const child = copyState(here.state);
        let v: Violation | undefined;
        let key: string[] | null = null;
        let snap: Snapshot | null = null;
        try {
          const evs = engine.apply(child, op);
          const output = here.validator.clone();
          const first = here.nextIndex;
          for (let i = 0; i < evs.length && v === undefined; i++) {
            const problem = output.check(evs[i], first + i)[0];
            if (problem !== undefined) v = invalidEventViolation(engine.info.id, ops, first + i, problem);
          }
          if (v === undefined) {
            const m = here.monitor.clone(freeze);
            let idx = first;
            for (const ev of evs) {
              v = m.observe(ev, idx++)[0];
              if (v) break;
            }
            v ??= m.endOp()[0];
            if (!v && sleepSets !== null) snap = { state: cloneJson(child), monitor: m.clone(), validator: output, nextIndex: idx };
            if (!v && merge) key = stateKey(child, m, here.state);
            v ??= m.finish()[0];
          }
        } catch (err) {
          v = contractViolation(engine.info.id, ops, 0, err);
        }
        if (v) {
          if (accept(ops, v)) {
            result.violations++;
            options.onViolation?.(ops, v);
            result.counterexample ??= { ops, violation: v };
            if (stopOnViolation) {
              result.depthReached = d;
              return done('counterexample');
            }
          } else result.sharedViolations++;
          continue;
        }
        const kept = key !== null ? seen.getOrAdd(key, parent.length) : -1;
        // The child's sleep set (POR): only for a child that will be expanded, directly or as the
        // node of this level it merges with.
        const z = sleepSets?.childSleep(op, v ? null : snap, !v && d + 1 < depth && (kept < 0 || kept >= levelStart));
        if (kept >= 0) {
          options.onMerge?.(pathOf(kept), ops);
          if (z !== undefined && kept >= levelStart) sleepSets?.intersect(kept, z);
          continue;
        }
        if (z !== undefined) sleepSets?.set(parent.length, z);
        parent.push(node);
        opOf.push(op);
        next.push(parent.length - 1);
        result.states++;
        info.states++;
        if (options.maxStates !== undefined && result.states >= options.maxStates) return done(result.counterexample ? 'counterexample' : 'truncated');
      }
    }
    result.depthReached = d + 1;
    progress(d + 1, level.length, level.length);
    if (next.length === 0) {
      result.exhausted = true;
      break;
    }
    level = next;
  }
  return done(result.counterexample ? 'counterexample' : 'clean');
}

/**
 * checkCollisions with copy-on-write states: the record-composed kernel hash (./record-hash.ts)
 * against the JSON text of the key, both ways: no two texts share a hash, no text gets two hashes
 * (a stale cached record hash).
 */
class RecordHashCheck {
  private readonly textOf = new Map<string, string>();
  private readonly hashOf = new Map<string, string>();
  check(hash: string, text: string): void {
    const t = this.textOf.get(hash);
    if (t !== undefined && t !== text) throw new Error(`explore: record hash collision (${hash}) between two different kernel states`);
    const h = this.hashOf.get(text);
    if (h !== undefined && h !== hash) throw new Error(`explore: one kernel state got two record hashes (${h}, ${hash}): a stale cached hash`);
    this.textOf.set(hash, text);
    this.hashOf.set(text, hash);
  }
}

/**
 * The symmetry group for `options.symmetry` (./symmetry.ts), after checking that the search can
 * use it: not with `por` (sleep sets are computed on actual states' keys), and only with
 * properties whose key() honours the renaming (MirrorProperty.symmetricKey).
 */
function symmetryGroupFor(options: ExploreOptions, initial: KernelState, props: readonly MirrorProperty[]): SymmetryGroup {
  if (options.por) throw new Error('explore: symmetry reduction and partial-order reduction cannot be combined (give one of them)');
  // An op filter names tasks and mms (an alphabet of one counterexample's ops): the filtered graph is not invariant under renaming.
  if (options.opFilter !== undefined) throw new Error('explore: symmetry reduction and an op filter cannot be combined (the filtered ops are not closed under renaming)');
  const refused = props.filter((p) => p.symmetricKey !== true).map((p) => p.id);
  if (refused.length > 0) throw new Error(`explore: symmetry reduction: properties ${refused.join(', ')} do not rename task and mm names in their key() (MirrorProperty.symmetricKey)`);
  return symmetryGroup(initial);
}

/**
 * Make `stack` the path from the root to `node`: keep the common prefix with the path it holds,
 * and apply the remaining ops to copies of the states, with copies of the monitors and validators
 * fed their events (the path was checked clean when its nodes were found).
 */
/**
 * Feed a transition's events, already checked once, to a cloned validator and monitor again (the
 * path stack is rebuilt by replay); returns the next trace index. A violation here means the engine
 * or a checker is not deterministic.
 */
export function replayChecked(validator: TraceValidator, monitor: ExploreMonitor, events: readonly TraceEvent[], from: number): number {
  let idx = from;
  for (const ev of events) {
    validator.check(ev, idx);
    if (monitor.observe(ev, idx).length > 0) throw new Error('explore: a checked path violates a property on replay (nondeterministic engine or checker)');
    idx++;
  }
  if (monitor.endOp().length > 0) throw new Error('explore: a checked path violates a property on replay (nondeterministic engine or checker)');
  return idx;
}

/** Close `result` as `r` after `seconds`, with its rates. */
export function finishResult(result: ExploreResult, r: ExploreResult['result'], seconds: number): ExploreResult {
  result.result = r;
  result.seconds = seconds;
  result.statesPerSecond = seconds > 0 ? result.states / seconds : 0;
  result.transitionsPerSecond = seconds > 0 ? result.transitions / seconds : 0;
  return result;
}

function syncStack(
  stack: StackEntry[],
  node: number,
  parent: readonly number[],
  opOf: readonly (Op | null)[],
  apply: (s: KernelState, op: Op) => TraceEvent[],
  copyState: (s: KernelState) => KernelState,
  freeze = false,
): void {
  const chain: number[] = [];
  for (let n = node; n !== 0; n = parent[n]) chain.push(n);
  chain.reverse();
  let k = 0;
  while (k < chain.length && k + 1 < stack.length && stack[k + 1].node === chain[k]) k++;
  stack.length = k + 1;
  for (; k < chain.length; k++) {
    const prev = stack[stack.length - 1];
    const state = copyState(prev.state);
    const events = apply(state, opOf[chain[k]] as Op);
    const monitor = prev.monitor.clone(freeze);
    const validator = prev.validator.clone();
    const idx = replayChecked(validator, monitor, events, prev.nextIndex);
    stack.push({ node: chain[k], state, events, monitor, validator, nextIndex: idx });
  }
}
