/**
 * The rule for mirror properties (docs/properties.md "Property state as data"): a hook object keeps
 * all its mutable state in plain fields, and implements clone(mirror) (an independent deep copy)
 * and key() (the state that can change a verdict). The explorer forks monitors with clone() and
 * merges states by key(); a property that breaks the rule makes exhaustive search unsound. This test
 * fails for a property whose hook object lacks clone/key, whose clone shares mutable containers with
 * the original, or whose clone (or key) diverges from a fresh replay of the same trace.
 */
import { createEngine } from '../../src/engine/build';
import type { ModelConfig } from '../../src/engine/contract';
import type { EngineSpec } from '../../src/run/types';
import type { TraceEvent } from '../../src/trace/events';
import { DEFAULT_WEIGHTS, startRun } from '../../arbitraries';
import { mulberry32 } from '../../src/trace-io/generate-trace';
import { allProperties } from '../../properties';
import { MirrorDriver } from '../../properties/lib/driver';
import type { Mirror } from '../../properties/lib/mirror';
import { isMirrorProperty, type MirrorProperty } from '../../properties/lib/mirror-property';
import { KeyMemo, newRenamings } from '../../properties/lib/state-key';

const mirrorProperties = allProperties.filter(isMirrorProperty);

/** Random traces of a few engines (with membarrier calls, flushes, forks and exits in them). */
function traces(): TraceEvent[][] {
  const specs: EngineSpec[] = [
    { arch: 'x86', strategy: 'refcount', knobs: { membarrierSwitchMmFix: true, syncCoreOnLazySameMmSwitch: true } },
    { arch: 'x86', strategy: 'hazard' },
    { arch: 'powerpc', strategy: 'shootdown' },
  ];
  const config: ModelConfig = { cpus: 3, procs: 2, threads: 2, kthreads: 1 };
  const rnd = mulberry32(15);
  const out: TraceEvent[][] = [];
  for (const spec of specs) {
    const engine = createEngine(spec);
    for (let n = 0; n < 6; n++) {
      const r = startRun(engine, config);
      for (let i = 0; i < 80; i++) if (r.choose(Math.floor(rnd() * 2 ** 31), DEFAULT_WEIGHTS) === undefined) break;
      out.push([...r.events]);
    }
  }
  return out;
}

const isEventRef = (v: object): boolean => {
  const k = Object.keys(v);
  return k.length === 2 && k[0] === 'ev' && k[1] === 'i';
};
const isEvent = (v: object): boolean => typeof (v as { k?: unknown }).k === 'string';
/** properties/lib/path-frames.ts PathFrame: made at a path begin, never mutated (not frozen: begin is on the hot path). */
const isPathFrame = (v: object): boolean => 'fn' in v && 'index' in v && 'ev' in v && isEvent((v as { ev: object }).ev);

/**
 * Where `a` and `b` (an object and its clone) share a mutable container: every Map, Set, array and
 * object reachable from own fields must be a distinct copy, except the mirrors (a's must map to b's)
 * and event references, events and frozen records, which are never mutated (the mirror's task and
 * mm views are frozen before the clone: shared copy-on-write, neither side owns them).
 */
function shared(a: unknown, b: unknown, ma: Mirror, mb: Mirror, path: string, out: string[], depth = 0): void {
  if (typeof a !== 'object' || a === null || depth > 8) return;
  if (a === ma) {
    if (b !== mb) out.push(`${path}: the clone does not read the cloned mirror`);
    return;
  }
  // A KeyMemo (properties/lib/state-key.ts) is shared on purpose until either side is written.
  if (isEventRef(a) || isEvent(a) || isPathFrame(a) || Object.isFrozen(a) || a instanceof KeyMemo) return;
  if (a === b) {
    out.push(`${path}: shared with the clone`);
    return;
  }
  if (typeof b !== 'object' || b === null) {
    out.push(`${path}: missing in the clone`);
    return;
  }
  if (a instanceof Map) {
    for (const [k, v] of a) shared(v, (b as Map<unknown, unknown>).get(k), ma, mb, `${path}.get(${String(k)})`, out, depth + 1);
    return;
  }
  if (a instanceof Set) return; // the identity check above is all a set of primitives needs
  for (const k of Object.keys(a)) {
    const v = (a as Record<string, unknown>)[k];
    if (typeof v === 'function') continue;
    if (!(k in (b as object))) out.push(`${path}.${k}: missing in the clone`);
    else shared(v, (b as Record<string, unknown>)[k], ma, mb, `${path}.${k}`, out, depth + 1);
  }
}

