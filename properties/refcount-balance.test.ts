import { checkTrace } from './index';
import { refcountBalance } from './refcount-balance';
import { TraceBuilder, type WorldSpec } from './lib/trace-builder';
import { contextSwitch, exitMm, mmput } from './lib/trace-macros';
import type { Violation } from './property';

const check = (b: TraceBuilder): Violation[] => checkTrace(b.events, [refcountBalance]);

/** Two threads of mm1 running on two CPUs, a process mm2 with two runnable threads, idle tasks. */
function world(strategy: WorldSpec['strategy'] = 'refcount'): TraceBuilder {
  return new TraceBuilder({
    strategy,
    cpus: [{ curr: 'T0' }, { curr: 'T1' }],
    tasks: [
      { task: 'T0', mm: 'mm1', tgid: 'P1' },
      { task: 'T1', mm: 'mm1', tgid: 'P1' },
      { task: 'T2', mm: 'mm2', tgid: 'P2' },
      { task: 'T3', mm: 'mm2', tgid: 'P2' },
      { task: 'idle0' },
      { task: 'idle1' },
    ],
    mms: [{ mm: 'mm1' }, { mm: 'mm2' }],
  });
}

/** Both threads of mm1 exit; each CPU goes idle, lazy on the dead mm1 (kernel-model.md scenario 8). */
function bothExit(b: TraceBuilder): void {
  b.userExit(1);
  exitMm(b, 1);
  contextSwitch(b, 1, 'idle1', { prevDies: true });
  b.userExit(0);
  exitMm(b, 0);
  contextSwitch(b, 0, 'idle0', { prevDies: true });
}

