/**
 * A simple random walk over enabled ops (the real arbitraries live in arbitraries/): at least
 * 40,000 steps per engine (the long soaks of >= 2 x 10^6 steps are in `npm run bench`, not here,
 * to keep `npm test` within its time budget); the engine never throws on an op it listed, every event validates against the
 * trace schema, and the same ops give the same events byte for byte.
 */
import { createEngine } from '../../src/engine/build';
import type { Op } from '../../src/engine/ops';
import type { TraceEvent } from '../../src/trace/events';
import { validateTraceEvent } from '../../src/trace/schema';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0);
}

function walk(spec: Parameters<typeof createEngine>[0], seed: number, runs: number, len: number) {
  const engine = createEngine(spec);
  const rnd = lcg(seed);
  let steps = 0;
  const traces: { ops: Op[]; events: TraceEvent[] }[] = [];
  for (let r = 0; r < runs; r++) {
    const cfg = { cpus: 2 + (r % 3), procs: 1 + (r % 2), threads: 1 + (r % 3), kthreads: r % 3 };
    const { state, events } = engine.init(cfg);
    const ops: Op[] = [];
    for (let i = 0; i < len; i++) {
      const enabled = engine.enabled(state);
      expect(enabled.length).toBeGreaterThan(0);
      const op = enabled[rnd() % enabled.length];
      ops.push(op);
      events.push(...engine.apply(state, op));
      steps++;
    }
    traces.push({ ops, events });
  }
  return { steps, traces, engine };
}

describe('random walk over the x86 engine', () => {
  it.each([
    [{ arch: 'x86' as const, strategy: 'refcount' as const }],
    [{ arch: 'x86' as const, strategy: 'refcount' as const, knobs: { pti: true, cpumaskPolicy: 'eager-clear', flushFilter: 'notLazy', efiScheme: 'efi_enter_mm', irqsOffActivateMm: false, hotplugFix: false, nmiReader: 'active-mm' } }],
    [{ arch: 'x86' as const, strategy: 'shootdown' as const }],
  ])('%j: 40k+ steps, never throws, every event matches the schema', (spec) => {
    const { steps, traces } = walk(spec, 7, 270, 150);
    expect(steps).toBeGreaterThanOrEqual(40_000);
    const kinds = new Set<string>();
    for (const { events } of traces) {
      expect(events[0].k).toBe('init');
      for (let i = 0; i < events.length; i++) {
        kinds.add(events[i].k);
        const v = validateTraceEvent(events[i]);
        if (!v.ok) throw new Error(`event ${i} ${JSON.stringify(events[i])}: ${JSON.stringify(v.errors)}`);
      }
    }
    expect(kinds.size).toBeGreaterThan(25);
  });

  it('replaying the same ops from the same initial state yields the same events byte for byte', () => {
    const { traces, engine } = walk({ arch: 'x86', strategy: 'refcount' }, 11, 50, 150);
    traces.forEach(({ ops, events }, r) => {
      const cfg = { cpus: 2 + (r % 3), procs: 1 + (r % 2), threads: 1 + (r % 3), kthreads: r % 3 };
      const { state, events: again } = engine.init(cfg);
      for (const op of ops) again.push(...engine.apply(state, op));
      expect(JSON.stringify(again)).toBe(JSON.stringify(events));
    });
  });
});
