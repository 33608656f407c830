import { MEMBARRIER_STATE as S } from '../src/trace/events';
import { checkTrace } from './index';
import { syncCoreBeforeUsermode } from './sync-core-before-usermode';
import { TraceBuilder } from './lib/trace-builder';
import { contextSwitch, deliverIpi, returnToUser } from './lib/trace-macros';
import type { Violation } from './property';

const check = (b: TraceBuilder): Violation[] => checkTrace(b.events, [syncCoreBeforeUsermode]);
const SYNC_CORE_REGISTERED = S.PRIVATE_EXPEDITED | S.PRIVATE_EXPEDITED_READY | S.PRIVATE_EXPEDITED_SYNC_CORE | S.PRIVATE_EXPEDITED_SYNC_CORE_READY;

/** T0 (cpu0) and T1 (cpu1) of mm1, registered for SYNC_CORE, both in user mode. */
function world(): TraceBuilder {
  return new TraceBuilder({
    cpus: [{ curr: 'T0' }, { curr: 'T1' }],
    tasks: [{ task: 'T0', mm: 'mm1' }, { task: 'T1', mm: 'mm1' }, { task: 'idle0' }, { task: 'idle1' }],
    mms: [{ mm: 'mm1', membarrierState: SYNC_CORE_REGISTERED }],
  });
}

/**
 * membarrier(SYNC_CORE) by T0 on cpu0 (kernel-model.md 3.6 MB1-MB5): cpu0 is in the target set and
 * runs the handler itself (e45cdc71d1fa); other CPUs are IPI'd when `ipi` says so. Returns the call's
 * mb_start index.
 */
function syncCoreCall(b: TraceBuilder, opts: { ipiCpu1?: boolean; skipCaller?: boolean } = {}): number {
  b.userExit(0);
  const call = b.mbEnter(0, 'PRIVATE_EXPEDITED_SYNC_CORE');
  b.mb(0, 'membarrier_private_expedited');
  const tA = b.mbPhase(0, call, 'mb_start');
  b.mbScan(0, call, 0, true);
  const selected = b.mirror.task(b.mirror.cpu(1).curr).mm === 'mm1';
  b.mbScan(0, call, 1, selected);
  if (selected && opts.ipiCpu1 !== false) {
    const id = b.ipiSend(0, 1, 'ipi_sync_core', 'mm1');
    deliverIpi(b, 1, id, 'ipi_sync_core', 0, 'mm1');
  }
  if (!opts.skipCaller) {
    b.ipiHandle(0, null, 'ipi_sync_core', 0, 'mm1');
    b.mb(0, 'ipi_sync_core');
    b.serialize(0, 'sync_core', 'ipi_sync_core');
  }
  b.mb(0, 'membarrier_private_expedited');
  b.mbPhase(0, call, 'mb_end');
  b.mbPhase(0, call, 'return');
  return tA;
}

