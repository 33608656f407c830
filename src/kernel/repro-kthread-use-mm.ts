/**
 * `lazymm kernel repro single-user-shortcuts-miss-kthread-use-mm`: a single-threaded process's
 * membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) while a USB gadget worker is inside
 * kthread_use_mm() of its mm on another CPU (kernel/workloads/gadget-aio.h), judged from one boot.
 *
 * Models: kernel/sched/membarrier.c membarrier_private_expedited(): "if (atomic_read(&mm->mm_users)
 * == 1 || num_online_cpus() == 1) return 0;" before the scan, whose "p && p->mm == mm" (p =
 * cpu_rq(cpu)->curr) selects a kthread between kthread_use_mm() and kthread_unuse_mm() (kernel/
 * kthread.c: tsk->mm = mm) since 618758ed3a4f.
 *
 * A worker's window is from the return of kthread_use_mm() (probe kumr: tsk->mm is set) to the entry
 * of kthread_unuse_mm() (kuum: not yet cleared). A call of P overlaps a window when, on another CPU,
 * its decision lies inside it: its entry (mbe) and its smp_call_function_many_cond() (scf; the scan
 * read every rq->curr before it), or its return (mbr) when there is none (the short-cut), with the
 * worker as that CPU's rq->curr at both (not preempted: the scan would have seen it). A call whose IPI
 * reaches the worker may return after the window: the IPI waits (smp_call_function_many(..., true)). Of each overlapping call the
 * judge reads mm_users at entry (the short-cut's input), the smp_call_function_many_cond() of
 * ipi_mb between entry and return, and whether ipi_mb ran on the worker's CPU in between (KumCall).
 * Reproduced when the trigger's overlapping calls (mm_users 1) all sent no IPI and every control's
 * overlapping calls (mm_users 2) all IPI'd the worker's CPU; each scenario needs one overlap.
 */
import { num, ptr, snapshot, symbolName, type FtraceRecord, type ScenarioBlock } from './ftrace';
import { judgeScenarios, type ReproVerdict, type ScenarioVerdict } from './repro-verdict';

export const KUM_FINDING = 'single-user-shortcuts-miss-kthread-use-mm';
const PRIVATE_EXPEDITED = 8;
const REGISTER_PRIVATE_EXPEDITED = 16;

export interface KumSpec {
  name: string;
  role: 'trigger' | 'control';
  what: string;
}

export const KUM_SCENARIOS: readonly KumSpec[] = [
  { name: 'gfs-aio', role: 'trigger', what: "single-threaded P; gadgetfs' ep_user_copy_worker() holds no mm_users" },
  { name: 'gfs-aio-ctl', role: 'control', what: 'P has a second thread, blocked in read(): mm_users 2' },
  { name: 'ffs-aio', role: 'control', what: "single-threaded P; FunctionFS' ffs_user_copy_worker() takes mmget_not_zero() first in this build" },
];

/** A worker between kthread_use_mm(P's mm) and kthread_unuse_mm(). */
export interface KumWindow {
  pid: number;
  comm: string;
  cpu: number;
  /** Lines of kthread_use_mm() entry, its return, kthread_unuse_mm() entry. */
  lines: [number, number, number];
  /** mm_users of P's mm at kthread_use_mm() entry. */
  users: number;
}

export interface KumCall {
  /** membarrier() entry, its smp_call_function_many_cond() of ipi_mb if any, return. */
  lines: number[];
  cpu: number;
  /** mm_users of P's mm at entry (what the short-cut reads). */
  users: number;
  window: KumWindow;
  /** The ipi_mb IPI mask of the call (null: no smp_call_function_many_cond(), the short-cut). */
  mask: number | null;
  /**
   * ipi_mb ran on the worker's CPU between entry and return: its probe (ipimb), or the IPI vector's
   * tracepoint there (call_function{,_single}_entry) after the call's smp_call_function_many_cond()
   * (`ipiSeenBy: 'vector'`). The second covers an ipi_mb whose kprobe was not recorded: 9 of about
   * 6,200 control calls in four boots; in one, the IPI arrived while CPU 0's worker was entering
   * kthread_unuse_mm(), whose kprobe fired next (a kprobe hit inside another kprobe's handler is
   * dropped as missed).
   */
  ipiOnWorkerCpu: boolean;
  ipiSeenBy?: 'vector';
}

export interface KumScenarioResult extends KumSpec {
  /** PRIVATE_EXPEDITED calls of P, in all. */
  calls: number;
  windows: KumWindow[];
  overlapping: KumCall[];
  /** Overlapping calls with mm_users 1 and no IPI; overlapping calls that IPI'd the worker's CPU. */
  missed: number;
  sent: number;
  verdict: ScenarioVerdict;
}

