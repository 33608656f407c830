/**
 * The GLOBAL_EXPEDITED form of single-user-shortcuts-miss-kthread-use-mm judged from small synthetic
 * traces in the guest's format (the probes of ./probes.ts): P (pid 100) registers on CPU 1, a gadget
 * worker (pid 50) copies on CPU 2, Q (pid 200) calls GLOBAL_EXPEDITED on CPU 0.
 */
import { parseBootOutput } from './ftrace';
import { KUM_GLOBAL_SCENARIOS, MEMBARRIER_STATE_GLOBAL_EXPEDITED, globalRegistrations, judgeKumBoth, judgeKumGlobal, judgeKumGlobalScenario } from './repro-kthread-use-mm-global';
import { kumReproText } from './repro-kthread-use-mm-text';

const MM = '0xffff8880aaaa0000';
const QMM = '0xffff8880cccc0000';

function line(comm: string, pid: number, cpu: number, ts: number, event: string, fields: string): string {
  return `${`${comm}-${pid}`.padStart(16)} (${String(pid).padStart(7)}) [00${cpu}] .....  ${String(ts).padStart(8)}: ${event}: (probe+0x0/0x10) ${fields}`;
}

interface Opts {
  /** mm_users of P's mm at sync_runqueues_membarrier_state(). */
  users?: number;
  /** CPU 2's rq->membarrier_state at Q's IPI call (0: stale). */
  state?: number;
  /** Q's ipi_mb IPI mask. */
  mask?: number;
  /** CPUs where ipi_mb ran for Q's call. */
  ipiOn?: number[];
  /** rq->curr of CPU 2 at Q's call. */
  cpu2?: number;
  /** Q's call before P's registration returned. */
  beforeReturn?: boolean;
  /** kthread_use_mm() after the registration. */
  windowAfter?: boolean;
  /** CPU 2 switches (sched_switch without its finish_task_switch()) between Q's entry and its IPI call. */
  switching?: boolean;
  /** CPU 2's last traced switch (finished before Q's call) went to pid 60, though rq->curr is already the worker again. */
  preSwitch?: boolean;
  /** An unrelated IPI vector on CPU 2 during Q's call. */
  otherVector?: boolean;
  /** The ipi_sync_rq_state mask of a multi-user registration (0x6: CPUs 1 and 2). */
  syncMask?: number;
  /**
   * The worker is switched out to CPU 2's idle task (pid 0, lazy on P's mm) during the registration,
   * and switched back in after it (membarrier_switch_mm() returns early: prev->active_mm == next->mm).
   */
  idleAtRegistration?: boolean;
}

