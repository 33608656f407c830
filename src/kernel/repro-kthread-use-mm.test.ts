/**
 * The single-user-shortcuts-miss-kthread-use-mm judge on small synthetic traces in the guest's
 * format (the probes of ./probes.ts): P (pid 100) on CPU 1, a gadget worker (pid 50) on CPU 2.
 */
import { parseBootOutput } from './ftrace';
import { KUM_SCENARIOS, judgeKum, judgeKumScenario, kthreadWindows } from './repro-kthread-use-mm';
import { kumReproText } from './repro-kthread-use-mm-text';

const MM = '0xffff8880aaaa0000';
const OTHER = '0xffff8880bbbb0000';

/** One trace line; `snap` gives rq->curr of CPUs 0-2 as [pid, mm]. */
function line(comm: string, pid: number, cpu: number, ts: number, event: string, fields: string): string {
  return `${`${comm}-${pid}`.padStart(16)} (${String(pid).padStart(7)}) [00${cpu}] .....  ${String(ts).padStart(8)}: ${event}: (probe+0x0/0x10) ${fields}`;
}
const snap = (curr: [number, string][]) => curr.map(([p, m], c) => `s${c}=0x0 p${c}=${p} m${c}=${m}`).join(' ');

interface Opts {
  users?: number;
  /** The IPI mask of the PRIVATE_EXPEDITED call (none: the short-cut). */
  mask?: number;
  ipiOn?: number;
  /** rq->curr of CPU 2 at the call (50: the worker). */
  cpu2?: number;
  /** The call after kthread_unuse_mm() instead of inside. */
  after?: boolean;
  windowMm?: string;
}

/** Registration, kthread_use_mm() by the worker, one PRIVATE_EXPEDITED call of P, kthread_unuse_mm(). */
function scenario(name: string, o: Opts = {}): string {
  const users = o.users ?? 1;
  const wmm = o.windowMm ?? MM;
  const during: [number, string][] = [[0, '0x0'], [100, MM], [o.cpu2 ?? 50, (o.cpu2 ?? 50) === 50 ? wmm : OTHER]];
  let ts = 0;
  const ev = (comm: string, pid: number, cpu: number, event: string, fields: string) => line(comm, pid, cpu, ++ts, event, fields);
  const call = [
    ev(name, 100, 1, 'mbe', `cmd=8 flags=0 cs1=0x3 cu1=${users} ${snap(during)}`),
    ...(o.mask === undefined ? [] : [ev(name, 100, 1, 'scf', `mask=0x${o.mask.toString(16)} func=ipi_mb+0x0/0x10 info=0x0 ${snap(during)}`)]),
    ...(o.ipiOn === undefined ? [] : [ev('kworker/2:1', 50, o.ipiOn, 'ipimb', '')]),
    ev(name, 100, 1, 'mbr', `ret=0 ${snap(during)}`),
  ];
  const unuse = ev('kworker/2:1', 50, 2, 'kuum', `mm=${wmm} users=${users} ${snap(during)}`);
  const lines = [
    `#lazymm scenario ${name} rc=0 lazymm-elapsed ${name} 1000`,
    ev(name, 100, 1, 'mbe', `cmd=16 flags=0 cs1=0x0 cu1=${users} ${snap([[0, '0x0'], [100, MM], [0, '0x0']])}`),
    ev(name, 100, 1, 'mbr', `ret=0 ${snap([[0, '0x0'], [100, MM], [0, '0x0']])}`),
    ev('kworker/2:1', 50, 2, 'kum', `mm=${wmm} users=${users} ms=0x3`),
    ev('kworker/2:1', 50, 2, 'kumr', snap(during)),
  ];
  if (o.after) lines.push(unuse, ...call);
  else lines.push(...call, unuse);
  return [...lines, `#lazymm end ${name}`].join('\n');
}

const block = (text: string) => parseBootOutput(text).scenarios[0];
const trigger = KUM_SCENARIOS.find((s) => s.role === 'trigger')!;
const control = KUM_SCENARIOS.find((s) => s.name === 'gfs-aio-ctl')!;

