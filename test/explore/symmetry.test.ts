/**
 * Symmetry reduction (src/explore/symmetry.ts, docs/explore.md "Symmetry reduction") is sound:
 * - the engine and the properties are invariant under the group: a renamed history enables the
 *   renamed ops, emits the renamed events, and the renamed state has the same canonical key
 *   (which also catches a key that writes a name without renaming it);
 * - the creation order of the permuted objects (taskOrder, mmOrder), which the key leaves out,
 *   cannot change a verdict: the same ops from a state with its creation order permuted give the
 *   same events per op (as a multiset) and the same verdicts;
 * - the reduced search gives the verdict and a replayable counterexample of the minimum length.
 *   The per-clause minima and the larger cases run in `npm run test:explore-long`
 *   (test/explore-long/symmetry.test.ts).
 */
import type { ModelConfig } from '../../src/engine/contract';
import type { Op } from '../../src/engine/ops';
import type { KernelState } from '../../src/engine/state';
import type { EngineSpec } from '../../src/run/types';
import { cloneJson } from '../../src/explore/canonical';
import { explore } from '../../src/explore/explore';
import { groupElements, renameJson, renameOp, symmetricKey, symmetryGroup } from '../../src/explore/symmetry';
import { createEngine } from '../../src/engine/build';
import { replayMonitored } from '../../arbitraries';
import { createTraceChecker, propertyById, type Property } from '../../properties';
import { prng } from './merge-check';
import { randomWalk, renamedWorld, step } from './symmetry-world';

const CORRECT: EngineSpec = { arch: 'x86', strategy: 'refcount', knobs: { membarrierSwitchMmFix: true, syncCoreOnLazySameMmSwitch: true } };
const POWERPC: EngineSpec = { arch: 'powerpc', strategy: 'shootdown' };
const groupOf = (spec: EngineSpec, config: ModelConfig) => symmetryGroup(createEngine(spec).init(config).state);
const opText = (ops: readonly Op[]) => ops.map((o) => JSON.stringify(o));

describe('symmetry reduction: the group', () => {
  it('processes of one shape, the threads of each process, the kthreads', () => {
    const g = groupOf(CORRECT, { cpus: 2, procs: 2, threads: 2, kthreads: 2 });
    expect(g.order).toBe(16); // 2! processes x 2! x 2! threads x 2! kthreads
    expect(groupElements(g)).toHaveLength(16);
    expect([...g.domain].sort()).toEqual(['K1', 'K2', 'T1', 'T2', 'T3', 'T4', 'mm1', 'mm2']);
    expect(groupOf(CORRECT, { cpus: 2, procs: 1, threads: 1, kthreads: 1 }).order).toBe(1);
    expect(groupOf(CORRECT, { cpus: 2, procs: 2, threads: 1, kthreads: 0 }).order).toBe(2);
  });
});

/**
 * Why CPUs are not in the group (docs/explore.md "Not reduced, and why"): the membarrier scan
 * visits CPUs in id order, one per step (src/engine/kernel/membarrier.ts, after
 * kernel/sched/membarrier.c's for_each_online_cpu()), so on 2/1/2/0 (T1 on CPU 0, T2 on CPU 1 at
 * boot; the boot state is invariant under CPU 0 <-> CPU 1 with T1 <-> T2) the same call reads the
 * other CPU's runqueue one step later from CPU 0 than from CPU 1. A state and its CPU-swapped image
 * then have different futures at a given depth, so merging them could move a minimum.
 */
