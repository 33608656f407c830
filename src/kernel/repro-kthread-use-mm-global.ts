/**
 * The GLOBAL_EXPEDITED form of single-user-shortcuts-miss-kthread-use-mm on the real kernel
 * (kernel/workloads/gadget-aio-global.h): each round a fresh P registers
 * MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED while a USB gadget worker is inside kthread_use_mm(P's
 * mm) on another CPU, and Q (another mm) calls MEMBARRIER_CMD_GLOBAL_EXPEDITED until P's read is
 * complete.
 *
 * Models: kernel/sched/membarrier.c sync_runqueues_membarrier_state(): "if (atomic_read(&mm->mm_users)
 * == 1 || num_online_cpus() == 1) { this_cpu_write(runqueues.membarrier_state, membarrier_state); ...
 * return 0; }", else ipi_sync_rq_state() on every CPU whose rq->curr has p->mm == mm (the worker's:
 * kernel/kthread.c kthread_use_mm() sets tsk->mm); membarrier_global_expedited(): a CPU is IPI'd only
 * if "READ_ONCE(cpu_rq(cpu)->membarrier_state) & MEMBARRIER_STATE_GLOBAL_EXPEDITED" and its rq->curr
 * has an mm. The worker's CPU got rq->membarrier_state from kthread_use_mm() ->
 * membarrier_update_current_mm() before the registration, so without the bit, until its next switch
 * (membarrier_switch_mm()).
 *
 * A call of Q overlaps a registered window when a registration R of some P returned before Q's entry
 * (mbe), a worker's kthread_use_mm() of R's mm returned (kumr) before R's entry and its
 * kthread_unuse_mm() (kuum) comes after Q's smp_call_function_many_cond() of ipi_mb (scf: the scan
 * read every rq->membarrier_state and rq->curr before it), on a CPU other than Q's, the worker being
 * that CPU's rq->curr at Q's entry and at scf. Of each the judge reads the worker's CPU's
 * rq->membarrier_state at scf, the IPI mask, and whether ipi_mb ran there before Q's return (or, if
 * its kprobe was not recorded, the IPI vector: see KumCall.ipiSeenBy). Of each registration whose
 * runqueue sync decided while the worker was rq->curr inside the window, whether its
 * ipi_sync_rq_state() IPI mask has the worker's CPU. A call is judged when the worker stayed rq->curr
 * of its CPU, with no switch there, from that decision to the call's scan (a switch in between may
 * write the state, or leave it stale by the other open finding: see judgeKumGlobalScenario()).
 * Reproduced when the trigger's judged calls that read the state without
 * MEMBARRIER_STATE_GLOBAL_EXPEDITED (there is at least one) all sent the worker's CPU no IPI (and no
 * registration IPI'd it), and in the control every judged call IPI'd it and every registration that
 * met the worker sent ipi_sync_rq_state() there (at least one call or registration).
 */
import { num, ptr, snapshot, symbolName, type FtraceRecord, type ScenarioBlock } from './ftrace';
import { judgeScenarios, overallVerdict, type ReproVerdict, type ScenarioVerdict } from './repro-verdict';
import { judgeKum, kthreadWindows, type KumReproResult, type KumSpec, type KumWindow } from './repro-kthread-use-mm';

const GLOBAL_EXPEDITED = 2;
const REGISTER_GLOBAL_EXPEDITED = 4;
/** include/linux/sched/mm.h (6.1): MEMBARRIER_STATE_GLOBAL_EXPEDITED = (1U << 3). */
export const MEMBARRIER_STATE_GLOBAL_EXPEDITED = 0x8;

export const KUM_GLOBAL_SCENARIOS: readonly KumSpec[] = [
  { name: 'gfs-aio-global', role: 'trigger', what: "each round's P is single-threaded: its registration writes only its own CPU's runqueue (mm_users 1)" },
  { name: 'gfs-aio-global-ctl', role: 'control', what: "each round's P has a second thread, blocked in read(): mm_users 2, ipi_sync_rq_state() on the CPUs running P's mm" },
];