describe('sync-core-before-usermode', () => {
  it('scenario 1: user -> idle -> user of the same mm passes thanks to finish_task_switch()', () => {
    const b = world();
    b.userExit(1);
    contextSwitch(b, 1, 'idle1');
    syncCoreCall(b);
    returnToUser(b, 0, 'sysret');
    contextSwitch(b, 1, 'T1');
    expect(b.events.filter((e) => e.k === 'load_mm' && e.cpu === 1)).toEqual([]); // no CR3 write
    returnToUser(b, 1, 'sysret');
    expect(check(b)).toEqual([]);
  });

  it('scenario 1 mutant: without membarrier_mm_sync_core_before_usermode() T1 enters user mode unserialized', () => {
    const b = world();
    b.userExit(1);
    contextSwitch(b, 1, 'idle1');
    const tA = syncCoreCall(b);
    returnToUser(b, 0, 'sysret');
    const sw = contextSwitch(b, 1, 'T1', { noSyncCore: true });
    const enter = returnToUser(b, 1, 'sysret');
    const [v] = check(b);
    expect(v).toMatchObject({ clause: 'C3.1 user entry without core serialization', index: enter, mm: 'mm1', cpus: [1] });
    expect(v.events).toEqual(expect.arrayContaining([tA, sw, enter]));
    expect(v.message).toContain("cpu1's last serialize is none");
    expect(v.message).toContain('finish_task_switch()');
    expect(v.message).toContain('did not IPI cpu1');
  });

  it('scenario 2: a CPU unlazied by a freed-tables flush writes CR3 on the way back (mutant passes too)', () => {
    const b = world();
    b.userExit(1);
    contextSwitch(b, 1, 'idle1');
    // flush_tlb_func() on the lazy CPU: switch to init_mm behind the scheduler's back.
    b.lazy(1, false, 'switch_mm_irqs_off');
    b.loadMm(1, 'init_mm', { fn: 'flush_tlb_func' });
    syncCoreCall(b);
    returnToUser(b, 0, 'sysret');
    contextSwitch(b, 1, 'T1', { noSyncCore: true });
    returnToUser(b, 1, 'sysret');
    expect(check(b)).toEqual([]);
  });

  it('C3.1 at the return: a thread in user mode that the IPI did not reach', () => {
    const b = world();
    syncCoreCall(b, { ipiCpu1: false });
    const ret = b.last;
    const [v] = check(b);
    expect(v).toMatchObject({ clause: 'C3.1 running thread not serialized', index: ret, mm: 'mm1', cpus: [1] });
  });

  it('a thread in user mode interrupted by the serializing IPI passes', () => {
    const b = world();
    syncCoreCall(b);
    returnToUser(b, 0, 'sysret');
    expect(check(b)).toEqual([]);
  });

  it('C3.3: an IPI that only executes smp_mb() in kernel mode leaves the later SYSRET unserialized', () => {
    const run = (via: 'sysret' | 'iret') => {
      const b = world();
      b.userExit(1); // T1 in a syscall when the IPI lands
      b.userExit(0);
      const call = b.mbEnter(0, 'PRIVATE_EXPEDITED_SYNC_CORE');
      b.mbPhase(0, call, 'mb_start');
      b.mbScan(0, call, 1, true);
      const id = b.ipiSend(0, 1, 'ipi_sync_core', 'mm1');
      b.ipiHandle(1, id, 'ipi_sync_core', 0, 'mm1');
      b.mb(1, 'ipi_sync_core'); // the sync_core() deferred to the return: no serialize here
      b.serialize(0, 'sync_core', 'ipi_sync_core');
      b.mbPhase(0, call, 'mb_end');
      b.mbPhase(0, call, 'return');
      return { b, enter: returnToUser(b, 1, via) };
    };
    const bad = run('sysret');
    expect(check(bad.b)[0]).toMatchObject({ clause: 'C3.1 user entry without core serialization', index: bad.enter, cpus: [1] });
    expect(check(bad.b)[0].message).toContain("IPI'd cpu1");
    expect(check(run('iret').b)).toEqual([]);
  });

  it('scenario 3: the caller CPU must be serialized too (SYNC_CORE runs the handler locally)', () => {
    const b = world();
    syncCoreCall(b, { skipCaller: true });
    const enter = returnToUser(b, 0, 'sysret');
    expect(check(b)[0]).toMatchObject({ clause: 'C3.1 user entry without core serialization', index: enter, cpus: [0] });
    const iret = world();
    syncCoreCall(iret, { skipCaller: true });
    returnToUser(iret, 0, 'iret');
    expect(check(iret)).toEqual([]);
  });

  it('scenario 4: a short-circuited call still promised serialization from its enter event', () => {
    const b = world();
    b.userExit(1);
    b.userExit(0);
    const call = b.mbEnter(0, 'PRIVATE_EXPEDITED_SYNC_CORE');
    b.mbPhase(0, call, 'return', { ret: 0, shortCircuit: true });
    returnToUser(b, 0, 'iret');
    const enter = returnToUser(b, 1, 'sysret');
    const [v] = check(b);
    expect(v).toMatchObject({ clause: 'C3.1 user entry without core serialization', index: enter, cpus: [1] });
  });

  it('a call that failed (-EPERM) promises nothing; other commands are ignored', () => {
    const b = world();
    b.userExit(1);
    b.userExit(0);
    const call = b.mbEnter(0, 'PRIVATE_EXPEDITED_SYNC_CORE');
    b.mbPhase(0, call, 'return', { ret: -1 });
    const other = b.mbEnter(0, 'PRIVATE_EXPEDITED');
    b.mbPhase(0, other, 'mb_start');
    b.mbPhase(0, other, 'mb_end');
    b.mbPhase(0, other, 'return');
    returnToUser(b, 1, 'sysret');
    expect(check(b)).toEqual([]);
  });

  it('PTI: the return-to-user CR3 write serializes before user_enter', () => {
    const b = world();
    b.userExit(1);
    syncCoreCall(b);
    b.mb(1, 'SWITCH_TO_USER_CR3');
    b.serialize(1, 'pti_cr3', 'SWITCH_TO_USER_CR3');
    b.userEnter(1, 'sysret');
    returnToUser(b, 0, 'sysret');
    expect(check(b)).toEqual([]);
  });
});
