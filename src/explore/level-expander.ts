/**
 * One worker's side of the two-worker explorer (./parallel.ts): it builds its own engine, property
 * monitors and differential criterion from the serialisable options, holds the whole BFS tree as
 * (parent, index of the op among the parent's enabled ops) per node, and expands its share of a
 * level: chunks of frontier positions taken from a shared counter. Every transition is checked as
 * explore() checks it (./explore.ts, the same validator, monitors and finish()); its state is
 * claimed in the shared visited set with the transition's BFS priority (./shared-visited.ts), and
 * at the end of the level the worker keeps the successors it still holds: its share of the next
 * level. Plain code, no worker_threads: ./worker-main.ts is the thread's glue, and tests can run it
 * in-process.
 */
import type { Engine, ModelConfig } from '../engine/contract';
import { createEngine } from '../engine/build';
import type { Op, OpKind } from '../engine/ops';
import type { KernelState } from '../engine/state';
import type { EngineSpec } from '../run/types';
import type { InitEvent, TraceEvent } from '../trace/events';
import { TraceValidator } from '../trace/trace-validator';
import type { Violation } from '../../properties';
import { kernelFingerprint, newRenamings } from './canonical';
import { ownViolationFor, type OwnViolation } from './differential';
import { contractViolation, invalidEventViolation, replayChecked, selectExploreProperties } from './explore';
import { fingerprint } from './fingerprint';
import { copyKernelState } from './kernel-copy';
import { shareKernelState } from './kernel-share';
import { kernelRecordFingerprint } from './record-hash';
import { ExploreMonitor, mirrorPropertiesOf } from './monitor';
import { symmetricKey, symmetryGroup, type SymmetryGroup } from './symmetry';
import { opKindFilter } from './op-kinds';
import { Claim, MAX_OPS, SharedVisitedSet, priority, type SharedVisitedBuffers } from './shared-visited';

/** The options a worker is built from (what ExploreOptions holds that can be posted to a thread). */
export interface WorkerExploreOptions {
  engine: EngineSpec;
  config: ModelConfig;
  properties?: string[];
  differentialBase?: EngineSpec | null;
  differentialAlign?: boolean;
  stopOnViolation: boolean;
  merge: boolean;
  maxStates?: number;
  /** Date.now() after which the search stops (maxSeconds). */
  deadline?: number;
  /** Symmetry reduction: the key is ./symmetry.ts symmetricKey() (explore()'s, the same function). */
  symmetry?: boolean;
  /** Copy-on-write kernel states and record-composed hashes (ExploreOptions.cow; default true). */
  cow?: boolean;
  /** End the monitors' atomic step at every op boundary (ExploreOptions.settleEachOp; default true). */
  settleEachOp?: boolean;
  /** Explore only ops of these kinds and `step` (ExploreOptions.opKinds). */
  opKinds?: OpKind[];
}

/** Shared counters (Int32Array over a SharedArrayBuffer) and their slots. */
export const CTL = { next: 0, states: 1, transitions: 2, expanded: 3, stop: 4, size: 5 } as const;
/** Why the workers stopped a level early (CTL.stop). */
export const STOP = { none: 0, budget: 1, full: 2 } as const;

export interface LevelRequest {
  /** The level whose nodes are expanded (0: the root). */
  level: number;
  /** Its number of nodes. */
  size: number;
  chunk: number;
  /** The nodes of `level` (level >= 1), when not sent before: parent's position in level - 1, op index. */
  nodes?: { parentPos: Int32Array; opIdx: Uint16Array };
  /** A new visited set (grown, or an aborted level's entries dropped). */
  table?: SharedVisitedBuffers;
}