describe('symmetry reduction: CPU renaming is not a symmetry of the model', () => {
  it('the scan reads the remote CPU one step later when the caller is CPU 0', () => {
    const stepsToRemoteScan = (caller: number): number => {
      const engine = createEngine(CORRECT);
      const { state } = engine.init({ cpus: 2, procs: 1, threads: 2, kthreads: 0 });
      const apply = (op: Op) => {
        expect(opText(engine.enabled(state))).toContain(JSON.stringify(op));
        return engine.apply(state, op);
      };
      // Run every path in flight to its end, delivering IPIs without rescheduling.
      const settle = () => {
        const pending = () => engine.enabled(state).find((x) => x.op === 'step' || (x.op === 'ipi' && x.next === undefined));
        for (let o = pending(); o !== undefined; o = pending()) engine.apply(state, o);
      };
      apply({ op: 'syscall', cpu: caller });
      apply({ op: 'membarrier_register', cpu: caller, cmd: 'PRIVATE_EXPEDITED' });
      settle();
      apply({ op: 'return_to_user', cpu: caller, via: 'sysret' });
      apply({ op: 'syscall', cpu: caller });
      apply({ op: 'membarrier', cpu: caller, cmd: 'PRIVATE_EXPEDITED' });
      for (let steps = 1; steps <= 10; steps++) {
        const events = apply({ op: 'step', cpu: caller });
        if (events.some((e) => e.k === 'membarrier_scan' && e.target !== caller)) return steps;
      }
      throw new Error('no scan of the remote CPU in 10 steps');
    };
    expect(stepsToRemoteScan(1)).toBe(2);
    expect(stepsToRemoteScan(0)).toBe(3);
  });
});

describe('symmetry reduction: the engine and the key are invariant under the group', () => {
  const cases: { spec: EngineSpec; config: ModelConfig }[] = [
    { spec: CORRECT, config: { cpus: 2, procs: 2, threads: 2, kthreads: 2 } },
    { spec: POWERPC, config: { cpus: 2, procs: 2, threads: 1, kthreads: 2 } },
  ];
  it.each(cases)('$spec.arch/$spec.strategy on $config.cpus/$config.procs/$config.threads/$config.kthreads: renamed histories', ({ spec, config }) => {
    const g = groupOf(spec, config);
    const perms = groupElements(g);
    let checked = 0;
    for (let seed = 1; seed <= 4; seed++) {
      const w = randomWalk(spec, config, seed, 10 + seed * 5);
      // The keys as text (the kernel state's JSON, the mirror's text), checking on the way that the
      // hashes the search uses agree with the texts (one text, one hash).
      const texts = { kernel: new Map<string, string>(), mirror: new Map<string, string>() };
      const key = symmetricKey(w.state, w.monitor, g, texts).key;
      expect(symmetricKey(w.state, w.monitor, g).key[1].split('\n')[1]).toBe(key[1].split('\n').slice(-1)[0]);
      for (const perm of perms) {
        const r = renamedWorld(w, perm);
        // The canonical key is the same (and so every name the key writes is renamed).
        expect(symmetricKey(r.state, r.monitor, g, texts).key).toEqual(key);
        expect(r.verdicts).toEqual(w.verdicts);
        // The renamed state enables the renamed ops, in the same order, and each emits the renamed events.
        const en = w.engine.enabled(w.state);
        expect(opText(w.engine.enabled(r.state))).toEqual(opText(en.map((op) => renameOp(op, perm))));
        for (const op of en) {
          const a = w.engine.apply(cloneJson(w.state), op);
          const b = w.engine.apply(cloneJson(r.state), renameOp(op, perm));
          expect(b).toEqual(a.map((ev) => renameJson(ev, perm)));
        }
        checked++;
      }
    }
    expect(checked).toBe(4 * perms.length);
  });
});

