/**
 * `lazymm kernel repro global-expedited-stale-rq-state`: the finding's two triggers that user space
 * can drive and their three controls (kernel/workloads/ge-*.c), judged from the trace of one boot.
 *
 * In every scenario process P registered GLOBAL_EXPEDITED and its thread T1 runs on CPU 1 while an
 * unregistered process Q calls MEMBARRIER_CMD_GLOBAL_EXPEDITED from CPU 2 (phase "calls"). For each
 * call the probes give CPU 1's rq->curr->mm and rq->membarrier_state when the kernel sends its IPIs
 * (smp_call_function_many_cond() from membarrier_global_expedited()), the IPI mask, and whether
 * ipi_mb ran on CPU 1 before the call returned. The finding is reproduced when, with T1 running on
 * CPU 1 in every call, no call of a trigger IPIs CPU 1 and every call of a control does.
 */
import { num, ptr, snapshot, symbolName, type FtraceRecord, type ScenarioBlock } from './ftrace';
import { judgeScenarios, type ReproVerdict, type ScenarioVerdict } from './repro-verdict';

export const GE_FINDING = 'global-expedited-stale-rq-state';
const TARGET_CPU = 1;
const GLOBAL_EXPEDITED = 2;
const REGISTER_GLOBAL_EXPEDITED = 4;

export const GE_SCENARIOS: readonly { name: string; role: 'trigger' | 'control'; what: string }[] = [
  { name: 'ge-exit', role: 'trigger', what: 'T2 (P) exits on CPU 1, switch dying T2 -> T1 (same mm)' },
  { name: 'ge-idle-register', role: 'trigger', what: 'T1 blocks, P registers from CPU 0, T1 wakes: idle -> T1' },
  { name: 'ge-exit-ctl-block', role: 'control', what: 'T2 blocks instead of exiting' },
  { name: 'ge-exit-ctl-other', role: 'control', what: 'a process R of another mm runs between T2 and T1' },
  { name: 'ge-register-running', role: 'control', what: 'P registers while T1 runs on CPU 1' },
];

export interface GeCall {
  /** Trace lines: membarrier entry, the IPI call, the return. */
  lines: number[];
  t1OnCpu: boolean;
  rqState: number;
  mask: number;
  ipiHandled: boolean;
}

export interface GeScenarioResult {
  name: string;
  role: 'trigger' | 'control';
  what: string;
  /** P's mm and its membarrier_state (as a switch to it read it). */
  mmState: number | null;
  calls: GeCall[];
  /** The calls that sent no IPI to CPU 1 although T1 ran there, and those that sent one (and ipi_mb ran). */
  missed: number;
  sent: number;
  /** inconclusive: T1 was not on CPU 1, or CPU 1's state changed during the calls (set-up not over). */
  verdict: ScenarioVerdict;
  /** The lines that show the transition of CPU 1's rq->membarrier_state before the calls. */
  evidence: string[];
}

export interface GeReproResult {
  finding: string;
  verdict: ReproVerdict;
  scenarios: GeScenarioResult[];
}

const phaseLine = (rs: readonly FtraceRecord[], phase: string) => rs.findIndex((r) => r.event === 'tracing_mark_write' && r.text?.endsWith(` ${phase}`));

/** P's mm: the mm of the registration's caller (CPU snapshot at its membarrier() entry). */
function registeredMm(rs: readonly FtraceRecord[]): string | null {
  const reg = rs.find((r) => r.event === 'mbe' && num(r, 'cmd') === REGISTER_GLOBAL_EXPEDITED);
  return reg ? snapshot(reg, reg.cpu).currMm : null;
}

export function judgeGeScenario(block: ScenarioBlock, spec: (typeof GE_SCENARIOS)[number]): GeScenarioResult {
  const rs = block.records;
  const mm = registeredMm(rs);
  const start = phaseLine(rs, 'calls');
  const end = phaseLine(rs, 'calls-done');
  const calls: GeCall[] = [];
  let mmState: number | null = null;
  for (const r of rs) if (r.event === 'sw' && ptr(r, 'nmm') === mm && mm !== null) mmState = num(r, 'nms');
  if (start >= 0 && end > start) {
    let cur: { mbe: FtraceRecord; scf?: FtraceRecord; ipi: boolean } | null = null;
    for (const r of rs.slice(start, end + 1)) {
      if (r.event === 'mbe' && num(r, 'cmd') === GLOBAL_EXPEDITED) cur = { mbe: r, ipi: false };
      else if (cur && r.event === 'scf' && r.pid === cur.mbe.pid && symbolName(r.fields.func) === 'ipi_mb') cur.scf = r;
      else if (cur && r.event === 'ipimb' && r.cpu === TARGET_CPU) cur.ipi = true;
      else if (cur && r.event === 'mbr' && r.pid === cur.mbe.pid && cur.scf) {
        const s = snapshot(cur.scf, TARGET_CPU);
        calls.push({ lines: [cur.mbe.line, cur.scf.line, r.line], t1OnCpu: s.currMm !== null && s.currMm === mm, rqState: s.rqMembarrierState, mask: num(cur.scf, 'mask'), ipiHandled: cur.ipi });
        cur = null;
      }
    }
  }
  const missed = calls.filter((c) => c.t1OnCpu && !(c.mask & (1 << TARGET_CPU)) && !c.ipiHandled).length;
  const sent = calls.filter((c) => c.t1OnCpu && c.mask & (1 << TARGET_CPU) && c.ipiHandled).length;
  // The scenario's set-up must be over before the calls: T1 on CPU 1 and CPU 1's state constant.
  const conclusive = mm !== null && calls.length > 0 && calls.every((c) => c.t1OnCpu && c.rqState === calls[0].rqState);
  const expected = spec.role === 'trigger' ? missed === calls.length : sent === calls.length;
  return {
    ...spec, mmState, calls, missed, sent,
    verdict: !conclusive ? 'inconclusive' : expected ? 'as-expected' : 'unexpected',
    evidence: [...registration(rs, start), ...stateTransitions(rs, start, mm), ...lastSwitchIn(rs, start, mm)],
  };
}