export interface LevelReply {
  /**
   * The successors this worker claimed (parent's position, op index, slot in the visited set, -1
   * with merge off), in priority order. Another worker may have lowered a slot's priority since:
   * once every worker has answered, the coordinator keeps those whose slot still holds their
   * priority (SharedVisitedSet.holds()).
   */
  parentPos: Int32Array;
  opIdx: Uint16Array;
  slot: Int32Array;
  transitions: number;
  /** Position and number of ops checked (enabled, and of an allowed kind) of every node expanded (to count what one worker would have checked before a counterexample). */
  expandedPos: Int32Array;
  expandedOps: Uint16Array;
  violations: number;
  sharedViolations: number;
  /** Where they were: parent's position * 4096 + op index. */
  sharedAt: Float64Array;
  /** This worker's least-priority counted violation of the level. */
  best: { prio: bigint; ops: Op[]; violation: Violation; checked: number } | null;
  /** The level was cut short (CTL.stop). */
  stop: number;
}

interface Entry {
  node: number;
  op: Op | null;
  state: KernelState;
  monitor: ExploreMonitor;
  validator: TraceValidator;
  nextIndex: number;
}

export class LevelExpander {
  private readonly engine: Engine<KernelState>;
  private readonly monitorProps;
  private readonly own: OwnViolation | null;
  private readonly config: ModelConfig;
  private table: SharedVisitedSet;
  /** Per node (global id: levelStart[level] + position): parent id and op index. */
  private readonly parent: number[] = [-1];
  private readonly opIdx: number[] = [-1];
  private readonly levelStart: number[] = [0, 1];
  private readonly stack: Entry[];
  private readonly fp = new Uint32Array(2);
  /** With symmetry (and a group that moves something): the group the key canonicalizes under. */
  private readonly group: SymmetryGroup | null;
  /** With opKinds: whether an op's kind is explored. */
  private readonly kindAllowed: ((op: Op) => boolean) | null;

  constructor(
    private readonly options: WorkerExploreOptions,
    table: SharedVisitedBuffers,
    private readonly ctl: Int32Array,
    /** The least priority + 1 of a counted violation found by any worker this level (0n: none). */
    private readonly best: BigInt64Array,
  ) {
    this.config = options.config;
    this.table = new SharedVisitedSet(table);
    this.engine = createEngine(options.engine);
    const boot = this.engine.init(this.config);
    const init = boot.events[0] as InitEvent;
    this.monitorProps = mirrorPropertiesOf(selectExploreProperties(options.properties, init)).mirror;
    const group = options.symmetry ? symmetryGroup(boot.state) : null;
    this.group = group !== null && group.order > 1 ? group : null;
    this.kindAllowed = options.opKinds !== undefined ? opKindFilter(options.opKinds) : null;
    this.own = ownViolationFor(options.engine, options.differentialBase, options.differentialAlign).own;
    // The root, as explore() builds it (the coordinator checked it: explore() at depth 0).
    const monitor = new ExploreMonitor(init, this.monitorProps, undefined, options.settleEachOp ?? true);
    const validator = new TraceValidator({ schema: 'fast' });
    let violated = false;
    for (let i = 0; i < boot.events.length; i++) {
      validator.check(boot.events[i], i);
      if (monitor.observe(boot.events[i], i).length > 0) violated = true;
    }
    if (!violated && monitor.endOp().length > 0) violated = true;
    this.stack = [{ node: 0, op: null, state: boot.state, monitor, validator, nextIndex: boot.events.length }];
    if (!violated && options.merge) {
      this.keyOf(copyKernelState(boot.state), monitor);
      this.table.claim(this.fp[0], this.fp[1], priority(0, 0, -1));
    }
  }

  /** A child state: sharing the parent's records (ExploreOptions.cow) or a whole copy. */
  private copyState(s: KernelState): KernelState {
    return this.options.cow === false ? copyKernelState(s) : shareKernelState(s);
  }

  /** Fingerprint of (state, monitors) into this.fp (destructive on `state` without cow). */
  private keyOf(state: KernelState, m: ExploreMonitor, parentState?: KernelState): void {
    if (this.group !== null) return fingerprint(symmetricKey(state, m, this.group).key, this.fp);
    const ids = newRenamings();
    fingerprint([this.options.cow === false ? kernelFingerprint(state, ids) : kernelRecordFingerprint(state, ids, false, parentState), m.hashedKey(ids)], this.fp);
  }

