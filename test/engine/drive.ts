/**
 * Test helper: drive an engine through an explicit op sequence, asserting every op is enabled.
 */
import { createEngine } from '../../src/engine/build';
import type { ModelConfig } from '../../src/engine/contract';
import type { Op } from '../../src/engine/ops';
import type { KernelState } from '../../src/engine/state';
import type { TraceEvent } from '../../src/trace/events';
import type { EngineSpec } from '../../src/run/types';

export interface Driven {
  state: KernelState;
  events: TraceEvent[];
  /** Events produced by each op, by op index. */
  perOp: TraceEvent[][];
  /** The ops applied (drains expanded into their steps): what a fixture records. */
  applied: Op[];
}

/** Test-only pseudo-op: step the path in flight on `cpu` until it finishes or waits. */
export interface Drain {
  op: 'drain';
  cpu: number;
}
export const drain = (cpu: number): Drain => ({ op: 'drain', cpu });

export function drive(spec: EngineSpec, config: ModelConfig, script: (Op | Drain)[]): Driven {
  const engine = createEngine(spec);
  const { state, events } = engine.init(config);
  const perOp: TraceEvent[][] = [];
  const step = (cpu: number): Op => ({ op: 'step', cpu });
  const enabledKey = (op: Op) => engine.enabled(state).some((e) => JSON.stringify(e) === JSON.stringify(op));
  const ops: Op[] = [];
  const applied: Op[] = [];
  for (const item of script) {
    if (item.op !== 'drain') {
      ops.push(item);
      continue;
    }
    // Expand the drain lazily: apply what came before first.
    flush();
    while (enabledKey(step(item.cpu))) {
      const ev = engine.apply(state, step(item.cpu));
      applied.push(step(item.cpu));
      perOp.push(ev);
      events.push(...ev);
    }
  }
  flush();
  return { state, events, perOp, applied };

  function flush(): void {
    const pending = ops.splice(0);
    applyAll(pending);
  }
  function applyAll(list: Op[]): void {
  list.forEach((op, i) => {
    const enabled = engine.enabled(state);
    const key = JSON.stringify(op);
    if (!enabled.some((e) => JSON.stringify(e) === key)) {
      throw new Error(`op ${i} ${key} is not enabled; enabled: ${enabled.map((e) => JSON.stringify(e)).join(' ')}`);
    }
    const ev = engine.apply(state, op);
    applied.push(op);
    perOp.push(ev);
    events.push(...ev);
  });
  }
}

/** `n` step ops on `cpu`. */
export const steps = (cpu: number, n: number): Op[] => Array.from({ length: n }, () => ({ op: 'step', cpu }) as Op);

/**
 * T1 on CPU0 registers its mm for membarrier `cmd` from a syscall, CPU1 (running a thread of the same
 * mm) takes the registration's ipi_sync_rq_state, and the registration completes (T1 stays in the kernel).
 * sync_runqueues_membarrier_state()'s steps: the mm_users test, one scan step per CPU (`cpus` of
 * them), on_each_cpu_mask(); after the IPI, the end of the wait and the READY store.
 */
export const registerFromCpu0 = (cmd: string, cpus = 2): Op[] => [
  { op: 'syscall', cpu: 0 },
  { op: 'membarrier_register', cpu: 0, cmd } as Op,
  ...steps(0, 2 + cpus),
  { op: 'ipi', cpu: 1 },
  ...steps(0, 2),
];

/** Events of one kind, optionally filtered by CPU. */
export function ofKind<K extends TraceEvent['k']>(events: TraceEvent[], k: K, cpu?: number): Extract<TraceEvent, { k: K }>[] {
  return events.filter((e) => e.k === k && (cpu === undefined || e.cpu === cpu)) as Extract<TraceEvent, { k: K }>[];
}
