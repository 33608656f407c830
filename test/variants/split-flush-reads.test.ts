/**
 * test/variants/split-flush-reads.ts migrates ops recorded with should_flush_tlb()'s one-step reads to
 * the two-step default: Stephen Dolan's race as recorded before the flip (the flush's mask snapshot,
 * then one step for cpu0's whole should_flush_tlb()) gains one step after the loaded_mm read, and the
 * migrated ops still show the variant's C6.4 while the one-step ops no longer do.
 */
import { checkTrace } from '../../properties';
import { createEngine } from '../../src/engine/build';
import type { Op } from '../../src/engine/ops';
import { migrateOps } from './split-flush-reads';

const spec = { arch: 'x86' as const, strategy: 'refcount' as const, variant: 'switching-store-no-mb-in-cpumask' };
const config = { cpus: 2, procs: 2, threads: 2, kthreads: 0 };
const step = (cpu: number): Op => ({ op: 'step', cpu });
const recorded: Op[] = [
  { op: 'preempt', cpu: 0, next: 'T4' }, step(0), step(0), step(0), step(0),
  { op: 'schedule', cpu: 0, next: 'T1' }, step(0), step(0),
  { op: 'syscall', cpu: 1 }, { op: 'flush_tlb', cpu: 1, freedTables: false },
  step(1), step(1), // the mask snapshot, should_flush_tlb(cpu0) in one step
  step(0), step(0),
  step(1), step(1),
];

function c64(ops: Op[]): string[] {
  const e = createEngine(spec);
  const { state, events } = e.init(config);
  for (const op of ops) events.push(...e.apply(state, op));
  return checkTrace(events).filter((v) => v.property === 'tlb-coherence').map((v) => v.clause.slice(0, 4));
}

describe('split-flush-reads migration', () => {
  it("inserts one step after the loaded_mm read and keeps the recorded verdict", () => {
    const migrated = migrateOps(spec, config, recorded);
    expect(migrated).toEqual([...recorded.slice(0, 12), step(1), ...recorded.slice(12)]);
    expect(c64(migrated)).toEqual(['C6.4']);
    // Unmigrated, the flush's last recorded step is its local call: its wait has not ended, nothing to judge.
    expect(c64(recorded)).toEqual([]);
  });

  it('leaves ops without a should_flush_tlb() read alone', () => {
    const noFlush = recorded.slice(0, 8);
    expect(migrateOps(spec, config, noFlush)).toEqual(noFlush);
  });
});
