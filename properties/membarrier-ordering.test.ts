import { MEMBARRIER_STATE as S, type CpuId, type MembarrierCmd, type TaskId } from '../src/trace/events';
import { checkTrace } from './index';
import { createMembarrierOrdering, membarrierOrdering } from './membarrier-ordering';
import { TraceBuilder } from './lib/trace-builder';
import { contextSwitch, deliverIpi, exitMm, returnToUser } from './lib/trace-macros';
import type { Property, Violation } from './property';

const check = (b: TraceBuilder, p: Property = membarrierOrdering): Violation[] => checkTrace(b.events, [p]);
const PRIVATE = S.PRIVATE_EXPEDITED | S.PRIVATE_EXPEDITED_READY;
const GLOBAL = S.GLOBAL_EXPEDITED | S.GLOBAL_EXPEDITED_READY;

/**
 * mm1 (registered for PRIVATE_EXPEDITED): T0 on cpu0 and T1 on cpu1 in user mode; T2 shares mm1 from
 * another thread group (CLONE_VM without CLONE_THREAD, scenario D); K1 is a kthread.
 */
function world(membarrierState = PRIVATE): TraceBuilder {
  return new TraceBuilder({
    cpus: [{ curr: 'T0' }, { curr: 'T1' }],
    tasks: [
      { task: 'T0', mm: 'mm1', tgid: 'P1' },
      { task: 'T1', mm: 'mm1', tgid: 'P1' },
      { task: 'T2', mm: 'mm1', tgid: 'P2' },
      { task: 'K1', type: 'kthread' },
      { task: 'idle0' },
      { task: 'idle1' },
    ],
    mms: [{ mm: 'mm1', membarrierState }],
  });
}

/** MB0-MB1 by the current task of cpu0 (already in the kernel); returns the call id. */
function start(b: TraceBuilder, cmd: MembarrierCmd = 'PRIVATE_EXPEDITED'): number {
  const call = b.mbEnter(0, cmd);
  b.mb(0, 'membarrier_private_expedited');
  b.mbPhase(0, call, 'mb_start');
  return call;
}

/** MB5 and the return; returns the mb_end index. */
function end(b: TraceBuilder, call: number): number {
  b.mb(0, 'membarrier_private_expedited');
  const i = b.mbPhase(0, call, 'mb_end');
  b.mbPhase(0, call, 'return');
  return i;
}

/** A kernel -> user switch on `cpu` with every barrier removed (the (e) side of scenarios A/C). */
function bareSwitchToUser(b: TraceBuilder, cpu: CpuId, next: TaskId): void {
  const prev = b.current(cpu);
  const mm = b.mirror.task(prev).activeMm as string;
  b.path(cpu, 'context_switch', 'begin', prev);
  b.rqCurr(cpu, next);
  b.lazy(cpu, false, 'switch_mm_irqs_off');
  b.prevMm(cpu, mm);
  b.taskMm(cpu, prev, null, null);
  b.refMove(cpu, mm, 'lazy', `task:${prev}`, `rq:${cpu}`);
  b.switchTo(cpu, next);
  b.prevMm(cpu, null, 'finish_task_switch');
  b.refMove(cpu, mm, 'lazy', `rq:${cpu}`, `local:${cpu}:finish_task_switch`);
  b.ref(cpu, mm, 'mm_count', -1, 'lazy', `local:${cpu}:finish_task_switch`);
  b.path(cpu, 'context_switch', 'end', prev);
}

/** T9 (mm9) on cpu0, T1 (mm1, whose membarrier_state is `state`) on cpu1: a GLOBAL_EXPEDITED caller and another process. */
function twoProcesses(state: number): TraceBuilder {
  return new TraceBuilder({
    cpus: [{ curr: 'T9' }, { curr: 'T1' }],
    tasks: [{ task: 'T9', mm: 'mm9' }, { task: 'T1', mm: 'mm1' }],
    mms: [{ mm: 'mm9' }, { mm: 'mm1', membarrierState: state }],
  });
}

