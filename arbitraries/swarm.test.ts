import type { Op } from '../src/engine/ops';
import type { CheckResult } from '../src/run/types';
import { checkEngine } from './check-engine';
import { replayMonitored, runChoicesMonitored } from './monitored-run';
import { createToyEngine } from './test-helpers/toy-engine';
import { nmiInLazySwitch, alwaysHolds } from './test-helpers/toy-checker';
import { PROGRESS_KINDS, SWARM_MASKS, swarmAllows, swarmFeatures, swarmProfileSpace, swarmWeights } from './swarm';
import { DEFAULT_WEIGHTS } from './weights';
import { parseSearch } from '../src/cli/commands/check';

const engine = createToyEngine();
const withoutSeconds = (r: CheckResult) => ({ ...r, seconds: 0 });

/** Ops of every kind with their argument fields, as the engines enable them. */
const SAMPLE: Op[] = [
  { op: 'step', cpu: 0 },
  { op: 'ipi', cpu: 1 },
  { op: 'ipi', cpu: 1, next: 'T2' },
  { op: 'membarrier', cpu: 0, cmd: 'PRIVATE_EXPEDITED' },
  { op: 'membarrier_register', cpu: 0, cmd: 'PRIVATE_EXPEDITED' },
  { op: 'membarrier', cpu: 0, cmd: 'GLOBAL_EXPEDITED' },
  { op: 'return_to_user', cpu: 1, via: 'sysret' },
  { op: 'return_to_user', cpu: 1, via: 'iret' },
  { op: 'schedule', cpu: 0, next: 'T3' },
  { op: 'flush_tlb', cpu: 0, freedTables: true },
  { op: 'syscall', cpu: 2 },
];

describe('swarm masks', () => {
  it('read the features off the op record: the kind and each argument value, none for progress ops', () => {
    expect(swarmFeatures({ op: 'membarrier', cpu: 3, cmd: 'PRIVATE_EXPEDITED' })).toEqual(['membarrier', 'cmd=PRIVATE_EXPEDITED']);
    expect(swarmFeatures({ op: 'flush_tlb', cpu: 0, freedTables: false, trim: true })).toEqual(['flush_tlb', 'freedTables=false', 'trim=true']);
    expect(swarmFeatures({ op: 'syscall', cpu: 1 })).toEqual(['syscall']);
    expect(swarmFeatures({ op: 'ipi', cpu: 1, next: 'T2' })).toEqual([]);
  });

  it('never mask a progress op (step, IPI delivery), mask each other feature in some runs, and mask nothing with seed 0', () => {
    const masked = new Set<string>();
    for (let seed = 1; seed <= 64; seed++) {
      for (const op of SAMPLE) {
        if (PROGRESS_KINDS.has(op.op)) expect(swarmAllows(seed, op)).toBe(true);
        else if (!swarmAllows(seed, op)) masked.add(JSON.stringify(op));
      }
    }
    expect(masked.size).toBe(SAMPLE.filter((op) => !PROGRESS_KINDS.has(op.op)).length);
    for (const op of SAMPLE) expect(swarmAllows(0, op)).toBe(true);
    // The same argument value is one feature whatever the kind: a registration and a call of one command together.
    for (let seed = 1; seed <= 64; seed++) {
      const cmdKept = swarmAllows(seed, { op: 'membarrier', cpu: 0, cmd: 'PRIVATE_EXPEDITED' }) || swarmAllows(seed, { op: 'membarrier_register', cpu: 0, cmd: 'PRIVATE_EXPEDITED' });
      if (!cmdKept) continue;
      const a = swarmAllows(seed, { op: 'membarrier', cpu: 1, cmd: 'PRIVATE_EXPEDITED' });
      expect(a).toBe(swarmAllows(seed, { op: 'membarrier', cpu: 0, cmd: 'PRIVATE_EXPEDITED' })); // the CPU is no feature
    }
  });

  it('zero only the masked ops: a masked run still steps its paths and never stops while an op is enabled', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const w = swarmWeights(DEFAULT_WEIGHTS, seed * 7919);
      const choices = Array.from({ length: 60 }, (_, i) => (i * 2654435761 + seed) >>> 1);
      const out = runChoicesMonitored(engine, { cpus: 2, procs: 1, threads: 2, kthreads: 1 }, choices, w, alwaysHolds);
      expect(out.error).toBeNull();
      expect(out.ops).toHaveLength(60); // one op per choice: a mask never leaves a run with nothing to pick
      expect(replayMonitored(engine, { cpus: 2, procs: 1, threads: 2, kthreads: 1 }, out.ops, alwaysHolds).ops).toEqual(out.ops);
    }
  });

  it('index every profile under every mask; the unmasked profiles come first', () => {
    const space = swarmProfileSpace([DEFAULT_WEIGHTS, DEFAULT_WEIGHTS]);
    expect(space.size).toBe(2 * SWARM_MASKS);
    expect(space.weights(0)).toBe(DEFAULT_WEIGHTS);
    expect(space.weights(1)).toBe(DEFAULT_WEIGHTS);
    expect(space.weights(5)).not.toBe(DEFAULT_WEIGHTS);
    expect(space.weights(5)).toBe(space.weights(5));
  });
});

describe('the swarm searches of checkEngine', () => {
  it('are search names of `check`', () => {
    expect(parseSearch('swarm')).toBe('swarm');
    expect(parseSearch('coverage-swarm')).toBe('coverage-swarm');
  });

  it.each(['swarm', 'coverage-swarm'] as const)('%s is deterministic for a seed, and another seed gives other runs', (search) => {
    const opts = { engine, makeChecker: alwaysHolds, propertyIds: ['t'], runs: 15, maxOps: 30, search, seed: 11 };
    expect(withoutSeconds(checkEngine(opts))).toEqual(withoutSeconds(checkEngine(opts)));
    expect(checkEngine({ ...opts, seed: 12 }).opsExecuted).not.toBe(checkEngine(opts).opsExecuted);
  });

  it('coverage-swarm finds an injected window bug and shrinks it (under the run\'s mask) to a replayable counterexample', () => {
    const r = checkEngine({ engine, makeChecker: nmiInLazySwitch, propertyIds: ['toy-window'], runs: 300, seed: 5, search: 'coverage-swarm' });
    expect(r.result).toBe('fail');
    const cx = r.counterexample!;
    expect(cx.path).toMatch(/^coverage-swarm:run=\d+:\d+(:\d+)*$/); // fast-check shrank it: the choices replayed it
    expect(cx.ops.map((op) => op.op)).toEqual(expect.arrayContaining(['schedule', 'step', 'nmi']));
    expect(cx.ops.length).toBeLessThanOrEqual(12);
    expect(replayMonitored(engine, cx.config, cx.ops, nmiInLazySwitch).violation).toMatchObject({ property: 'toy-window' });
  });
});
