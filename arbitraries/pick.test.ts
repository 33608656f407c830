import type { Op } from '../src/engine/ops';
import { pickOp } from './pick';
import { TraceView } from './trace-view';
import { createToyEngine } from './test-helpers/toy-engine';
import type { Weights } from './weights';

const { events } = createToyEngine().init({ cpus: 2, procs: 1, threads: 1, kthreads: 1 });
const view = new TraceView(events[0] as never);
const enabled: Op[] = [
  { op: 'schedule', cpu: 1, next: 'K1' },
  { op: 'schedule', cpu: 1, next: 'idle1' },
  { op: 'step', cpu: 0 },
  { op: 'nmi', cpu: 0 },
];

describe('pickOp', () => {
  it('returns undefined only when nothing is enabled', () => {
    const w: Weights = { kinds: {}, fallbackKind: 1, instance: () => 1 };
    expect(pickOp([], 7, w, view)).toBeUndefined();
    for (let c = 0; c < 50; c++) expect(enabled).toContain(pickOp(enabled, c, w, view));
  });

  it('chooses kinds in proportion to their weights, whatever their instance count', () => {
    const w: Weights = { kinds: { schedule: 1, step: 2, nmi: 0 }, fallbackKind: 1, instance: () => 1 };
    const counts: Record<string, number> = {};
    for (let c = 0; c < 3000; c++) {
      const k = pickOp(enabled, c, w, view)!.op;
      counts[k] = (counts[k] ?? 0) + 1;
    }
    expect(counts).toEqual({ schedule: 1000, step: 2000 });
  });

  it('spreads small choices over the instances of a kind', () => {
    const w: Weights = { kinds: { schedule: 1, step: 0, nmi: 0 }, fallbackKind: 1, instance: () => 1 };
    const picked = new Set(Array.from({ length: 20 }, (_, c) => JSON.stringify(pickOp(enabled, c, w, view))));
    expect(picked.size).toBe(2);
  });

  it('stays valid when every weight is zero or a choice is negative', () => {
    const zero: Weights = { kinds: {}, fallbackKind: 0, instance: () => 0 };
    expect(enabled).toContain(pickOp(enabled, 3, zero, view));
    const w: Weights = { kinds: {}, fallbackKind: 1, instance: () => 1 };
    expect(enabled).toContain(pickOp(enabled, -17.5, w, view));
  });
});