/** kthread_use_mm() by the worker, P's registration, one GLOBAL_EXPEDITED call of Q, kthread_unuse_mm(). */
function scenario(name: string, o: Opts = {}): string {
  const users = o.users ?? 1;
  const state = o.state ?? 0;
  const mask = o.mask ?? 0x2;
  const snap = (s2: number, p2 = 50) => `s0=0x0 p0=200 m0=${QMM} s1=0x8 p1=100 m1=${MM} s2=0x${s2.toString(16)} p2=${p2} m2=${p2 === 50 ? MM : QMM}`;
  let ts = 0;
  const ev = (comm: string, pid: number, cpu: number, event: string, fields: string) => line(comm, pid, cpu, ++ts, event, fields);
  const window = [
    ev('kworker/2:1', 50, 2, 'kum', `mm=${MM} users=${users} ms=0x0`),
    ev('kworker/2:1', 50, 2, 'kumr', snap(0)),
  ];
  const rp = o.idleAtRegistration ? 0 : 50;
  const register = [
    ...(o.idleAtRegistration ? [ev('kworker/2:1', 50, 2, 'sw', `ppid=50 npid=0 ${snap(0, 0)}`), ev('swapper/2', 0, 2, 'fts', snap(0, 0))] : []),
    ev(name, 100, 1, 'mbe', `cmd=4 flags=0 cs1=0x0 cu1=${users} ${snap(0, rp)}`),
    ev(name, 100, 1, 'srs', `mm=${MM} ms=0x8 users=${users} ${snap(0, rp)}`),
    ...(users > 1 ? [
      ev(name, 100, 1, 'scf', `mask=0x${(o.syncMask ?? 0x6).toString(16)} func=ipi_sync_rq_state+0x0/0x40 info=0x0 ${snap(0, rp)}`),
      ...((o.syncMask ?? 0x6) & 4 ? [ev('kworker/2:1', 50, 2, 'irs', `mm=${MM} ms=0x8 ${snap(0)}`)] : []),
    ] : []),
    ev(name, 100, 1, 'srsr', snap(users > 1 && !o.idleAtRegistration ? 0xc : 0, rp)),
    ev(name, 100, 1, 'mbr', `ret=0 ${snap(state, rp)}`),
    ...(o.idleAtRegistration ? [ev('swapper/2', 0, 2, 'sw', `ppid=0 npid=50 ${snap(state)}`), ev('kworker/2:1', 50, 2, 'fts', snap(state))] : []),
  ];
  const call = [
    ...(o.preSwitch ? [ev('kworker/2:1', 50, 2, 'sw', `ppid=50 npid=60 ${snap(state, 60)}`), ev('h', 60, 2, 'fts', snap(state, 60))] : []),
    ev('q', 200, 0, 'mbe', `cmd=2 flags=0 cs0=0x0 cu0=1 ${snap(state, o.cpu2)}`),
    ...(o.switching ? [ev('h', 60, 2, 'sw', `ppid=60 npid=50 ${snap(state)}`)] : []),
    ev('q', 200, 0, 'scf', `mask=0x${mask.toString(16)} func=ipi_mb+0x0/0x10 info=0x0 ${snap(state, o.cpu2)}`),
    ...(o.ipiOn ?? []).map((c) => ev('x', c === 2 ? 50 : 100, c, 'ipimb', '')),
    ...(o.otherVector ? [ev('kworker/2:1', 50, 2, 'call_function_single_entry', 'vector=251')] : []),
    ev('q', 200, 0, 'mbr', `ret=0 ${snap(state, o.cpu2)}`),
  ];
  const unuse = ev('kworker/2:1', 50, 2, 'kuum', `mm=${MM} users=${users} ${snap(state)}`);
  const body = o.windowAfter ? [...register, ...window, ...call, unuse] : o.beforeReturn ? [...window, register[0], ...call, ...register.slice(1), unuse] : [...window, ...register, ...call, unuse];
  return [`#lazymm scenario ${name} rc=0 lazymm-elapsed ${name} 1000`, ...body, `#lazymm end ${name}`].join('\n');
}

const block = (text: string) => parseBootOutput(text).scenarios[0];
const [trigger, control] = KUM_GLOBAL_SCENARIOS;

