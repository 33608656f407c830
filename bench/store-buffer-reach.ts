/**
 * How often the store buffer of rq->membarrier_state matters on a correct engine (not a test;
 * docs/store-buffer.md): 300,000 uniform random steps (runs of 150 ops, configurations cycled as
 * test/engine/engines-properties.test.ts does) with the fix knobs and storeBuffer=rq-membarrier-state;
 * counts the buffered stores, what drained each (writer -> drain point), the membarrier scans and
 * user entries of a CPU while a store was still buffered there, and the traces with a violation.
 *
 *     npx ts-node --transpile-only bench/store-buffer-reach.ts [ARCH [STRATEGY]]
 */
import { createEngine } from '../src/engine/build';
import { checkTrace } from '../properties/index';
import type { Arch, Strategy } from '../src/trace/events';
const arch = (process.argv[2] ?? 'arm64') as Arch;
const strategy = (process.argv[3] ?? 'refcount') as Strategy;
const knobs = { membarrierSwitchMmFix: true, syncRunqueuesFreshState: true, storeBuffer: 'rq-membarrier-state', ...(arch === 'x86' ? { syncCoreOnLazySameMmSwitch: true } : {}) };
const engine = createEngine({ arch, strategy, knobs });
let s = 42; const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0);
let buffered = 0, drains: Record<string, number> = {}, scansWhileBuffered = 0, userEnterWhileBuffered = 0, steps = 0, viol = 0;
for (let r = 0; steps < 300_000; r++) {
  const { state, events } = engine.init({ cpus: 2 + (r % 3), procs: 1 + (r % 2), threads: 1 + (r % 3), kthreads: r % 3 });
  const buf = new Set<number>();
  for (let i = 0; i < 150; i++, steps++) {
    const ops = engine.enabled(state);
    const ev = engine.apply(state, ops[rnd() % ops.length]);
    for (const e of ev) {
      if (e.k === 'store_buffered') { buffered++; buf.add(e.cpu); }
      if (e.k === 'rq_membarrier_state' && e.drainedBy) { drains[`${e.fn}->${e.drainedBy}`] = (drains[`${e.fn}->${e.drainedBy}`] ?? 0) + 1; buf.delete(e.cpu); }
      if (e.k === 'membarrier_scan' && buf.has(e.target)) scansWhileBuffered++;
      if (e.k === 'user_enter' && buf.has(e.cpu)) userEnterWhileBuffered++;
    }
    events.push(...ev);
  }
  if (checkTrace(events).length) viol++;
}
console.log(JSON.stringify({ arch, strategy, steps, buffered, drains, scansWhileBuffered, userEnterWhileBuffered, tracesWithViolation: viol }));
