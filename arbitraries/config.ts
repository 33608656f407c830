/**
 * The arbitrary for the modelled machine: how many CPUs, processes, threads and kernel threads.
 *
 * The defaults are deliberately small (2..4 CPUs, 1..2 processes): every race in the scenario
 * catalogue (kernel-model.md section 6) needs at most two user processes and two CPUs besides the
 * caller, and a small machine makes each random op more likely to touch the CPU that matters.
 * Shrinking goes towards the minimum of every range, so counterexamples come out on the smallest
 * machine that still fails.
 */
import fc from 'fast-check';
import type { ModelConfig } from '../src/engine/contract';

/** Bounds of {@link modelConfigArbitrary} (inclusive). */
export interface ModelConfigConstraints {
  /** Fewest CPUs. Default 2 (a lazy-TLB race needs a second CPU). */
  minCpus?: number;
  /** Most CPUs. Default 4. */
  maxCpus?: number;
  /** Fewest user processes at boot. Default 1. */
  minProcs?: number;
  /** Most user processes at boot. Default 2. */
  maxProcs?: number;
  /** Fewest threads per process. Default 1. */
  minThreads?: number;
  /** Most threads per process. Default 3. */
  maxThreads?: number;
  /** Fewest kernel threads (besides the idle tasks). Default 0. */
  minKthreads?: number;
  /** Most kernel threads (besides the idle tasks). Default 2. */
  maxKthreads?: number;
}

/** The limits ModelConfig documents (src/engine/contract.ts); constraints outside them are rejected. */
const LIMITS = {
  Cpus: [1, 8],
  Procs: [0, 4],
  Threads: [1, 4],
  Kthreads: [0, 3],
} as const;

const DEFAULTS: Required<ModelConfigConstraints> = {
  minCpus: 2,
  maxCpus: 4,
  minProcs: 1,
  maxProcs: 2,
  minThreads: 1,
  maxThreads: 3,
  minKthreads: 0,
  maxKthreads: 2,
};

/** Fills in the defaults and rejects bounds outside ModelConfig's limits or in the wrong order. */
export function resolveModelConfigConstraints(
  constraints: ModelConfigConstraints = {},
): Required<ModelConfigConstraints> {
  const resolved = { ...DEFAULTS, ...stripUndefined(constraints) };
  for (const [name, [lo, hi]] of Object.entries(LIMITS)) {
    const min = resolved[`min${name}` as keyof ModelConfigConstraints];
    const max = resolved[`max${name}` as keyof ModelConfigConstraints];
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < lo || max > hi || min > max) {
      throw new Error(
        `modelConfigArbitrary: ${name.toLowerCase()} must satisfy ${lo} <= min${name} <= max${name} <= ${hi}` +
          ` (got ${min}..${max})`,
      );
    }
  }
  return resolved;
}

/** The smallest machine `constraints` allow (the floor the minimiser lowers a configuration to). */
export function smallestConfig(constraints?: ModelConfigConstraints): ModelConfig {
  const c = resolveModelConfigConstraints(constraints);
  return { cpus: c.minCpus, procs: c.minProcs, threads: c.minThreads, kthreads: c.minKthreads };
}

/** An arbitrary ModelConfig within `constraints`; shrinks towards the smallest machine. */
export function modelConfigArbitrary(constraints?: ModelConfigConstraints): fc.Arbitrary<ModelConfig> {
  const c = resolveModelConfigConstraints(constraints);
  return fc.record({
    cpus: fc.integer({ min: c.minCpus, max: c.maxCpus }),
    procs: fc.integer({ min: c.minProcs, max: c.maxProcs }),
    threads: fc.integer({ min: c.minThreads, max: c.maxThreads }),
    kthreads: fc.integer({ min: c.minKthreads, max: c.maxKthreads }),
  });
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * A ModelConfig drawn uniformly within resolved bounds, for the run-by-run searches (coverage, PCT):
 * `int(n)` is the search's own deterministic draw in 0..n-1; CPUs, processes, threads, kthreads in that order.
 */
export function drawModelConfig(bounds: Required<ModelConfigConstraints>, int: (n: number) => number): ModelConfig {
  return {
    cpus: bounds.minCpus + int(bounds.maxCpus - bounds.minCpus + 1),
    procs: bounds.minProcs + int(bounds.maxProcs - bounds.minProcs + 1),
    threads: bounds.minThreads + int(bounds.maxThreads - bounds.minThreads + 1),
    kthreads: bounds.minKthreads + int(bounds.maxKthreads - bounds.minKthreads + 1),
  };
}
