/**
 * Cached property keys (issue 15): TokenLedger.key() (refcount-balance) and TlbFreshness.key()
 * (tlb-coherence) keep their text until their state changes, and a clone takes the cached text
 * along. The uncached text is the key under the identity renaming (a renaming always recomputes):
 * at every event of random traces, in the driver that runs them and in clones taken along the way
 * (which then go on alone), the cached key must equal the recomputed one. A missed invalidation
 * shows up as a stale cached text.
 *
 * The two are also copy-on-write (a clone shares its original's tables until either writes): forks
 * of one run that go on with different ops must each end with the verdicts and key of a fresh
 * replay of their own trace (a write that reached the shared tables would leak into the other fork).
 */
import { createEngine } from '../../src/engine/build';
import type { ModelConfig } from '../../src/engine/contract';
import type { EngineSpec } from '../../src/run/types';
import type { InitEvent, TraceEvent } from '../../src/trace/events';
import type { KernelState } from '../../src/engine/state';
import { copyKernelState } from '../../src/explore/kernel-copy';
import { DEFAULT_WEIGHTS, startRun } from '../../arbitraries';
import { mulberry32 } from '../../src/trace-io/generate-trace';
import { allProperties } from '../../properties';
import { MirrorDriver } from '../../properties/lib/driver';
import { isMirrorProperty } from '../../properties/lib/mirror-property';
import { newRenamings } from '../../properties/lib/state-key';

const identity = (x: string) => x;

function traces(spec: EngineSpec, config: ModelConfig, seed: number, n: number, len: number): TraceEvent[][] {
  const engine = createEngine(spec);
  const rnd = mulberry32(seed);
  const out: TraceEvent[][] = [];
  for (let k = 0; k < n; k++) {
    const r = startRun(engine, config);
    for (let i = 0; i < len; i++) if (r.choose(Math.floor(rnd() * 2 ** 31), DEFAULT_WEIGHTS) === undefined) break;
    out.push([...r.events]);
  }
  return out;
}

const SPECS: EngineSpec[] = [
  { arch: 'x86', strategy: 'refcount', knobs: { membarrierSwitchMmFix: true, syncCoreOnLazySameMmSwitch: true } },
  { arch: 'x86', strategy: 'refcount' },
  { arch: 'x86', strategy: 'hazard' },
  { arch: 'x86', strategy: 'shootdown' },
];

describe('cached property keys equal recomputed ones', () => {
  it.each(SPECS.map((s) => [`${s.arch}/${s.strategy}${s.knobs ? '+fixes' : ''}`, s] as [string, EngineSpec]))('%s: at every event, in drivers and their clones', (_name, spec) => {
    let compared = 0;
    let changed = 0;
    for (const events of traces(spec, { cpus: 3, procs: 2, threads: 2, kthreads: 1 }, 15, 2, 50)) {
      const init = events[0] as InitEvent;
      const props = allProperties.filter(isMirrorProperty).filter((p) => p.appliesTo(init));
      const drivers = [new MirrorDriver(init, props)];
      let last = '';
      for (let i = 0; i < events.length; i++) {
        for (const d of drivers) {
          d.observe(events[i], i);
          const cached = d.propertyKey(newRenamings());
          expect(d.propertyKey(newRenamings(), identity)).toBe(cached);
          expect(d.propertyKey(newRenamings())).toBe(cached); // the cached text, served twice
          compared++;
          if (d === drivers[0]) {
            if (cached !== last) changed++;
            last = cached;
          }
        }
        // A clone every 20 events, after the original's key was cached; it goes on alone (the last two kept).
        if (i % 20 === 10) {
          if (drivers.length > 2) drivers.splice(1, 1);
          drivers.push(drivers[0].clone(init, props));
        }
      }
    }
    expect(compared).toBeGreaterThan(150);
    expect(changed).toBeGreaterThan(20); // the keys did change along the traces
  });
});

describe('copy-on-write property state: forks that diverge', () => {
  it.each(SPECS.map((s) => [`${s.arch}/${s.strategy}${s.knobs ? '+fixes' : ''}`, s] as [string, EngineSpec]))('%s: every fork ends as a fresh replay of its own trace', (_name, spec) => {
    const engine = createEngine(spec);
    const rnd = mulberry32(1515);
    let forks = 0;
    for (let run = 0; run < 3; run++) {
      const boot = engine.init({ cpus: 3, procs: 2, threads: 2, kthreads: 1 });
      const init = boot.events[0] as InitEvent;
      const props = allProperties.filter(isMirrorProperty).filter((p) => p.appliesTo(init));
      interface Branch { s: KernelState; events: TraceEvent[]; d: MirrorDriver; verdicts: string[] }
      const feed = (b: Branch, evs: readonly TraceEvent[]) => {
        for (const ev of evs) {
          const i = b.events.length;
          b.events.push(ev);
          for (const v of b.d.observe(ev, i)) b.verdicts.push(`${i} ${v.clause}`);
        }
      };
      const root: Branch = { s: boot.state, events: [], d: new MirrorDriver(init, props), verdicts: [] };
      feed(root, boot.events);
      const branches = [root];
      for (let step = 0; step < 50; step++) {
        for (const b of branches) {
          const en = engine.enabled(b.s);
          if (en.length === 0) continue;
          feed(b, engine.apply(b.s, en[Math.floor(rnd() * en.length)]));
          b.d.propertyKey(newRenamings()); // fills the memos the forks share
        }
        if (step % 8 === 3) {
          const from = branches[Math.floor(rnd() * branches.length)];
          branches.push({ s: copyKernelState(from.s), events: [...from.events], d: from.d.clone(init, props), verdicts: [...from.verdicts] });
          forks++;
        }
      }
      for (const b of branches) {
        const fresh: Branch = { s: b.s, events: [], d: new MirrorDriver(init, props), verdicts: [] };
        feed(fresh, b.events);
        expect(b.verdicts).toEqual(fresh.verdicts);
        expect(b.d.propertyKey(newRenamings())).toBe(fresh.d.propertyKey(newRenamings()));
        expect(b.d.propertyKey(newRenamings(), identity)).toBe(fresh.d.propertyKey(newRenamings()));
      }
    }
    expect(forks).toBeGreaterThan(10);
  });
});