describe('refcount-balance', () => {
  it('applies to every strategy', () => {
    const init = world().init;
    expect(refcountBalance.appliesTo(init)).toBe(true);
    expect(refcountBalance.appliesTo({ ...init, strategy: 'shootdown' })).toBe(true);
    expect(refcountBalance.appliesTo({ ...init, strategy: 'hazard' })).toBe(true);
  });

  it('hazard pointers: a parked rq->drop_mm reference must match rq->drop_mm', () => {
    const b = world('hazard');
    b.path(0, '__mmput', 'begin');
    b.grab(0, 'mm1', 'grab', 'local:0:mm_unlazy_mm_count', 'mm_unlazy_mm_count');
    b.push({ k: 'hazard', cpu: 0, fn: '__try_mm_drop_rq_ref', target: 1, slot: 'drop_mm', mm: 'mm1' });
    b.refMove(0, 'mm1', 'grab', 'local:0:mm_unlazy_mm_count', 'rq:1:drop_mm', '__try_mm_drop_rq_ref');
    b.path(0, '__mmput', 'end');
    b.mb(0);
    expect(check(b)).toEqual([]);
    // The rq forgets its drop_mm without dropping the reference.
    const i = b.push({ k: 'hazard', cpu: 1, fn: 'mmdrop_lazy', target: 1, slot: 'drop_mm', mm: null });
    b.mb(0);
    expect(check(b)[0]).toMatchObject({ clause: 'C1.1 rq->drop_mm reference', mm: null, cpus: [1] });
    expect(check(b)[0].index).toBeGreaterThanOrEqual(i);
  });

  it('hazard pointers: a counted lazy reference is a violation', () => {
    const b = world('hazard');
    b.userExit(1, 'irq');
    const i = b.grab(1, 'mm1', 'lazy', 'task:idle1', 'mmgrab_lazy_tlb');
    expect(check(b)[0]).toMatchObject({ clause: 'C1.1 lazy reference under hazard pointers', index: i });
  });

  it('scenario 8: a dead mm kept by lazy CPUs is not a leak, and is freed when they move on', () => {
    const b = world();
    bothExit(b);
    expect(b.mirror.mm('mm1')).toMatchObject({ users: 0, count: 2, freed: false });
    expect(check(b)).toEqual([]);
    contextSwitch(b, 1, 'T2');
    contextSwitch(b, 0, 'T3');
    expect(b.mirror.mm('mm1')).toMatchObject({ users: 0, count: 0, freed: true });
    expect(check(b)).toEqual([]);
  });

  it('scenario 8 mutant: a user->kernel switch without mmgrab_lazy_tlb() leaves the lazy CPU without a reference', () => {
    const b = world();
    b.userExit(1, 'irq');
    contextSwitch(b, 1, 'idle1', { noLazyGrab: true });
    const end = b.last;
    b.mb(0);
    const [v] = check(b);
    expect(v).toMatchObject({ clause: 'C1.1 lazy holder without reference', index: end, mm: 'mm1', cpus: [1] });
    expect(v.message).toContain('idle1 holds no lazy reference on mm1');
  });

  it('scenario 8: a drop of a lazy reference that was never taken fails at the drop', () => {
    const b = world();
    b.path(1, 'context_switch', 'begin');
    const drop = b.ref(1, 'mm1', 'mm_count', -1, 'lazy', 'local:1:finish_task_switch', 'mmdrop_lazy_tlb_sched');
    const [v] = check(b);
    expect(v).toMatchObject({ clause: 'C1.1 drop without reference', index: drop, mm: 'mm1' });
    expect(v.message).toContain('dropped a lazy reference on mm1 it did not hold');
  });

  it('in-flight windows (S2..S3, exit_mm, finish_task_switch) do not fire', () => {
    const b = world();
    b.userExit(1, 'irq');
    contextSwitch(b, 1, 'idle1');
    contextSwitch(b, 1, 'T2');
    b.userExit(0);
    exitMm(b, 0, { stopBeforeMmput: true });
    b.mb(1);
    expect(check(b)).toEqual([]);
  });

  it('counter arithmetic: value must be the old value plus delta', () => {
    const b = world();
    const i = b.push({ k: 'ref', cpu: 0, fn: 'mmgrab', mm: 'mm1', counter: 'mm_count', delta: 1, value: 5, token: 'grab', owner: 'holder:K1' });
    expect(check(b)[0]).toMatchObject({ clause: 'C1.2 counter arithmetic', index: i });
  });

  it('a counter never goes negative', () => {
    const b = world();
    b.ref(0, 'mm2', 'mm_users', -1, 'users', 'task:T2');
    b.ref(0, 'mm2', 'mm_users', -1, 'users', 'task:T3');
    const i = b.ref(0, 'mm2', 'mm_users', -1, 'users', 'task:T3');
    expect(check(b)[0]).toMatchObject({ clause: 'C1.2 negative counter', index: i });
  });

  it('a token kind changes its own counter', () => {
    const b = world();
    const i = b.ref(0, 'mm1', 'mm_users', 1, 'lazy', 'task:idle0');
    expect(check(b)[0]).toMatchObject({ clause: 'C1.1 token/counter mismatch', index: i });
  });

  it('a reference can only be moved by its holder', () => {
    const b = world();
    const i = b.refMove(1, 'mm1', 'lazy', 'task:idle1', 'rq:1');
    expect(check(b)[0]).toMatchObject({ clause: 'C1.1 move without reference', index: i });
  });

  it('the init event must balance', () => {
    const b = new TraceBuilder({
      cpus: [{ curr: 'T0' }],
      tasks: [{ task: 'T0', mm: 'mm1' }],
      mms: [{ mm: 'mm1', count: 3 }],
    });
    expect(check(b)[0]).toMatchObject({ clause: 'C1.1 count balance', index: 0 });
  });

  it('shootdown: lazy users take no reference, and a lazy grab is a violation', () => {
    const b = world('shootdown');
    b.userExit(1, 'irq');
    contextSwitch(b, 1, 'idle1');
    expect(check(b)).toEqual([]);
    const i = b.grab(1, 'mm1', 'lazy', 'task:idle1');
    expect(check(b)[0]).toMatchObject({ clause: 'C1.1 lazy reference under shootdown', index: i });
  });

  it('a non-running task must not keep a lazy reference', () => {
    const b = world();
    b.userExit(1, 'irq');
    contextSwitch(b, 1, 'idle1');
    // kernel -> user switch that forgets to hand idle1's lazy reference to rq->prev_mm.
    b.path(1, 'context_switch', 'begin', 'idle1');
    b.mb(1);
    b.rqCurr(1, 'T1');
    b.lazy(1, false);
    b.taskMm(1, 'idle1', null, null);
    b.switchTo(1, 'T1');
    const end = b.path(1, 'context_switch', 'end', 'idle1');
    b.mb(0);
    expect(check(b)[0]).toMatchObject({ clause: 'C1.1 stale lazy reference', index: end, mm: 'mm1' });
  });

  it("rq->prev_mm's reference is dropped together with rq->prev_mm", () => {
    const b = world();
    b.userExit(1, 'irq');
    contextSwitch(b, 1, 'idle1');
    b.path(1, 'context_switch', 'begin', 'idle1');
    b.rqCurr(1, 'T1');
    b.lazy(1, false);
    b.prevMm(1, 'mm1');
    b.taskMm(1, 'idle1', null, null);
    b.refMove(1, 'mm1', 'lazy', 'task:idle1', 'rq:1');
    b.switchTo(1, 'T1');
    b.prevMm(1, null, 'finish_task_switch');
    const end = b.path(1, 'context_switch', 'end', 'idle1');
    expect(check(b)[0]).toMatchObject({ clause: 'C1.1 rq->prev_mm reference', index: end, mm: 'mm1' });
  });

  it("a path's local reference must not outlive the path", () => {
    const b = world();
    b.userExit(1);
    exitMm(b, 1, { stopBeforeMmput: true });
    const end = b.path(1, 'exit_mm', 'end');
    const [v] = check(b);
    expect(v).toMatchObject({ clause: 'C1.1 local reference outlives its path', index: end, mm: 'mm1' });
    expect(v.message).toContain('local:1:exit_mm');
  });

  it('__mmdrop() only at mm_count 0, free_mm() only unreferenced and once', () => {
    let b = world();
    let i = b.push({ k: 'mmdrop_begin', cpu: 0, fn: '__mmdrop', mm: 'mm2' });
    expect(check(b)[0]).toMatchObject({ clause: 'C1.2 __mmdrop with references', index: i });
    b = world();
    i = b.push({ k: 'mm_free', cpu: 0, fn: '__mmdrop', mm: 'mm2' });
    expect(check(b)[0]).toMatchObject({ clause: 'C1.2 free of a referenced mm', index: i });
    b = world();
    bothExit(b);
    contextSwitch(b, 1, 'T2');
    contextSwitch(b, 0, 'T3');
    i = b.push({ k: 'mm_free', cpu: 0, fn: '__mmdrop', mm: 'mm1' });
    expect(check(b)[0]).toMatchObject({ clause: 'C1.2 double free', index: i });
  });

  it('nothing is taken on a freed mm, and a dead mm_users is not revived', () => {
    let b = world();
    bothExit(b);
    contextSwitch(b, 1, 'T2');
    contextSwitch(b, 0, 'T3');
    let i = b.grab(0, 'mm1', 'grab', 'holder:K1');
    expect(check(b)[0]).toMatchObject({ clause: 'C1.3 reference on a freed mm', index: i });
    b = world();
    bothExit(b);
    i = b.grab(0, 'mm1', 'users', 'holder:K1', 'mmget');
    expect(check(b)[0]).toMatchObject({ clause: 'C1.3 mm_users resurrected', index: i });
  });

  it('C1.4: a dead mm whose users1 reference was never dropped leaks', () => {
    const b = world();
    b.userExit(0);
    b.path(0, 'exit_mm', 'begin');
    b.grab(0, 'mm2', 'grab', 'holder:x');
    b.drop(0, 'mm2', 'grab', 'holder:x');
    b.path(0, 'exit_mm', 'end');
    // mm2's last two users go away without __mmput()'s mmdrop().
    b.ref(0, 'mm2', 'mm_users', -1, 'users', 'task:T2');
    b.ref(0, 'mm2', 'mm_users', -1, 'users', 'task:T3');
    const [v] = check(b);
    expect(v).toMatchObject({ clause: 'C1.4 leaked', index: b.last, mm: 'mm2' });
    expect(v.message).toContain('users1(mm_users)');
  });

  it('C1.4 under shootdown: a dead mm kept only by lazy CPUs must have been freed', () => {
    const b = world('shootdown');
    b.userExit(1);
    exitMm(b, 1);
    contextSwitch(b, 1, 'idle1', { prevDies: true });
    b.userExit(0);
    b.path(0, 'exit_mm', 'begin');
    b.mb(0);
    b.taskMm(0, 'T0', null, 'mm1', 'exit_mm');
    b.refMove(0, 'mm1', 'users', 'task:T0', 'local:0:exit_mm', 'exit_mm');
    mmput(b, 0, 'mm1', 'local:0:exit_mm');
    b.path(0, 'exit_mm', 'end');
    // mmput() dropped the last reference; __mmdrop() freed mm1: a quiescent, correct end.
    expect(b.mirror.mm('mm1').freed).toBe(true);
    expect(check(b)).toEqual([]);
  });

  it('C1.4 under refcount: only lazy references of running lazy tasks may keep a dead mm', () => {
    const b = world();
    bothExit(b);
    // cpu1 switches to T2, but finish_task_switch() never takes rq->prev_mm: its reference stays.
    b.path(1, 'context_switch', 'begin', 'idle1');
    b.mb(1);
    b.rqCurr(1, 'T2');
    b.rqState(1, 0, 'membarrier_switch_mm');
    b.lazy(1, false);
    b.loadMm(1, 'mm2');
    b.cpumask(1, 'mm2', 1, true);
    b.prevMm(1, 'mm1');
    b.taskMm(1, 'idle1', null, null);
    b.refMove(1, 'mm1', 'lazy', 'task:idle1', 'rq:1');
    b.switchTo(1, 'T2');
    b.path(1, 'context_switch', 'end', 'idle1');
    const [v] = check(b);
    expect(v).toMatchObject({ clause: 'C1.4 leaked', index: b.last, mm: 'mm1' });
    expect(v.message).toContain('lazy(rq:1)');
  });

  it('C1.4 under shootdown: a dead mm that was never shot down and freed leaks', () => {
    const b = world('shootdown');
    b.userExit(1);
    exitMm(b, 1);
    contextSwitch(b, 1, 'idle1', { prevDies: true });
    b.userExit(0);
    exitMm(b, 0, { stopBeforeMmput: true });
    b.ref(0, 'mm1', 'mm_users', -1, 'users', 'local:0:exit_mm', 'mmput');
    b.ref(0, 'mm1', 'mm_count', -1, 'users1', 'mm_users', 'mmput');
    b.path(0, 'exit_mm', 'end');
    contextSwitch(b, 0, 'idle0', { prevDies: true });
    const [v] = check(b);
    expect(v).toMatchObject({ clause: 'C1.4 leaked', index: b.last, mm: 'mm1' });
  });
});