export interface KumReproResult {
  finding: string;
  verdict: ReproVerdict;
  scenarios: KumScenarioResult[];
}

/** The worker windows on `mm`: kum (entry, with the mm), kumr (return), kuum (entry) of one pid. */
export function kthreadWindows(rs: readonly FtraceRecord[], mm: string): KumWindow[] {
  const open = new Map<number, { kum: FtraceRecord; kumr?: FtraceRecord }>();
  const out: KumWindow[] = [];
  for (const r of rs) {
    if (r.event === 'kum') open.set(r.pid, { kum: r });
    const o = open.get(r.pid);
    if (!o) continue;
    if (r.event === 'kumr' && !o.kumr) o.kumr = r;
    if (r.event === 'kuum') {
      open.delete(r.pid);
      if (o.kumr && ptr(o.kum, 'mm') === mm && ptr(r, 'mm') === mm) {
        out.push({ pid: r.pid, comm: r.comm, cpu: r.cpu, lines: [o.kum.line, o.kumr.line, r.line], users: num(o.kum, 'users') });
      }
    }
  }
  return out;
}

/** P: the caller of MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, and its mm. */
function registrant(rs: readonly FtraceRecord[]): { pid: number; mm: string } | null {
  const reg = rs.find((r) => r.event === 'mbe' && num(r, 'cmd') === REGISTER_PRIVATE_EXPEDITED);
  const mm = reg ? snapshot(reg, reg.cpu).currMm : null;
  return reg && mm ? { pid: reg.pid, mm } : null;
}

export function judgeKumScenario(block: ScenarioBlock, spec: KumSpec): KumScenarioResult {
  const rs = block.records;
  const p = registrant(rs);
  const windows = p ? kthreadWindows(rs, p.mm) : [];
  const overlapping: KumCall[] = [];
  let calls = 0;
  let cur: { mbe: FtraceRecord; scf?: FtraceRecord; ipiCpus: Set<number>; vectorCpus: Set<number> } | null = null;
  for (const r of p ? rs : []) {
    if (r.event === 'mbe' && r.pid === p!.pid && num(r, 'cmd') === PRIVATE_EXPEDITED) cur = { mbe: r, ipiCpus: new Set(), vectorCpus: new Set() };
    else if (!cur) continue;
    else if (r.event === 'scf' && r.pid === p!.pid && symbolName(r.fields.func) === 'ipi_mb') cur.scf = r;
    else if (r.event === 'ipimb') cur.ipiCpus.add(r.cpu);
    else if (cur.scf && (r.event === 'call_function_entry' || r.event === 'call_function_single_entry')) cur.vectorCpus.add(r.cpu);
    else if (r.event === 'mbr' && r.pid === p!.pid) {
      calls++;
      const { mbe } = cur;
      // The decision is over at the IPI call (the scan read every rq->curr before it), else at the return.
      const decided = cur.scf ?? r;
      const w = windows.find((x) => x.cpu !== mbe.cpu && x.lines[1] < mbe.line && decided.line < x.lines[2]
        && snapshot(mbe, x.cpu).currPid === x.pid && snapshot(decided, x.cpu).currPid === x.pid);
      if (w) {
        overlapping.push({
          lines: cur.scf ? [mbe.line, cur.scf.line, r.line] : [mbe.line, r.line], cpu: mbe.cpu, users: num(mbe, `cu${mbe.cpu}`), window: w,
          mask: cur.scf ? num(cur.scf, 'mask') : null,
          ipiOnWorkerCpu: cur.ipiCpus.has(w.cpu) || cur.vectorCpus.has(w.cpu),
          ...(!cur.ipiCpus.has(w.cpu) && cur.vectorCpus.has(w.cpu) ? { ipiSeenBy: 'vector' as const } : {}),
        });
      }
      cur = null;
    }
  }
  const missed = overlapping.filter((c) => c.users === 1 && c.mask === null && !c.ipiOnWorkerCpu).length;
  const sent = overlapping.filter((c) => c.mask !== null && (c.mask & (1 << c.window.cpu)) !== 0 && c.ipiOnWorkerCpu).length;
  const expected = spec.role === 'trigger' ? missed === overlapping.length : sent === overlapping.length;
  return {
    ...spec, calls, windows, overlapping, missed, sent,
    verdict: overlapping.length === 0 ? 'inconclusive' : expected ? 'as-expected' : 'unexpected',
  };
}

export function judgeKum(blocks: readonly ScenarioBlock[]): KumReproResult {
  return { finding: KUM_FINDING, ...judgeScenarios(blocks, KUM_SCENARIOS, judgeKumScenario) };
}