/** One MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED of a P. */
export interface KgRegistration {
  pid: number;
  cpu: number;
  mm: string;
  /** membarrier() entry and return. */
  lines: [number, number];
  /** mm_users at sync_runqueues_membarrier_state() entry (null: not probed). */
  users: number | null;
  /** The CPUs where ipi_sync_rq_state() ran for it. */
  syncedCpus: number[];
}

export interface KgCall {
  /** Q's membarrier() entry, its smp_call_function_many_cond() of ipi_mb, return. */
  lines: [number, number, number];
  cpu: number;
  registration: KgRegistration;
  window: KumWindow;
  /** The worker's CPU's rq->membarrier_state at the IPI call. */
  rqState: number;
  mask: number;
  ipiOnWorkerCpu: boolean;
  ipiSeenBy?: 'vector';
  /**
   * The worker was rq->curr of its CPU, its switch in finished, from its registration's runqueue
   * decision to this call's scan, with no switch on that CPU in between: the state the call read is
   * the one the registration left there. Only such calls are judged (see judgeKumGlobalScenario()).
   */
  sinceRegistration: boolean;
}

export interface KgScenarioResult extends KumSpec {
  registrations: KgRegistration[];
  /** Worker windows that contain a registration of their mm (kthread_use_mm() returned before it). */
  windows: number;
  /** GLOBAL_EXPEDITED calls of Q, in all. */
  calls: number;
  overlapping: KgCall[];
  /** Overlapping calls with `sinceRegistration`: the ones judged (stale, missed and sent count these). */
  judged: number;
  /** Judged calls that read the worker's CPU's state without MEMBARRIER_STATE_GLOBAL_EXPEDITED. */
  stale: number;
  /** Stale calls after a single-user registration that sent the worker's CPU no IPI; calls that IPI'd it. */
  missed: number;
  sent: number;
  /**
   * Registrations whose runqueue sync decided (its smp_call_function_many_cond() of
   * ipi_sync_rq_state, else its return) while the worker was inside kthread_use_mm() of the mm and
   * settled as rq->curr of its CPU (not mid-switch) from sync_runqueues_membarrier_state()'s entry
   * to the decision; and of those, the ones whose ipi_sync_rq_state()
   * IPI mask has the worker's CPU.
   */
  regAtScan: number;
  regSyncedWorker: number;
  verdict: ScenarioVerdict;
}

/**
 * Per CPU, the lines of its sched_switch (sw) records with the pid each switched to (next), and of
 * its finish_task_switch() (fts) records, in order.
 */
interface SwitchLines {
  sw: number[][];
  next: number[][];
  fts: number[][];
}

function switchLines(rs: readonly FtraceRecord[]): SwitchLines {
  const out: SwitchLines = { sw: [], next: [], fts: [] };
  for (const r of rs) {
    if (r.event === 'sw') {
      (out.sw[r.cpu] ??= []).push(r.line);
      (out.next[r.cpu] ??= []).push(num(r, 'npid'));
    } else if (r.event === 'fts') (out.fts[r.cpu] ??= []).push(r.line);
  }
  return out;
}