/** The registration's runqueue sync: single user (this runqueue) or the ipi_sync_rq_state mask. */
function registration(rs: readonly FtraceRecord[], until: number): string[] {
  const out: string[] = [];
  for (const r of rs.slice(0, until < 0 ? rs.length : until)) {
    if (r.event === 'srs') out.push(`line ${r.line}: sync_runqueues_membarrier_state() on CPU ${r.cpu}, mm_users ${num(r, 'users')}${num(r, 'users') === 1 ? ' (single user: only this runqueue)' : ''}; CPU 1 runs ${num(r, 'p1') === 0 ? 'the idle task' : `pid ${num(r, 'p1')}`}`);
    if (r.event === 'scf' && symbolName(r.fields.func) === 'ipi_sync_rq_state') out.push(`line ${r.line}: ipi_sync_rq_state IPI mask ${hexOf(num(r, 'mask'))}`);
  }
  return out;
}

/** The last context switch into P's mm on CPU 1 before the calls, with the state before and after. */
function lastSwitchIn(rs: readonly FtraceRecord[], until: number, mm: string | null): string[] {
  const head = rs.slice(0, until < 0 ? rs.length : until);
  for (let i = head.length - 1; i >= 0; i--) {
    const r = head[i];
    if (r.event !== 'sw' || r.cpu !== TARGET_CPU || ptr(r, 'nmm') !== mm) continue;
    const fts = head.slice(i + 1).find((x) => x.event === 'fts' && x.cpu === TARGET_CPU);
    const prevActive = ptr(r, 'pam');
    const prev = num(r, 'ppid') === 0 ? 'the idle task' : `pid ${num(r, 'ppid')}`;
    return [`line ${r.line}: last switch into P's mm on CPU 1: ${prev} (active_mm ${prevActive === mm ? "P's mm" : 'another mm'}) -> pid ${num(r, 'npid')}; rq->membarrier_state ${hexOf(num(r, 's1'))} before${fts ? `, ${hexOf(num(fts, 's1'))} after (line ${fts.line})` : ''}; P's mm->membarrier_state ${hexOf(num(r, 'nms'))}`];
  }
  return [];
}

/** The changes of CPU 1's rq->membarrier_state (as the probes on CPU 1 read it) up to the calls. */
function stateTransitions(rs: readonly FtraceRecord[], until: number, mm: string | null): string[] {
  const out: string[] = [];
  let last: number | null = null;
  for (const r of rs.slice(0, until < 0 ? rs.length : until)) {
    if (r.cpu !== TARGET_CPU || !('s1' in r.fields)) continue;
    const s = num(r, 's1');
    if (s !== last && last !== null) out.push(`line ${r.line}: CPU 1 rq->membarrier_state ${hexOf(last)} -> ${hexOf(s)} at ${describe(r, mm)}`);
    last = s;
  }
  return out;
}

const hexOf = (n: number) => `0x${n.toString(16)}`;

function describe(r: FtraceRecord, mm: string | null): string {
  const mine = (m: string | null) => (m === null ? 'no mm' : m === mm ? "P's mm" : 'another mm');
  switch (r.event) {
    case 'fts': return `finish_task_switch() (now pid ${num(r, 'p1')}, ${mine(ptr(r, 'm1'))})`;
    case 'smm': return `switch_mm_irqs_off() to pid ${num(r, 'tpid')} (${mine(ptr(r, 'next'))}), after membarrier_switch_mm()`;
    case 'sw': return `sched_switch to pid ${num(r, 'npid')}`;
    case 'lazy': return `enter_lazy_tlb() of pid ${num(r, 'tpid')} (exit_mm: current->mm = NULL)`;
    case 'irsr': return 'ipi_sync_rq_state() return';
    case 'srsr': return 'sync_runqueues_membarrier_state() return';
    default: return `${r.event} (pid ${r.pid})`;
  }
}

export function judgeGe(blocks: readonly ScenarioBlock[]): GeReproResult {
  return { finding: GE_FINDING, ...judgeScenarios(blocks, GE_SCENARIOS, judgeGeScenario) };
}