describe('single-user-shortcuts-miss-kthread-use-mm judged from synthetic traces', () => {
  test('a call inside the worker window with mm_users 1 and no IPI is a missed IPI (trigger as expected)', () => {
    const r = judgeKumScenario(block(scenario('gfs-aio')), trigger);
    expect(r.windows).toEqual([{ pid: 50, comm: 'kworker/2:1', cpu: 2, lines: [4, 5, 8], users: 1 }]);
    expect(r.overlapping).toEqual([{ lines: [6, 7], cpu: 1, users: 1, window: r.windows[0], mask: null, ipiOnWorkerCpu: false }]);
    expect(r).toMatchObject({ calls: 1, missed: 1, sent: 0, verdict: 'as-expected' });
  });

  test('the same trace judged as a control is unexpected (the judge does not only say yes)', () => {
    expect(judgeKumScenario(block(scenario('gfs-aio')), control).verdict).toBe('unexpected');
  });

  test("mm_users 2, an ipi_mb mask with the worker's CPU and ipi_mb there: the control as expected", () => {
    const r = judgeKumScenario(block(scenario('gfs-aio-ctl', { users: 2, mask: 0x6, ipiOn: 2 })), control);
    expect(r.overlapping).toHaveLength(1);
    expect(r.overlapping[0]).toMatchObject({ users: 2, mask: 0x6, ipiOnWorkerCpu: true });
    expect(r).toMatchObject({ sent: 1, missed: 0, verdict: 'as-expected' });
  });

  test("the IPI vector on the worker's CPU after the call's IPI counts when the ipi_mb probe is missing", () => {
    const lines = scenario('gfs-aio-ctl', { users: 2, mask: 0x6 }).split('\n');
    lines.splice(lines.findIndex((l) => / scf: /.test(l)) + 1, 0, line('kworker/2:1', 50, 2, 99, 'call_function_single_entry', 'vector=251'));
    const text = lines.join('\n');
    const r = judgeKumScenario(block(text), control);
    expect(r.overlapping[0]).toMatchObject({ ipiOnWorkerCpu: true, ipiSeenBy: 'vector' });
    expect(r.verdict).toBe('as-expected');
  });

  test("a control call that decided (its IPI call) inside the window overlaps though it returns after it; a short-cut call must return inside", () => {
    const lines = scenario('gfs-aio-ctl', { users: 2, mask: 0x6, ipiOn: 2 }).split('\n');
    const mbr = lines.findIndex((l, i) => i > 3 && / mbr: /.test(l));
    const [unuse] = lines.splice(lines.findIndex((l) => / kuum: /.test(l)), 1);
    lines.splice(mbr, 0, unuse);
    const r = judgeKumScenario(block(lines.join('\n')), control);
    expect(r.overlapping.map((c) => c.lines)).toEqual([[6, 7, 10]]);
    expect(r.windows[0].lines[2]).toBe(9);
    const t = scenario('gfs-aio').split('\n');
    const [u] = t.splice(t.findIndex((l) => / kuum: /.test(l)), 1);
    t.splice(t.findIndex((l, i) => i > 3 && / mbr: /.test(l)), 0, u);
    expect(judgeKumScenario(block(t.join('\n')), trigger)).toMatchObject({ calls: 1, overlapping: [], verdict: 'inconclusive' });
  });

  test("a control call whose IPI did not reach the worker's CPU is unexpected", () => {
    const r = judgeKumScenario(block(scenario('gfs-aio-ctl', { users: 2, mask: 0x2 })), control);
    expect(r).toMatchObject({ sent: 0, verdict: 'unexpected' });
  });

  test('a trigger call that scanned (mm_users 2) is not a missed IPI', () => {
    const r = judgeKumScenario(block(scenario('gfs-aio', { users: 2, mask: 0x6, ipiOn: 2 })), trigger);
    expect(r).toMatchObject({ missed: 0, verdict: 'unexpected' });
  });

  test('calls outside the window, or while the worker is not rq->curr of its CPU, do not overlap: inconclusive', () => {
    for (const o of [{ after: true }, { cpu2: 77 }]) {
      const r = judgeKumScenario(block(scenario('gfs-aio', o)), trigger);
      expect(r).toMatchObject({ calls: 1, overlapping: [], verdict: 'inconclusive' });
    }
  });

  test("a worker using another process's mm is no window of P's mm", () => {
    const b = block(scenario('gfs-aio', { windowMm: OTHER }));
    expect(kthreadWindows(b.records, MM)).toEqual([]);
    expect(kthreadWindows(b.records, OTHER)).toHaveLength(1);
    expect(judgeKumScenario(b, trigger).verdict).toBe('inconclusive');
  });

  test('the three scenarios as expected reproduce the finding; the text shows the counts', () => {
    const text = [scenario('gfs-aio'), scenario('gfs-aio-ctl', { users: 2, mask: 0x6, ipiOn: 2 }), scenario('ffs-aio', { users: 2, mask: 0x6, ipiOn: 2 })].join('\n');
    const r = judgeKum(parseBootOutput(text).scenarios);
    expect(r.scenarios.map((s) => [s.name, s.verdict])).toEqual([['gfs-aio', 'as-expected'], ['gfs-aio-ctl', 'as-expected'], ['ffs-aio', 'as-expected']]);
    expect(r.verdict).toBe('reproduced');
    const out = kumReproText({ ...r, kernel: 'k', accel: 'saved', bootSeconds: null, trace: 't' }).join('\n');
    expect(out).toContain('REPRODUCED');
    expect(out).toMatch(/gfs-aio +trigger +1 +1 +1 +1 +1 +no IPI 1\/1/);
    expect(out).toMatch(/gfs-aio-ctl +control +1 +2 +1 +1 +2 +IPI to the worker's CPU 1\/1/);
  });

  test('a run without the controls cannot be judged', () => {
    expect(() => judgeKum(parseBootOutput(scenario('gfs-aio')).scenarios)).toThrow('scenario gfs-aio-ctl was not run');
  });
});