/** T0 (mm1, PRIVATE_EXPEDITED registered) on cpu0, K1 inside kthread_use_mm(mm1) on cpu1. */
function kthreadWorld(): TraceBuilder {
  return new TraceBuilder({
    cpus: [{ curr: 'T0' }, { curr: 'K1' }],
    tasks: [{ task: 'T0', mm: 'mm1' }, { task: 'K1', type: 'kthread', mm: 'mm1' }],
    mms: [{ mm: 'mm1', membarrierState: PRIVATE }],
  });
}

describe('membarrier-ordering', () => {
  it('scenario A: a thread running during the call is ordered by the IPI barrier', () => {
    const b = world();
    b.userExit(0);
    const call = start(b);
    b.mbScan(0, call, 1, true);
    const id = b.ipiSend(0, 1, 'ipi_mb', 'mm1');
    deliverIpi(b, 1, id, 'ipi_mb', 0, 'mm1');
    end(b, call);
    expect(check(b)).toEqual([]);
  });

  it('a user interval spanning the window without an IPI barrier fails at MB5', () => {
    const b = world();
    b.userExit(0);
    const call = start(b);
    b.mbScan(0, call, 1, false);
    const tC = end(b, call);
    const [v] = check(b);
    expect(v).toMatchObject({ clause: 'C4 interval spans the window (no IPI barrier)', index: tC, mm: 'mm1', cpus: [1] });
    expect(v.message).toContain('scans cpu1');
  });

  it('scenarios A/C: an interval that starts in the window needs a barrier after the rq->curr update', () => {
    const b = world();
    b.userExit(1);
    contextSwitch(b, 1, 'idle1');
    b.userExit(0);
    const call = start(b);
    b.mbScan(0, call, 1, false); // rq->curr is idle1: no IPI
    bareSwitchToUser(b, 1, 'T1');
    const s = returnToUser(b, 1, 'sysret');
    const tC = end(b, call);
    const [v] = check(b);
    expect(v).toMatchObject({ clause: 'C4 interval starts in the window ((a)-(e) pairing missing)', index: tC, cpus: [1] });
    expect(v.events).toContain(s);
  });

  it('scenario C: the real kernel -> user switch (switch_mm_irqs_off() barrier, mmdrop_lazy_tlb()) passes', () => {
    const b = world();
    b.userExit(1);
    contextSwitch(b, 1, 'idle1');
    b.userExit(0);
    const call = start(b);
    b.mbScan(0, call, 1, false);
    contextSwitch(b, 1, 'T1');
    returnToUser(b, 1, 'sysret');
    end(b, call);
    expect(check(b)).toEqual([]);
  });

  it('scenario D: exit_mm() without smp_mb__after_spinlock() leaves an interval ending in the window', () => {
    const run = (noBarrier: boolean) => {
      const b = new TraceBuilder({
        cpus: [{ curr: 'T0' }, { curr: 'T2' }],
        tasks: [{ task: 'T0', mm: 'mm1', tgid: 'P1' }, { task: 'T2', mm: 'mm1', tgid: 'P2' }, { task: 'idle1' }],
        mms: [{ mm: 'mm1', membarrierState: PRIVATE }],
      });
      b.userExit(0);
      const call = start(b);
      const e = b.userExit(1); // T2 calls exit()
      exitMm(b, 1, { noBarrier, stopBeforeMmput: true });
      b.mbScan(0, call, 1, false); // rq->curr->mm == NULL: no IPI
      return { b, e, tC: end(b, call) };
    };
    const bad = run(true);
    const [v] = check(bad.b);
    expect(v).toMatchObject({ clause: 'C4 interval ends in the window ((c)-(d) pairing missing)', index: bad.tC, cpus: [1] });
    expect(v.events).toContain(bad.e);
    expect(v.message).toContain('scenario D');
    expect(check(run(false).b)).toEqual([]);
  });

  it('scenario E: kthread_unuse_mm() needs its barrier before tsk->mm = NULL', () => {
    const run = (barrier: boolean) => {
      const b = kthreadWorld();
      b.userExit(0);
      const call = start(b);
      b.kthreadAccess(1, 'mm1', 'end', 'K1');
      b.path(1, 'kthread_unuse_mm', 'begin', 'K1');
      if (barrier) b.mb(1, 'smp_mb__after_spinlock');
      b.taskMm(1, 'K1', null, 'mm1', 'kthread_unuse_mm');
      b.mbScan(0, call, 1, false);
      return { b, tC: end(b, call) };
    };
    const bad = run(false);
    const [v] = check(bad.b);
    expect(v).toMatchObject({ clause: 'C4 interval ends in the window ((c)-(d) pairing missing)', index: bad.tC, cpus: [1] });
    expect(v.message).toContain('Scenario E');
    expect(check(run(true).b)).toEqual([]);
  });

  it('an IPI barrier in the middle of a kthread interval orders it (the interval is not split by the IPI)', () => {
    const b = kthreadWorld();
    b.userExit(0);
    const call = start(b);
    b.mbScan(0, call, 1, true);
    const id = b.ipiSend(0, 1, 'ipi_mb', 'mm1');
    deliverIpi(b, 1, id, 'ipi_mb', 0, 'mm1');
    end(b, call);
    expect(check(b)).toEqual([]);
  });

  it("errata A3: another thread on the caller's CPU is checked, the caller thread is not", () => {
    const run = (thread: TaskId) => {
      const b = world();
      b.userExit(0);
      const call = start(b);
      // The caller T0 is switched out after MB1 and `thread` runs user code on cpu0 with no barrier.
      b.path(0, 'context_switch', 'begin', 'T0');
      b.rqCurr(0, thread);
      b.switchTo(0, thread);
      b.path(0, 'context_switch', 'end', 'T0');
      b.userEnter(0, 'sysret', thread);
      b.userExit(0, 'irq', thread);
      b.mbScan(0, call, 1, true);
      const id = b.ipiSend(0, 1, 'ipi_mb', 'mm1');
      deliverIpi(b, 1, id, 'ipi_mb', 0, 'mm1');
      return { b, tC: b.mbPhase(0, call, 'mb_end') };
    };
    // Synthetic: the call has no MB5 either (so no barrier at all on cpu0); C4.2 reports that
    // first, this test is about C4's window check.
    const c4 = (b: TraceBuilder) => check(b, createMembarrierOrdering({ callerBarrierClause: false }));
    const other = run('T2');
    expect(c4(other.b)[0]).toMatchObject({ clause: 'C4 interval inside the window (no barrier)', index: other.tC, cpus: [0] });
    // The same interval by the caller itself is ordered by program order (synthetic).
    expect(c4(run('T0').b)).toEqual([]);
  });

  describe("C4.2 the caller's own MB1 and MB5 (membarrier.c scenarios A and B)", () => {
    /** A call on cpu0 that scans cpu1 and IPIs it; `mb1`/`mb5` say whether the caller executes them. */
    function call(mb1: boolean, mb5: boolean): { b: TraceBuilder; at: number } {
      const b = world();
      b.userExit(0);
      const c = b.mbEnter(0, 'PRIVATE_EXPEDITED');
      if (mb1) b.mb(0, 'membarrier_private_expedited');
      const start = b.mbPhase(0, c, 'mb_start');
      b.mbScan(0, c, 1, true);
      const id = b.ipiSend(0, 1, 'ipi_mb', 'mm1');
      deliverIpi(b, 1, id, 'ipi_mb', 0, 'mm1');
      if (mb5) b.mb(0, 'membarrier_private_expedited');
      const endAt = b.mbPhase(0, c, 'mb_end');
      b.mbPhase(0, c, 'return');
      return { b, at: mb1 ? endAt : start };
    }

    it('both barriers present: passes', () => {
      expect(check(call(true, true).b)).toEqual([]);
    });

    it('no MB1 (the syscall entry is not a barrier): fails at mb_start', () => {
      const { b, at } = call(false, true);
      const [v] = check(b);
      expect(v).toMatchObject({ clause: 'C4.2 caller entry barrier MB1 missing (scenario A)', index: at, cpus: [0] });
      expect(v.message).toContain('scenario A');
    });

    it('no MB5 (the barrier before the scan does not order it before the return): fails at mb_end', () => {
      const { b, at } = call(true, false);
      const [v] = check(b);
      expect(v).toMatchObject({ clause: 'C4.2 caller exit barrier MB5 missing (scenario B)', index: at, cpus: [0] });
    });

    it('an IPI handler barrier on the caller CPU after the scan orders the same accesses (SYNC_CORE run locally)', () => {
      const b = world(S.PRIVATE_EXPEDITED_SYNC_CORE | S.PRIVATE_EXPEDITED_SYNC_CORE_READY);
      b.userExit(0);
      const c = b.mbEnter(0, 'PRIVATE_EXPEDITED_SYNC_CORE');
      b.mb(0, 'membarrier_private_expedited');
      b.mbPhase(0, c, 'mb_start');
      b.mbScan(0, c, 0, true);
      b.mbScan(0, c, 1, false);
      b.mb(0, 'ipi_sync_core');
      b.mbPhase(0, c, 'mb_end');
      expect(check(b).filter((v) => v.clause.startsWith('C4.2'))).toEqual([]);
    });
  });

  it('a short-circuited call (no MB1/MB5) has no window: exempt when no other CPU runs user code of the mm', () => {
    const b = world();
    b.userExit(0);
    b.userExit(1);
    const call = b.mbEnter(0, 'PRIVATE_EXPEDITED');
    b.mbPhase(0, call, 'return', { ret: 0, shortCircuit: true });
    expect(check(b)).toEqual([]);
  });

  it('C4.6: a PRIVATE command returns 0 only on an mm with its READY bit (else -EPERM)', () => {
    const run = (state: number, ret: number) => {
      const b = world(state);
      b.userExit(0);
      b.userExit(1);
      const call = b.mbEnter(0, 'PRIVATE_EXPEDITED');
      const i = b.mbPhase(0, call, 'return', { ret, shortCircuit: ret === 0 });
      return { v: check(b), i };
    };
    const unregistered = run(0, 0);
    expect(unregistered.v).toEqual([expect.objectContaining({ clause: 'C4.6 success without the READY bit', index: unregistered.i, mm: 'mm1' })]);
    expect(run(0, -1).v).toEqual([]);
    expect(run(PRIVATE, 0).v).toEqual([]);
    // SYNC_CORE needs its own READY bit: PRIVATE_EXPEDITED_READY is not enough.
    const b = world(PRIVATE);
    b.userExit(0);
    b.userExit(1);
    const call = b.mbEnter(0, 'PRIVATE_EXPEDITED_SYNC_CORE');
    b.mbPhase(0, call, 'return', { ret: 0, shortCircuit: true });
    expect(check(b).map((v) => v.clause)).toEqual(['C4.6 success without the READY bit']);
  });

  describe('C4.5 short-cut taken while another CPU accesses a covered mm', () => {
    it('fails a PRIVATE short-cut while T1 of the same mm is in user mode on cpu1 (mm_users == 1 cannot hold)', () => {
      const b = world();
      b.userExit(0);
      const call = b.mbEnter(0, 'PRIVATE_EXPEDITED');
      const ret = b.mbPhase(0, call, 'return', { ret: 0, shortCircuit: true });
      expect(check(b)).toEqual([expect.objectContaining({ clause: 'C4.5 short-cut taken while another CPU accesses a covered mm', index: ret, mm: 'mm1', cpus: [0, 1] })]);
      expect(check(b, createMembarrierOrdering({ shortCircuitClause: false }))).toEqual([]);
    });

    it('fails a GLOBAL short-cut (num_online_cpus() == 1 cannot hold) only when the user-mode CPU runs a GLOBAL_EXPEDITED_READY mm', () => {
      const run = (state: number) => {
        const b = twoProcesses(state);
        b.userExit(0);
        const call = b.mbEnter(0, 'GLOBAL_EXPEDITED');
        b.mbPhase(0, call, 'return', { ret: 0, shortCircuit: true });
        return check(b);
      };
      expect(run(GLOBAL)).toEqual([expect.objectContaining({ clause: 'C4.5 short-cut taken while another CPU accesses a covered mm', mm: 'mm1' })]);
      expect(run(PRIVATE)).toEqual([]);
    });

    it('fails a PRIVATE short-cut while a kthread is between kthread_use_mm() and kthread_unuse_mm() of the mm on cpu1 (one that holds no mm_users)', () => {
      const run = (accessing: boolean) => {
        const b = kthreadWorld();
        b.kthreadAccess(1, 'mm1', 'begin', 'K1');
        if (!accessing) b.kthreadAccess(1, 'mm1', 'end', 'K1');
        b.userExit(0);
        const call = b.mbEnter(0, 'PRIVATE_EXPEDITED');
        const ret = b.mbPhase(0, call, 'return', { ret: 0, shortCircuit: true });
        return { v: check(b), ret };
      };
      const bad = run(true);
      expect(bad.v).toEqual([expect.objectContaining({ clause: 'C4.5 short-cut taken while another CPU accesses a covered mm', index: bad.ret, mm: 'mm1', cpus: [0, 1] })]);
      expect(bad.v[0].message).toContain('kthread_use_mm()');
      expect(run(false).v).toEqual([]);
    });
  });

  it('GLOBAL_EXPEDITED covers only mms with GLOBAL_EXPEDITED_READY at MB1', () => {
    const run = (state: number) => {
      const b = twoProcesses(state);
      b.userExit(0);
      const call = start(b, 'GLOBAL_EXPEDITED');
      b.mbScan(0, call, 1, false);
      return { b, tC: end(b, call) };
    };
    const registered = run(GLOBAL);
    expect(check(registered.b)[0]).toMatchObject({ clause: 'C4 interval spans the window (no IPI barrier)', index: registered.tC, mm: 'mm1' });
    expect(check(run(PRIVATE).b)).toEqual([]);
  });

  describe('C4.1 stale rq->membarrier_state (expected on 6.17, errata Part 3 A1)', () => {
    /** Scenario 14: T1 exits on cpu1 (rq state zeroed), cpu1 switches from the dying T1 to T2 of mm1. */
    function scenario14(): { b: TraceBuilder; enter: number } {
      const b = world(GLOBAL);
      b.userExit(1);
      exitMm(b, 1);
      contextSwitch(b, 1, 'T2', { prevDies: true });
      return { b, enter: returnToUser(b, 1, 'sysret') };
    }

    it('scenario 14: the lazy -> same-mm switch does not restore the zeroed rq state', () => {
      const { b, enter } = scenario14();
      expect(b.mirror.cpu(1).rqMembarrierState).toBe(0);
      const [v] = check(b);
      expect(v).toMatchObject({ clause: 'C4.1 stale rq->membarrier_state', index: enter, mm: 'mm1', cpus: [1] });
      expect(v.message).toContain('trigger (i)');
    });

    it('a registration that sets GLOBAL_EXPEDITED_READY while a CPU runs the mm with a stale rq state', () => {
      const b = world(PRIVATE);
      const i = b.mmState(0, 'mm1', PRIVATE | GLOBAL);
      const [v] = check(b);
      expect(v).toMatchObject({ clause: 'C4.1 stale rq->membarrier_state', index: i });
      // The cause is read from the trace: a registration that missed the CPU, not exit_mm().
      expect(v.message).toContain('without reaching cpu');
      expect(v.message).not.toContain('trigger (i)');
    });

    it("the message names the writer the trace shows (here a context switch's membarrier_switch_mm()), not always exit_mm()", () => {
      const b = world(GLOBAL);
      // A 0 written by a switch, not by exit_mm(), while T1 runs mm1 in user mode on cpu1.
      const write = b.rqState(1, 0, 'membarrier_switch_mm');
      const [v] = check(b);
      expect(v).toMatchObject({ clause: 'C4.1 stale rq->membarrier_state', index: write });
      expect(v.message).toContain("membarrier_switch_mm() copied the next task's mm state");
      expect(v.message).not.toContain('exit_mm()/kthread_unuse_mm() zeroed it');
      expect(v.message).not.toContain('scenario 14');
    });

    it('with C4.1 off, the GLOBAL_EXPEDITED call that skips the stale CPU breaks C4', () => {
      const { b } = scenario14();
      b.userExit(0);
      const call = start(b, 'GLOBAL_EXPEDITED');
      b.mbScan(0, call, 1, false); // rq1->membarrier_state lacks GLOBAL_EXPEDITED
      const tC = end(b, call);
      const v = check(b, createMembarrierOrdering({ rqStateClause: false }));
      expect(v[0]).toMatchObject({ clause: 'C4 interval spans the window (no IPI barrier)', index: tC, cpus: [1] });
    });
  });

  describe('C4.4 no -EPERM after the registration returned (membarrier(2), membarrier_private_expedited())', () => {
    /** mm1 unregistered; T0 (cpu0) registers PRIVATE_EXPEDITED; `ready` sets the READY bits or not. */
    function registered(ready: boolean): TraceBuilder {
      const b = world(0);
      b.userExit(0);
      b.mbRegister(0, 'PRIVATE_EXPEDITED', 'enter');
      if (ready) b.mmState(0, 'mm1', PRIVATE);
      b.mbRegister(0, 'PRIVATE_EXPEDITED', 'ready');
      b.mbRegister(0, 'PRIVATE_EXPEDITED', 'return');
      return b;
    }
    const eperm = (b: TraceBuilder, cpu: CpuId, cmd: MembarrierCmd = 'PRIVATE_EXPEDITED') => b.mbPhase(cpu, b.mbEnter(cpu, cmd), 'return', { ret: -1 });

    it('-EPERM before any registration passes (the command was not registered)', () => {
      const b = world(0);
      b.userExit(0);
      eperm(b, 0);
      expect(check(b)).toEqual([]);
    });

    it('-EPERM after a registration that returned without setting READY fails, on another thread too', () => {
      const b = registered(false);
      b.userExit(1);
      const at = eperm(b, 1);
      const [v] = check(b);
      expect(v).toMatchObject({ property: 'membarrier-ordering', clause: 'C4.4 -EPERM after the registration returned', index: at, mm: 'mm1', cpus: [1] });
      expect(v.message).toContain('atomic_or(ready_state, &mm->membarrier_state)');
      expect(check(b, createMembarrierOrdering({ registeredClause: false }))).toEqual([]);
    });

    it('a call that entered before the registration returned may get -EPERM; another command is not covered', () => {
      const b = world(0);
      b.userExit(0);
      b.userExit(1);
      const early = b.mbEnter(1, 'PRIVATE_EXPEDITED');
      b.mbRegister(0, 'PRIVATE_EXPEDITED', 'enter');
      b.mbRegister(0, 'PRIVATE_EXPEDITED', 'return');
      b.mbPhase(1, early, 'return', { ret: -1 });
      eperm(b, 0, 'PRIVATE_EXPEDITED_SYNC_CORE');
      expect(check(b)).toEqual([]);
    });
  });
});