  private accept(ops: Op[], v: Violation): boolean {
    return v.property === 'engine-contract' || this.own === null || this.own(this.config, ops, v);
  }

  expandLevel(req: LevelRequest): LevelReply {
    if (req.table) this.table = new SharedVisitedSet(req.table);
    if (req.nodes) {
      const base = this.levelStart[req.level - 1];
      const { parentPos, opIdx } = req.nodes;
      for (let i = 0; i < parentPos.length; i++) {
        this.parent.push(base + parentPos[i]);
        this.opIdx.push(opIdx[i]);
      }
      this.levelStart[req.level + 1] = this.parent.length;
    }
    const { level, size, chunk } = req;
    const { ctl, best, options } = this;
    const reply: LevelReply = { parentPos: new Int32Array(0), opIdx: new Uint16Array(0), slot: new Int32Array(0), transitions: 0, expandedPos: new Int32Array(0), expandedOps: new Uint16Array(0), violations: 0, sharedViolations: 0, sharedAt: new Float64Array(0), best: null, stop: STOP.none };
    const heldSlot: number[] = [];
    const expandedPos: number[] = [];
    const expandedOps: number[] = [];
    const sharedAt: number[] = [];
    /** Transitions already added to CTL.transitions. */
    let shown = 0;
    const heldPos: number[] = [];
    const heldOp: number[] = [];
    /** `checked`: the transitions out of the violation's parent explore() checks up to it (itself included). */
    const record = (prio: bigint, ops: Op[], violation: Violation, checked: number): void => {
      reply.violations++;
      if (reply.best === null || prio < reply.best.prio) reply.best = { prio, ops, violation, checked };
      for (;;) {
        const cur = Atomics.load(best, 0);
        if (cur !== 0n && cur <= prio + 1n) break;
        if (Atomics.compareExchange(best, 0, cur, prio + 1n) === cur) break;
      }
    };
    const stopNow = (why: number): void => {
      Atomics.compareExchange(ctl, CTL.stop, STOP.none, why);
    };

    levels: for (;;) {
      const start = Atomics.add(ctl, CTL.next, chunk);
      if (start >= size) break;
      for (let p = start; p < Math.min(size, start + chunk); p++) {
        if (Atomics.load(ctl, CTL.stop) !== STOP.none) break levels;
        // Every transition out of this node comes after a violation already found: so do the rest.
        if (options.stopOnViolation) {
          const b = Atomics.load(best, 0);
          if (b !== 0n && b <= priority(level, p, -1) + 1n) break levels;
        }
        const here = this.syncStack(this.levelStart[level] + p);
        const pathOps = this.stack.slice(1).map((e) => e.op as Op);
        let enabled: Op[];
        try {
          enabled = this.engine.enabled(here.state);
        } catch (err) {
          record(priority(level, p, -1), pathOps, contractViolation(this.engine.info.id, pathOps, 0, err), 0);
          continue;
        }
        if (enabled.length > MAX_OPS) throw new Error(`explore: ${enabled.length} enabled ops at one state (the workers number at most ${MAX_OPS})`);
        expandedPos.push(p);
        const kindAllowed = this.kindAllowed;
        expandedOps.push(kindAllowed === null ? enabled.length : enabled.filter(kindAllowed).length);
        let checked = 0;
        for (let k = 0; k < enabled.length; k++) {
          if (kindAllowed !== null && !kindAllowed(enabled[k])) continue;
          checked++;
          if ((reply.transitions & 63) === 0) {
            // The shared counters are for the progress line: written every 64 transitions, not on every one (a cache line both threads write).
            Atomics.add(ctl, CTL.transitions, reply.transitions - shown);
            shown = reply.transitions;
            if (options.deadline !== undefined && Date.now() > options.deadline) stopNow(STOP.budget);
            if (Atomics.load(ctl, CTL.stop) !== STOP.none) break levels;
          }
          const op = enabled[k];
          const prio = priority(level, p, k);
          reply.transitions++;
          const ops = [...pathOps, op];
          const child = this.copyState(here.state);
          let v: Violation | undefined;
          let keyed = false;
          try {
            const evs = this.engine.apply(child, op);
            const output = here.validator.clone();
            const first = here.nextIndex;
            for (let i = 0; i < evs.length && v === undefined; i++) {
              const problem = output.check(evs[i], first + i)[0];
              if (problem !== undefined) v = invalidEventViolation(this.engine.info.id, ops, first + i, problem);
            }
            if (v === undefined) {
              const m = here.monitor.clone();
              let idx = first;
              for (const ev of evs) {
                v = m.observe(ev, idx++)[0];
                if (v) break;
              }
              v ??= m.endOp()[0];
              if (!v && options.merge) {
                this.keyOf(child, m, here.state);
                keyed = true;
              }
              v ??= m.finish()[0];
            }
          } catch (err) {
            v = contractViolation(this.engine.info.id, ops, 0, err);
          }
          if (v) {
            if (this.accept(ops, v)) {
              record(prio, ops, v, checked);
              if (options.stopOnViolation) break; // this node's later ops come after it
            } else {
              reply.sharedViolations++;
              sharedAt.push(p * 4096 + k);
            }
            continue;
          }
          let slot = -1;
          if (keyed) {
            const c = this.table.claim(this.fp[0], this.fp[1], prio);
            if (this.table.fresh) this.counted();
            if (c === Claim.Merged) continue;
            slot = this.table.slot;
          } else this.counted();
          heldSlot.push(slot);
          heldPos.push(p);
          heldOp.push(k);
        }
        Atomics.add(ctl, CTL.expanded, 1);
      }
    }
    Atomics.add(ctl, CTL.transitions, reply.transitions - shown);
    reply.stop = Atomics.load(ctl, CTL.stop);
    reply.parentPos = Int32Array.from(heldPos);
    reply.opIdx = Uint16Array.from(heldOp);
    reply.slot = Int32Array.from(heldSlot);
    reply.expandedPos = Int32Array.from(expandedPos);
    reply.expandedOps = Uint16Array.from(expandedOps);
    reply.sharedAt = Float64Array.from(sharedAt);
    return reply;
  }

