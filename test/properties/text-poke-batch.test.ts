/**
 * sync-core-before-usermode C3.4 (properties/sync-core/text-poke-batch.ts): smp_text_poke_batch_finish() returns only
 * after every online CPU serialized after the poke. Traces from the x86 engine, then edited the way a
 * broken smp_text_poke_sync_each_cpu() would leave them.
 */
import { drain, drive } from '../engine/drive';
import { checkTrace } from '../../properties/index';
import { syncCoreBeforeUsermode } from '../../properties/sync-core-before-usermode';
import type { TraceEvent } from '../../src/trace/events';
import { TEXT_POKE_BATCH_CLAUSE } from '../../properties/sync-core/text-poke-batch';

const config = { cpus: 3, procs: 1, threads: 2, kthreads: 1 };
const x86 = { arch: 'x86' as const, strategy: 'refcount' as const };

/** K1 on cpu2 pokes kernel text while T1 and T2 run in user mode on cpu0 and cpu1; `sync`: a batch. */
function poke(sync: boolean): TraceEvent[] {
  const tail = sync ? [{ op: 'step' as const, cpu: 2 }, { op: 'ipi' as const, cpu: 0 }, { op: 'ipi' as const, cpu: 1 }, { op: 'step' as const, cpu: 2 }] : [];
  return drive(x86, config, [{ op: 'schedule', cpu: 2, next: 'K1' }, drain(2), { op: 'text_poke', cpu: 2, sync }, { op: 'step', cpu: 2 }, ...tail]).events;
}
const isSync = (cpu: number, fn: string) => (e: TraceEvent) => e.k === 'serialize' && e.cpu === cpu && e.fn === fn;
const without = (events: TraceEvent[], drop: (e: TraceEvent) => boolean) => events.filter((e) => !drop(e));
const unuseAt = (events: TraceEvent[]) => events.findIndex((e) => e.k === 'cpumask' && e.fn === 'unuse_temporary_mm');
/** The batch as if cpu1 had not serialized after the write: neither do_sync_core() nor the IPI's IRET. */
function cpu1NotSynced(): TraceEvent[] {
  const events = poke(true);
  const unuse = unuseAt(events);
  return events.filter((e, i) => !(i > unuse && e.k === 'serialize' && e.cpu === 1));
}
const verdicts = (events: TraceEvent[]) => checkTrace(events, [syncCoreBeforeUsermode]);

describe('C3.4 a text_poke batch returns after every online CPU serialized', () => {
  it('the engine names a batch smp_text_poke_batch_finish and a lone poke text_poke, and both pass', () => {
    const batch = poke(true);
    expect(batch.filter((e) => e.k === 'path').map((e) => e.k === 'path' && `${e.fn} ${e.phase}`)).toContain('smp_text_poke_batch_finish end');
    expect(verdicts(batch)).toEqual([]);
    expect(verdicts(poke(false))).toEqual([]);
  });

  it('a CPU that did not serialize after the write fails, naming that CPU', () => {
    const events = cpu1NotSynced();
    const [v] = verdicts(events);
    expect(v).toMatchObject({ property: 'sync-core-before-usermode', clause: TEXT_POKE_BATCH_CLAUSE, cpus: [1] });
    expect(v.message).toContain('smp_text_poke_sync_each_cpu()');
    const end = events.findIndex((e) => e.k === 'path' && e.fn === 'smp_text_poke_batch_finish' && e.phase === 'end');
    expect(v.index).toBe(end);
  });

  it('the poking CPU is covered by unuse_temporary_mm()\'s CR3 write, which follows the write', () => {
    const events = without(poke(true), isSync(2, 'do_sync_core'));
    expect(events.some((e) => e.k === 'serialize' && e.cpu === 2)).toBe(true);
    expect(verdicts(events)).toEqual([]);
  });

  it('a serialize before unuse_temporary_mm() (before the write is known done) does not count', () => {
    const events = cpu1NotSynced();
    const unuse = unuseAt(events);
    const early: TraceEvent = { k: 'serialize', cpu: 1, fn: 'do_sync_core', how: 'sync_core' } as TraceEvent;
    expect(verdicts([...events.slice(0, unuse), early, ...events.slice(unuse)]).map((v) => v.clause)).toEqual([TEXT_POKE_BATCH_CLAUSE]);
  });

  it('a CPU hotplugged since the write is not judged', () => {
    const events = cpu1NotSynced();
    const unuse = unuseAt(events);
    const offline: TraceEvent = { k: 'cpu_online', cpu: 0, fn: 'set_cpu_online', target: 1, online: false };
    const online: TraceEvent = { k: 'cpu_online', cpu: 0, fn: 'set_cpu_online', target: 1, online: true };
    expect(verdicts([...events.slice(0, unuse + 1), offline, online, ...events.slice(unuse + 1)]).map((v) => v.clause)).not.toContain(TEXT_POKE_BATCH_CLAUSE);
  });
});