describe('single-user-shortcuts-miss-kthread-use-mm, GLOBAL_EXPEDITED form, judged from synthetic traces', () => {
  test('MEMBARRIER_STATE_GLOBAL_EXPEDITED is bit 3 (include/linux/sched/mm.h)', () => {
    expect(MEMBARRIER_STATE_GLOBAL_EXPEDITED).toBe(1 << 3);
  });

  test("the registration: its pid, mm, lines, mm_users and the CPUs ipi_sync_rq_state() ran on", () => {
    expect(globalRegistrations(block(scenario('gfs-aio-global')).records)).toEqual([{ pid: 100, cpu: 1, mm: MM, lines: [4, 7], users: 1, syncedCpus: [] }]);
    expect(globalRegistrations(block(scenario('gfs-aio-global-ctl', { users: 2 })).records)[0]).toMatchObject({ users: 2, syncedCpus: [2], lines: [4, 9] });
  });

  test("a call after a single-user registration that read CPU 2's state without the bit and sent it no IPI is missed (trigger as expected)", () => {
    const r = judgeKumGlobalScenario(block(scenario('gfs-aio-global', { ipiOn: [1] })), trigger);
    expect(r.overlapping).toHaveLength(1);
    expect(r.overlapping[0]).toMatchObject({ lines: [8, 9, 11], cpu: 0, rqState: 0, mask: 0x2, ipiOnWorkerCpu: false, window: { pid: 50, cpu: 2, lines: [2, 3, 12] }, sinceRegistration: true });
    expect(r).toMatchObject({ windows: 1, calls: 1, judged: 1, stale: 1, missed: 1, sent: 0, regAtScan: 1, regSyncedWorker: 0, verdict: 'as-expected' });
  });

  test('the same trace judged as a control is unexpected (the judge does not only say yes)', () => {
    expect(judgeKumGlobalScenario(block(scenario('gfs-aio-global')), control).verdict).toBe('unexpected');
  });

  test("mm_users 2: ipi_sync_rq_state() on CPU 2, the state has the bit, Q's IPI reaches CPU 2: the control as expected", () => {
    const r = judgeKumGlobalScenario(block(scenario('gfs-aio-global-ctl', { users: 2, state: 0xc, mask: 0x6, ipiOn: [1, 2] })), control);
    expect(r).toMatchObject({ stale: 0, missed: 0, sent: 1, regAtScan: 1, regSyncedWorker: 1, verdict: 'as-expected' });
  });

  test("a control registration whose ipi_sync_rq_state() mask missed the worker's CPU is unexpected; without Q's calls it alone decides", () => {
    const r = judgeKumGlobalScenario(block(scenario('gfs-aio-global-ctl', { users: 2, syncMask: 0x2, state: 0xc, mask: 0x6, ipiOn: [1, 2] })), control);
    expect(r).toMatchObject({ sent: 1, regAtScan: 1, regSyncedWorker: 0, verdict: 'unexpected' });
    const noCall = judgeKumGlobalScenario(block(scenario('gfs-aio-global-ctl', { users: 2, cpu2: 60 })), control);
    expect(noCall).toMatchObject({ overlapping: [], regAtScan: 1, regSyncedWorker: 1, verdict: 'as-expected' });
  });

  test("a call after the worker left and came back (a lazy idle task kept P's mm: the other finding's early return) is not judged", () => {
    // The registration's scan found idle on CPU 2 (p->mm NULL) and skipped it; the worker's switch back
    // in left the stale state (prev->active_mm == next->mm). Q's call then skips CPU 2 in the control too.
    const c = judgeKumGlobalScenario(block(scenario('gfs-aio-global-ctl', { users: 2, syncMask: 0x2, mask: 0x2, ipiOn: [1], idleAtRegistration: true })), control);
    expect(c.overlapping).toHaveLength(1);
    expect(c.overlapping[0]).toMatchObject({ rqState: 0, ipiOnWorkerCpu: false, sinceRegistration: false });
    expect(c).toMatchObject({ judged: 0, stale: 0, sent: 0, regAtScan: 0, verdict: 'inconclusive' });
    // The same in the trigger judges nothing either: the stale state is not the single-user path's.
    const t = judgeKumGlobalScenario(block(scenario('gfs-aio-global', { idleAtRegistration: true })), trigger);
    expect(t).toMatchObject({ judged: 0, missed: 0, verdict: 'inconclusive' });
    // Without the excursion the same control call is judged, and unexpected.
    const u = judgeKumGlobalScenario(block(scenario('gfs-aio-global-ctl', { users: 2, mask: 0x2, ipiOn: [1] })), control);
    expect(u).toMatchObject({ judged: 1, sent: 0, verdict: 'unexpected' });
  });

  test("a control call that did not IPI the worker's CPU is unexpected", () => {
    const r = judgeKumGlobalScenario(block(scenario('gfs-aio-global-ctl', { users: 2, state: 0xc, mask: 0x2, ipiOn: [1] })), control);
    expect(r).toMatchObject({ sent: 0, verdict: 'unexpected' });
  });

  test('a trigger whose overlapping calls all found the bit (the worker switched since) shows no miss: unexpected', () => {
    const r = judgeKumGlobalScenario(block(scenario('gfs-aio-global', { state: 0xc, mask: 0x6, ipiOn: [1, 2] })), trigger);
    expect(r).toMatchObject({ stale: 0, sent: 1, verdict: 'unexpected' });
  });

  test('a stale trigger call that still IPI\'d the worker\'s CPU is unexpected', () => {
    const r = judgeKumGlobalScenario(block(scenario('gfs-aio-global', { mask: 0x6, ipiOn: [1, 2] })), trigger);
    expect(r).toMatchObject({ stale: 1, missed: 0, verdict: 'unexpected' });
  });

  test("an unrelated IPI vector on the worker's CPU outside the call's mask is no IPI of the call", () => {
    const r = judgeKumGlobalScenario(block(scenario('gfs-aio-global', { otherVector: true })), trigger);
    expect(r.overlapping[0]).toMatchObject({ ipiOnWorkerCpu: false });
    expect(r.verdict).toBe('as-expected');
    const c = judgeKumGlobalScenario(block(scenario('gfs-aio-global-ctl', { users: 2, state: 0xc, mask: 0x6, otherVector: true })), control);
    expect(c.overlapping[0]).toMatchObject({ ipiOnWorkerCpu: true, ipiSeenBy: 'vector' });
  });

  test('no overlap: a call before the registration returned, a window opened after it, the worker not rq->curr, CPU 2 mid-switch', () => {
    for (const o of [{ beforeReturn: true }, { windowAfter: true }, { cpu2: 60 }, { switching: true }, { preSwitch: true }] as Opts[]) {
      const r = judgeKumGlobalScenario(block(scenario('gfs-aio-global', o)), trigger);
      expect([o, r.calls, r.overlapping.length, r.verdict]).toEqual([o, 1, 0, 'inconclusive']);
    }
  });

  test('both scenarios as expected reproduce the form; with the PRIVATE_EXPEDITED form missing the run cannot be judged', () => {
    const boot = parseBootOutput([scenario('gfs-aio-global'), scenario('gfs-aio-global-ctl', { users: 2, state: 0xc, mask: 0x6, ipiOn: [1, 2] })].join('\n'));
    const g = judgeKumGlobal(boot.scenarios);
    expect(g.verdict).toBe('reproduced');
    expect(() => judgeKumBoth(boot.scenarios)).toThrow('scenario gfs-aio was not run');
    expect(() => judgeKumGlobal(parseBootOutput(scenario('gfs-aio-global')).scenarios)).toThrow('scenario gfs-aio-global-ctl was not run');
  });

  test('the text shows the GLOBAL_EXPEDITED table and calls', () => {
    const boot = parseBootOutput([scenario('gfs-aio-global'), scenario('gfs-aio-global-ctl', { users: 2, state: 0xc, mask: 0x6, ipiOn: [1, 2] })].join('\n'));
    const global = judgeKumGlobal(boot.scenarios);
    const out = kumReproText({ finding: 'f', verdict: 'reproduced', scenarios: [], global, kernel: 'k', accel: 'saved', bootSeconds: null, trace: 't' }).join('\n');
    expect(out).toContain('GLOBAL_EXPEDITED form: REPRODUCED');
    expect(out).toMatch(/gfs-aio-global +trigger +1 +1 +1 +0\/1 +1 +1 \(1\) +1 +no IPI 1\/1/);
    expect(out).toMatch(/gfs-aio-global-ctl +control +1 +2 +1 +1\/1 +1 +1 \(1\) +0 +IPI to the worker's CPU: calls 1\/1, registrations 1\/1/);
    expect(out).toContain("lines 8,9,10: GLOBAL_EXPEDITED on CPU 0, CPU 2 rq->membarrier_state 0x0, IPI mask 0x2, ipi_mb on CPU 2: no; after pid 100's registration (lines 4-7, mm_users 1, ipi_sync_rq_state on CPU none)");
  });
});