  /** A new state: count it; stop at maxStates, or when the table is 3/4 full (the coordinator grows it and redoes the level). */
  private counted(): void {
    const n = Atomics.add(this.ctl, CTL.states, 1) + 1;
    if (this.options.maxStates !== undefined && n >= this.options.maxStates) Atomics.compareExchange(this.ctl, CTL.stop, STOP.none, STOP.budget);
    if (this.options.merge && n * 4 > this.table.capacity * 3) Atomics.compareExchange(this.ctl, CTL.stop, STOP.none, STOP.full);
  }

  /**
   * Make the stack the path from the root to `node` (explore()'s syncStack, with each op found as
   * the parent's enabled op of its index: the engine lists enabled ops in a fixed order).
   */
  private syncStack(node: number): Entry {
    const { stack, parent, opIdx, engine } = this;
    const chain: number[] = [];
    for (let n = node; n !== 0; n = parent[n]) chain.push(n);
    chain.reverse();
    let k = 0;
    while (k < chain.length && k + 1 < stack.length && stack[k + 1].node === chain[k]) k++;
    stack.length = k + 1;
    for (; k < chain.length; k++) {
      const prev = stack[stack.length - 1];
      const op = engine.enabled(prev.state)[opIdx[chain[k]]];
      const state = this.copyState(prev.state);
      const events: TraceEvent[] = engine.apply(state, op);
      const monitor = prev.monitor.clone();
      const validator = prev.validator.clone();
      const idx = replayChecked(validator, monitor, events, prev.nextIndex);
      stack.push({ node: chain[k], op, state, monitor, validator, nextIndex: idx });
    }
    return stack[stack.length - 1];
  }
}