describe('symmetry reduction: the creation order of permuted objects cannot change a verdict', () => {
  /** `s` with the tasks of `order` (and the mms) listed in another creation order. */
  const reordered = (s: KernelState, taskOrder: string[], mmOrder: string[]): KernelState => {
    const c = cloneJson(s);
    c.taskOrder = taskOrder;
    c.tasks = Object.fromEntries(taskOrder.map((id) => [id, c.tasks[id]]));
    c.mmOrder = mmOrder;
    c.mms = Object.fromEntries(mmOrder.map((id) => [id, c.mms[id]]));
    return c;
  };
  const sortedEvents = (evs: unknown[]) => evs.map((e) => JSON.stringify(e)).sort();
  it.each([
    { spec: POWERPC, config: { cpus: 2, procs: 2, threads: 1, kthreads: 2 } },
    { spec: CORRECT, config: { cpus: 2, procs: 2, threads: 2, kthreads: 1 } },
  ])('$spec.arch: the same events per op and the same verdicts with taskOrder/mmOrder reversed', ({ spec, config }) => {
    let ops = 0;
    let cpuDowns = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const w = randomWalk(spec, config, seed, 6);
      const v = { ...w, state: reordered(w.state, [...w.state.taskOrder].reverse(), [...w.state.mmOrder].reverse()), monitor: w.monitor.clone(), events: [...w.events], ops: [...w.ops], verdicts: [...w.verdicts] };
      const rnd = prng(seed + 100);
      for (let i = 0; i < 30 && !w.violated; i++) {
        const en = w.engine.enabled(w.state);
        if (en.length === 0) break;
        // The same ops are enabled (the order is search order only).
        expect(opText(w.engine.enabled(v.state)).sort()).toEqual(opText(en).sort());
        const op = en[Math.floor(rnd() * en.length)];
        if (op.op === 'cpu_down') cpuDowns++;
        expect(sortedEvents(step(v, op))).toEqual(sortedEvents(step(w, op)));
        expect(v.verdicts).toEqual(w.verdicts);
        ops++;
      }
    }
    expect(ops).toBeGreaterThan(100);
    if (spec.arch === 'powerpc') expect(cpuDowns).toBeGreaterThan(0);
  });
});

describe('symmetry reduction: the search keeps verdicts and minima', () => {
  it('correct engine, 2 kthreads (2/1/1/2 depth 3): clean both ways, fewer states with symmetry', () => {
    const opts = { engine: CORRECT, config: { cpus: 2, procs: 1, threads: 1, kthreads: 2 }, depth: 3 };
    const plain = explore(opts);
    const sym = explore({ ...opts, symmetry: true });
    expect([plain.result, sym.result]).toEqual(['clean', 'clean']);
    expect(sym.symmetry).toEqual({ order: 2 });
    expect(sym.states).toBeLessThan(plain.states);
    expect(sym.transitions).toBeLessThan(plain.transitions);
    // With the full keys kept (the kernel part as JSON text): no hash collision, the same merges.
    expect(explore({ ...opts, symmetry: true, checkCollisions: true }).states).toBe(sym.states);
  });

  it('the counterexample found with symmetry is a real op list: it replays to the same violation', () => {
    const engine: EngineSpec = { arch: 'x86', strategy: 'refcount', variant: 'no-lazy-mmgrab' };
    const config = { cpus: 2, procs: 1, threads: 1, kthreads: 2 };
    const r = explore({ engine, config, depth: 4, symmetry: true, differentialBase: null });
    expect(r.result).toBe('counterexample');
    const cx = r.counterexample;
    if (cx === undefined) throw new Error('no counterexample');
    expect(cx.ops.length).toBe(4); // the minimum (per-clause minima with and without symmetry: test/explore-long/symmetry.test.ts)
    const props = r.properties.map((id) => propertyById(id) as Property);
    const o = replayMonitored(createEngine(engine), config, cx.ops, (init) => createTraceChecker(init, props));
    expect([o.violation?.property, o.violation?.clause, o.opsToViolation]).toEqual([cx.violation.property, cx.violation.clause, cx.ops.length]);
  });

  it('refuses what it cannot honour: with --por, with an op filter, and properties whose key() does not rename', () => {
    const opts = { engine: CORRECT, config: { cpus: 2, procs: 1, threads: 1, kthreads: 2 }, depth: 1, symmetry: true };
    expect(() => explore({ ...opts, por: true })).toThrow(/cannot be combined/);
    expect(() => explore({ ...opts, opFilter: () => true })).toThrow(/op filter/);
    const p = propertyById('refcount-balance') as Property & { symmetricKey?: boolean };
    const had = p.symmetricKey;
    try {
      p.symmetricKey = undefined;
      expect(() => explore(opts)).toThrow(/refcount-balance do not rename/);
    } finally {
      p.symmetricKey = had;
    }
  });
});