/** How many of the sorted `lines` are below `line`. */
function countBelow(lines: readonly number[] | undefined, line: number): number {
  if (!lines) return 0;
  let lo = 0;
  let hi = lines.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (lines[mid] < line) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The last of the sorted `lines` below `line`, or 0. */
const lastBelow = (lines: readonly number[] | undefined, line: number): number => {
  const k = countBelow(lines, line);
  return k === 0 ? 0 : (lines as readonly number[])[k - 1];
};

/**
 * `pid` was rq->curr of `cpu` and settled there at `from`, and no switch on `cpu` began until `to`
 * (lines). Settled: the CPU's last sched_switch before `from` went to `pid` and was followed by
 * finish_task_switch(). Between the two the CPU is mid-switch: rq->curr is already the next task but
 * membarrier_switch_mm() has not yet written its rq->membarrier_state (kernel/sched/core.c
 * __schedule(): RCU_INIT_POINTER(rq->curr, next) before context_switch()), and the switch's own
 * barriers order it. rq->curr is the next task before the sched_switch tracepoint fires, too, so a
 * CPU whose last traced switch went to another task than `pid` is mid-switch as well.
 */
function steadyCurr(sl: SwitchLines, cpu: number, pid: number, from: FtraceRecord, to: FtraceRecord): boolean {
  const k = countBelow(sl.sw[cpu], from.line);
  return countBelow(sl.sw[cpu], to.line + 1) === k && lastBelow(sl.fts[cpu], from.line) >= lastBelow(sl.sw[cpu], from.line)
    && (k === 0 || sl.next[cpu][k - 1] === pid)
    && snapshot(from, cpu).currPid === pid && snapshot(to, cpu).currPid === pid;
}

/** Every MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED that returned, with what its runqueue sync did. */
export function globalRegistrations(rs: readonly FtraceRecord[]): KgRegistration[] {
  const out: KgRegistration[] = [];
  const open = new Map<number, { reg: KgRegistration; mbe: FtraceRecord }>();
  for (const r of rs) {
    if (r.event === 'mbe' && num(r, 'cmd') === REGISTER_GLOBAL_EXPEDITED) {
      const mm = snapshot(r, r.cpu).currMm;
      if (mm) open.set(r.pid, { reg: { pid: r.pid, cpu: r.cpu, mm, lines: [r.line, r.line], users: null, syncedCpus: [] }, mbe: r });
      continue;
    }
    if (r.event === 'irs') {
      for (const o of open.values()) if (ptr(r, 'mm') === o.reg.mm && !o.reg.syncedCpus.includes(r.cpu)) o.reg.syncedCpus.push(r.cpu);
      continue;
    }
    const o = open.get(r.pid);
    if (!o) continue;
    if (r.event === 'srs' && o.reg.users === null) o.reg.users = num(r, 'users');
    if (r.event === 'mbr') {
      o.reg.lines[1] = r.line;
      out.push(o.reg);
      open.delete(r.pid);
    }
  }
  return out;
}

export function judgeKumGlobalScenario(block: ScenarioBlock, spec: KumSpec): KgScenarioResult {
  const rs = block.records;
  const registrations = globalRegistrations(rs);
  const registrants = new Set(registrations.map((g) => g.pid));
  // The windows of each registered mm that began before its registration.
  const inside = registrations.flatMap((g) => kthreadWindows(rs, g.mm).filter((w) => w.lines[1] < g.lines[0] && g.lines[0] < w.lines[2]).map((w) => ({ g, w })));
  const sl = switchLines(rs);
  // Each registration's runqueue decision (its smp_call_function_many_cond() of ipi_sync_rq_state, else
  // its return), when the worker was settled as rq->curr of its CPU throughout the sync.
  const decisions = new Map<(typeof inside)[number], FtraceRecord>();
  for (const gw of inside) {
    const { g, w } = gw;
    const during = rs.filter((r) => r.pid === g.pid && r.line > g.lines[0] && r.line < g.lines[1]);
    const srs = during.find((r) => r.event === 'srs');
    const decided = during.find((r) => r.event === 'scf' && symbolName(r.fields.func) === 'ipi_sync_rq_state') ?? during.find((r) => r.event === 'srsr');
    // The scan of rq->curr runs between the entry (srs) and the decision, after synchronize_rcu(): the
    // worker must be rq->curr, settled, from the one to the other, or the scan may have read another
    // task (a switch in after the scan and before the IPI call is possible).
    if (srs && decided && decided.line < w.lines[2] && steadyCurr(sl, w.cpu, w.pid, srs, decided)) decisions.set(gw, decided);
  }
  const overlapping: KgCall[] = [];
  let calls = 0;
  let cur: { mbe: FtraceRecord; scf?: FtraceRecord; ipiCpus: Set<number>; vectorCpus: Set<number> } | null = null;
  for (const r of rs) {
    if (r.event === 'mbe' && num(r, 'cmd') === GLOBAL_EXPEDITED && !registrants.has(r.pid)) cur = { mbe: r, ipiCpus: new Set(), vectorCpus: new Set() };
    else if (!cur) continue;
    else if (r.event === 'scf' && r.pid === cur.mbe.pid && symbolName(r.fields.func) === 'ipi_mb') cur.scf = r;
    else if (r.event === 'ipimb') cur.ipiCpus.add(r.cpu);
    else if (cur.scf && (r.event === 'call_function_entry' || r.event === 'call_function_single_entry')) cur.vectorCpus.add(r.cpu);
    else if (r.event === 'mbr' && r.pid === cur.mbe.pid) {
      calls++;
      const { mbe, scf } = cur;
      const hit = scf && inside.find(({ g, w }) => g.lines[1] < mbe.line && w.lines[1] < mbe.line && scf.line < w.lines[2] && w.cpu !== mbe.cpu && steadyCurr(sl, w.cpu, w.pid, mbe, scf));
      if (scf && hit) {
        const c = hit.w.cpu;
        const mask = num(scf, 'mask');
        const decided = decisions.get(hit);
        // The vector counts only for a CPU in the call's mask (other IPIs use the same vectors).
        const byVector = !cur.ipiCpus.has(c) && cur.vectorCpus.has(c) && (mask & (1 << c)) !== 0;
        overlapping.push({
          lines: [mbe.line, scf.line, r.line], cpu: mbe.cpu, registration: hit.g, window: hit.w,
          rqState: snapshot(scf, c).rqMembarrierState, mask,
          ipiOnWorkerCpu: cur.ipiCpus.has(c) || byVector,
          ...(byVector ? { ipiSeenBy: 'vector' as const } : {}),
          sinceRegistration: decided !== undefined && steadyCurr(sl, c, hit.w.pid, decided, scf),
        });
      }
      cur = null;
    }
  }
  // The registrations' own decision: did their runqueue sync reach the worker's CPU? The decision is
  // the IPI mask (ipi_sync_rq_state()'s kprobe on the worker's CPU may come after kthread_unuse_mm(),
  // or be missed inside another kprobe's handler).
  const regAtScan = decisions.size;
  const regSyncedWorker = [...decisions].filter(([{ w }, d]) => d.event === 'scf' && (num(d, 'mask') & (1 << w.cpu)) !== 0).length;
  // A call is judged only when nothing but the registration wrote the worker's CPU's state since it:
  // a switch in between may leave it stale without the registration's doing, by the other open
  // finding (global-expedited-stale-rq-state: membarrier_switch_mm() returns early when prev->active_mm
  // == next->mm, e.g. the worker back from a lazy idle task that kept P's mm while the registration's
  // scan, which reads rq->curr->mm, skipped the CPU), or fresh (a switch from another mm).
  const judged = overlapping.filter((c) => c.sinceRegistration);
  const staleCalls = judged.filter((c) => (c.rqState & MEMBARRIER_STATE_GLOBAL_EXPEDITED) === 0);
  const missed = staleCalls.filter((c) => c.registration.users === 1 && (c.mask & (1 << c.window.cpu)) === 0 && !c.ipiOnWorkerCpu).length;
  const sent = judged.filter((c) => (c.mask & (1 << c.window.cpu)) !== 0 && c.ipiOnWorkerCpu).length;
  // The trigger needs a stale call; the control a call or a registration that met the worker.
  const seen = spec.role === 'trigger' ? judged.length > 0 : judged.length + regAtScan > 0;
  const expected = spec.role === 'trigger'
    ? staleCalls.length > 0 && missed === staleCalls.length && regSyncedWorker === 0
    : sent === judged.length && regSyncedWorker === regAtScan;
  return {
    ...spec, registrations, windows: new Set(inside.map(({ w }) => w.lines[0])).size, calls, overlapping, judged: judged.length, stale: staleCalls.length, missed, sent, regAtScan, regSyncedWorker,
    verdict: !seen ? 'inconclusive' : expected ? 'as-expected' : 'unexpected',
  };
}

export interface KgReproResult {
  verdict: ReproVerdict;
  scenarios: KgScenarioResult[];
}

export function judgeKumGlobal(blocks: readonly ScenarioBlock[]): KgReproResult {
  return judgeScenarios(blocks, KUM_GLOBAL_SCENARIOS, judgeKumGlobalScenario);
}

/** Both forms of the finding from one boot: reproduced when both are. */
export function judgeKumBoth(blocks: readonly ScenarioBlock[]): KumReproResult & { global: KgReproResult } {
  const priv = judgeKum(blocks);
  const global = judgeKumGlobal(blocks);
  return { ...priv, verdict: overallVerdict([priv.verdict, global.verdict], 'reproduced'), global };
}
