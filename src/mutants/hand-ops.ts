/**
 * Hand-built ops lists for mutant evidence (docs/mutants.md): a compact text form of an op sequence
 * and a driver that applies it to an engine op by op. bench/mutant-ops.ts runs one on a mutant and
 * on the unmutated engine; tests use it to show a clause kills a mutant the base survives.
 *
 * Text form: `;`-separated `KIND CPU [ARG] [key=value ...]`, where the single positional ARG is the
 * op's main argument (next, via, cmd, mm, sync, cloneVm, freedTables); `step C*` steps CPU C until
 * its path waits or ends, `step C xN` at most N times.
 */
import type { Engine, ModelConfig } from '../engine/contract';
import { formatOp, type Op } from '../engine/ops';
import type { TraceEvent } from '../trace/events';

const MAIN_ARG: Record<string, string> = {
  schedule: 'next', preempt: 'next', ipi: 'next', return_to_user: 'via', fork: 'cloneVm', membarrier: 'cmd',
  membarrier_register: 'cmd', text_poke: 'sync', mmget_not_zero: 'mm', mmput: 'mm', kthread_use_mm: 'mm', flush_tlb: 'freedTables',
};

export type HandItem = Op | { op: 'drain'; cpu: number; times: number };

export const value = (v: string): string | number | boolean => (v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v);

export function parseOps(text: string): HandItem[] {
  return text.split(';').map((s) => s.trim()).filter(Boolean).map((s) => {
    const [kind, cpuText, ...rest] = s.split(/\s+/);
    const star = cpuText.endsWith('*');
    const cpu = Number(cpuText.replace('*', ''));
    if (kind === 'step') {
      const times = star ? Infinity : rest[0]?.startsWith('x') ? Number(rest[0].slice(1)) : 1;
      return { op: 'drain', cpu, times };
    }
    const op: Record<string, unknown> = { op: kind, cpu };
    for (const r of rest) {
      const eq = r.indexOf('=');
      if (eq > 0) op[r.slice(0, eq)] = value(r.slice(eq + 1));
      else op[MAIN_ARG[kind]] = value(r);
    }
    return op as unknown as Op;
  });
}

export interface HandDriven {
  events: TraceEvent[];
  stopped: string | null;
}

export function driveOps(engine: Engine<unknown>, config: ModelConfig, items: readonly HandItem[]): HandDriven {
  const { state, events } = engine.init(config);
  const all: TraceEvent[] = [...events];
  const key = (o: unknown) => JSON.stringify(o);
  const enabled = (op: Op) => engine.enabled(state).some((e) => key(e) === key(op));
  for (const item of items) {
    if (item.op === 'drain') {
      const st: Op = { op: 'step', cpu: item.cpu };
      for (let n = 0; n < item.times && enabled(st); n++) all.push(...engine.apply(state, st));
      continue;
    }
    if (!enabled(item)) return { events: all, stopped: `${formatOp(item)} not enabled; enabled: ${engine.enabled(state).map(formatOp).join(', ')}` };
    all.push(...engine.apply(state, item));
  }
  return { events: all, stopped: null };
}