describe('mirror properties keep their state as data (clone + key)', () => {
  const all = traces();

  it('every mirror property is covered, and every hook object has clone() and key()', () => {
    expect(mirrorProperties.map((p) => p.id).sort()).toEqual(allProperties.map((p) => p.id).sort());
    for (const p of mirrorProperties) {
      const init = all[0][0];
      if (init.k !== 'init' || !p.appliesTo(init)) continue;
      const h = new MirrorDriver(init, [p]).liveHooks()[0];
      expect([p.id, typeof h.clone, typeof h.key]).toEqual([p.id, 'function', 'function']);
    }
  });

  it.each(mirrorProperties.map((p) => [p.id, p] as [string, MirrorProperty]))('%s: a clone is independent and equals a fresh replay', (_id, p) => {
    const rnd = mulberry32(7);
    let checked = 0;
    for (const events of all) {
      const init = events[0];
      if (init.k !== 'init' || !p.appliesTo(init)) continue;
      const cut = 1 + Math.floor(rnd() * (events.length - 1));
      const a = new MirrorDriver(init, [p]);
      const verdicts = (d: MirrorDriver, from: number, to: number) => {
        const v: string[] = [];
        for (let i = from; i < to; i++) for (const x of d.observe(events[i], i)) v.push(`${i} ${x.clause}`);
        return v;
      };
      const prefix = verdicts(a, 0, cut);
      // The mirror's task and mm views are shared copy-on-write (properties/lib/mirror.ts): frozen
      // here, so a write that does not copy first (the mirror's or a property's) throws below.
      for (const t of a.mirror.tasks.values()) Object.freeze(t);
      for (const m of a.mirror.mms.values()) Object.freeze(Object.freeze(m).cpumask);
      const b = a.clone(init, [p]);
      const problems: string[] = [];
      a.liveHooks().forEach((h, k) => shared(h, b.liveHooks()[k], a.mirror, b.mirror, p.id, problems));
      const none = {} as Mirror;
      shared(a.mirror, b.mirror, none, none, 'mirror', problems);
      expect(problems).toEqual([]);
      for (const [id, t] of a.mirror.tasks) if (b.mirror.tasks.get(id) === t) expect([id, a.mirror.ownsTask(id), b.mirror.ownsTask(id)]).toEqual([id, false, false]);
      for (const [id, m] of a.mirror.mms) if (b.mirror.mms.get(id) === m) expect([id, a.mirror.ownsMm(id), b.mirror.ownsMm(id)]).toEqual([id, false, false]);
      // Both continue with the same suffix: shared state would be updated twice and diverge.
      const fresh = new MirrorDriver(init, [p]);
      const whole = verdicts(fresh, 0, events.length);
      expect([...prefix, ...verdicts(a, cut, events.length)]).toEqual(whole);
      expect([...prefix, ...verdicts(b, cut, events.length)]).toEqual(whole);
      const key = fresh.propertyKey(newRenamings());
      expect(a.propertyKey(newRenamings())).toBe(key);
      expect(b.propertyKey(newRenamings())).toBe(key);
      expect(b.finish().map((v) => v.clause)).toEqual(fresh.finish().map((v) => v.clause));
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
  });
});
