/**
 * Conformance of the model to a real kernel: at every point a traced run shows, what the model's own
 * decision functions (src/engine/kernel/membarrier-decisions.ts, src/engine/arch/x86.ts
 * switchMmWritesCr3) compute from the inputs the probes read equals what the kernel did. One check
 * per observed point; the report counts agreement per rule.
 *
 * Kernel 6.1 and the v6.17 model: the functions below read the same in both trees (membarrier.c,
 * sched.h membarrier_switch_mm(), x86 switch_mm_irqs_off()'s early returns), so no version knob is
 * needed; a disagreement is reported with the trace lines and an explanation where one is known.
 */
import { membarrierEntry, membarrierExecMmapWrite, ipiSyncRqStateWrite, membarrierScanSelects, membarrierSwitchMmWrite, membarrierUpdateCurrentMmWrite, syncRunqueuesSelects, syncRunqueuesSingleUser } from '../engine/kernel/membarrier-decisions';
import { switchMmWritesCr3 } from '../engine/arch/x86';
import type { MembarrierCmd } from '../trace/events';
import { num, ptr, snapshot, symbolName, type FtraceRecord } from './ftrace';
import { CPUS } from './probes';

export const RULES = {
  'membarrier-ipi-mask': 'the IPI targets of an expedited membarrier() call = the CPUs the scan selects from rq->membarrier_state and rq->curr->mm (membarrierScanSelects)',
  'membarrier-entry': 'whether a membarrier() call returns -EPERM, returns at once or scans (membarrierEntry, from mm->membarrier_state and mm_users)',
  'sync-rq-state-mask': 'the ipi_sync_rq_state targets of a registration = the CPUs whose rq->curr->mm is the mm (syncRunqueuesSelects)',
  'rq-state-switch': 'rq->membarrier_state after a context switch = membarrier_switch_mm(rq, prev->active_mm, next->mm) on a switch to user, unchanged to a kthread (membarrierSwitchMmWrite)',
  'rq-state-exit': 'rq->membarrier_state after exit_mm() / kthread_unuse_mm() = 0 (membarrierUpdateCurrentMmWrite(NULL))',
  'rq-state-register': 'rq->membarrier_state after a single-user registration = the mm state (syncRunqueuesSingleUser)',
  'rq-state-ipi-sync': 'rq->membarrier_state after ipi_sync_rq_state() = the mm state if current->mm is the mm, else unchanged (ipiSyncRqStateWrite)',
  'rq-state-exec': 'rq->membarrier_state after membarrier_exec_mmap() = 0 (membarrierExecMmapWrite)',
  'switch-path': 'context_switch() to a task without mm enters lazy TLB (enter_lazy_tlb), to a task with an mm calls switch_mm_irqs_off()',
  'switch-mm-cr3': 'switch_mm_irqs_off() writes CR3 iff cpu_tlbstate.loaded_mm != next, or after a lazy period with a stale TLB (switchMmWritesCr3)',
} as const;

export type RuleId = keyof typeof RULES;

export interface Check {
  rule: RuleId;
  scenario: string;
  /** false: the model leaves the outcome open (an input the probes cannot read), not counted. */
  judged: boolean;
  agree: boolean;
  model: string;
  kernel: string;
  /** The trace lines (guest output line numbers) the check read. */
  lines: number[];
  explanation?: string;
}

const CMDS: Record<number, MembarrierCmd> = { 2: 'GLOBAL_EXPEDITED', 8: 'PRIVATE_EXPEDITED', 32: 'PRIVATE_EXPEDITED_SYNC_CORE', 128: 'PRIVATE_EXPEDITED_RSEQ' };
const MEMBARRIER_IPI = new Set(['ipi_mb', 'ipi_sync_core', 'ipi_rseq']);
const hex = (n: number) => `0x${n.toString(16)}`;
const maskOf = (cpus: number[]) => cpus.reduce((m, c) => m | (1 << c), 0);
const cpusOf = (mask: number) => [...Array(CPUS).keys()].filter((c) => mask & (1 << c));
const fmtCpus = (mask: number) => `{${cpusOf(mask).join(',')}}`;

/**
 * The CPUs the model's scan selects, reading each target's rq->membarrier_state and rq->curr->mm from
 * the snapshot `at` (the caller on `cpu`; its mm read from `callerAt`, the probe on the IPI call).
 */
function scanMask(cmd: MembarrierCmd, at: FtraceRecord, cpu: number, callerAt: FtraceRecord = at): number {
  const callerMm = snapshot(callerAt, cpu).currMm;
  let mask = 0;
  for (let t = 0; t < CPUS; t++) {
    const s = snapshot(at, t);
    if (membarrierScanSelects({ cmd, target: t, callerCpu: cpu, rqMembarrierState: s.rqMembarrierState, currMm: s.currMm, callerMm })) mask |= 1 << t;
  }
  return mask;
}

/**
 * A scan reads each CPU once, at some moment between the call's entry (`mbe`) and the IPI call the
 * probe sees (`scf`); the probes snapshot every CPU only at those two points. A CPU that switched
 * in between may be read either way, so the kernel's mask is explained when each CPU's bit is what
 * the scan selects at one of the two snapshots. Returns the CPUs whose bit only the entry snapshot
 * explains, or null when some bit neither explains (a true disagreement). The same holds for the
 * scan of sync_runqueues_membarrier_state() between its entry (`srs`) and its IPI call.
 */
function cpusExplainedEarlier(atProbe: number, atEntry: number, kernelMask: number): number[] | null {
  const early: number[] = [];
  for (let t = 0; t < CPUS; t++) {
    const bit = 1 << t;
    if ((atProbe & bit) === (kernelMask & bit)) continue;
    if ((atEntry & bit) !== (kernelMask & bit)) return null;
    early.push(t);
  }
  return early;
}

/**
 * The bits of `kernelMask` that neither snapshot explains, explained by the snapshots in between:
 * membarrier_global_expedited() reads a CPU's rq->membarrier_state and then its rq->curr, each at
 * its own moment, so a CPU whose state and curr both changed during the scan (an
 * ipi_sync_rq_state() that set the bit, then a switch to the idle task) can be read with the new
 * state and the old curr, which neither end sees. Each bit is explained when some snapshot `i` of
 * the window (every probe record from the call's entry to its IPI call) for the state and a snapshot
 * `j >= i` for rq->curr select it as the kernel did. Returns the CPUs so explained, or null.
 */
function cpusExplainedDuring(window: readonly FtraceRecord[], cmd: MembarrierCmd, cpu: number, callerAt: FtraceRecord, atProbe: number, atEntry: number, kernelMask: number): number[] | null {
  const callerMm = snapshot(callerAt, cpu).currMm;
  const snaps = window.filter((r) => r.fields.p0 !== undefined);
  const out: number[] = [];
  for (let t = 0; t < CPUS; t++) {
    const bit = 1 << t;
    const want = (kernelMask & bit) !== 0;
    if ((atProbe & bit) === (kernelMask & bit) || (atEntry & bit) === (kernelMask & bit)) continue;
    const found = snaps.some((a, i) => snaps.slice(i).some((b) => membarrierScanSelects({ cmd, target: t, callerCpu: cpu, rqMembarrierState: snapshot(a, t).rqMembarrierState, currMm: snapshot(b, t).currMm, callerMm }) === want));
    if (!found) return null;
    out.push(t);
  }
  return out;
}

const changedBetween = (cpus: number[], entry: string) => `CPU ${cpus.join(', ')} changed between the scan's read and the probe: the snapshot at ${entry} gives the kernel's bit`;

interface SwitchInFlight {
  sw: FtraceRecord;
  lazy: FtraceRecord | null;
  smm: FtraceRecord | null;
  cr3: FtraceRecord | null;
}

/** Every check on one scenario's records (in trace order). */
export function conformanceChecks(scenario: string, records: readonly FtraceRecord[]): Check[] {
  const out: Check[] = [];
  const push = (c: Omit<Check, 'scenario'>) => out.push({ scenario, ...c });
  const inSwitch = new Map<number, SwitchInFlight>();
  const callOf = new Map<number, { mbe: FtraceRecord; scf: FtraceRecord | null; mbeAt: number }>();
  const srsOf = new Map<number, FtraceRecord>();
  const irsOf = new Map<number, FtraceRecord>();
  const exmOf = new Map<number, FtraceRecord>();
  records.forEach((r, at) => {
    const c = r.cpu;
    switch (r.event) {
      case 'mbe':
        callOf.set(r.pid, { mbe: r, scf: null, mbeAt: at });
        break;
      case 'scf': {
        const func = symbolName(r.fields.func);
        const mask = num(r, 'mask');
        if (MEMBARRIER_IPI.has(func)) {
          const call = callOf.get(r.pid);
          const cmd = call ? CMDS[num(call.mbe, 'cmd')] : undefined;
          if (!call || !cmd) break;
          call.scf = r;
          const model = scanMask(cmd, r, c);
          const atEntry = scanMask(cmd, call.mbe, c, r);
          const early = model === mask ? [] : cpusExplainedEarlier(model, atEntry, mask);
          const during = early === null ? cpusExplainedDuring(records.slice(call.mbeAt, at + 1), cmd, c, r, model, atEntry, mask) : null;
          const check: Omit<Check, 'scenario'> = { rule: 'membarrier-ipi-mask', judged: true, agree: early !== null || during !== null, model: fmtCpus(model), kernel: fmtCpus(mask), lines: [call.mbe.line, r.line] };
          if (early !== null && early.length > 0) check.explanation = changedBetween(early, 'the membarrier() call\'s entry');
          if (during !== null) check.explanation = `CPU ${during.join(', ')} changed during the scan: its rq->membarrier_state and rq->curr read at two moments between the call's entry and the probe give the kernel's bit`;
          push(check);
        } else if (func === 'ipi_sync_rq_state') {
          const mm = ptr(r, 'info');
          if (mm === null) break;
          const selects = (at: FtraceRecord) => maskOf([...Array(CPUS).keys()].filter((t) => syncRunqueuesSelects(snapshot(at, t).currMm, mm)));
          const model = selects(r);
          const srs = srsOf.get(r.pid);
          const early = model === mask ? [] : srs ? cpusExplainedEarlier(model, selects(srs), mask) : null;
          const check: Omit<Check, 'scenario'> = { rule: 'sync-rq-state-mask', judged: true, agree: early !== null, model: fmtCpus(model), kernel: fmtCpus(mask), lines: srs ? [srs.line, r.line] : [r.line] };
          if (early !== null && early.length > 0) check.explanation = changedBetween(early, 'sync_runqueues_membarrier_state()\'s entry');
          push(check);
        }
        break;
      }
      case 'mbr': {
        const call = callOf.get(r.pid);
        callOf.delete(r.pid);
        const cmd = call ? CMDS[num(call.mbe, 'cmd')] : undefined;
        if (!call || !cmd) break;
        const users = num(call.mbe, `cu${call.mbe.cpu}`);
        const entry = membarrierEntry(cmd, num(call.mbe, `cs${call.mbe.cpu}`), users, CPUS);
        const ret = num(r, 'ret');
        const kernel = ret === -1 ? 'eperm' : call.scf ? 'scan' : ret === 0 ? 'short-circuit' : `ret ${ret}`;
        const check: Omit<Check, 'scenario'> = { rule: 'membarrier-entry', judged: true, agree: entry === kernel, model: entry, kernel, lines: [call.mbe.line, ...(call.scf ? [call.scf.line] : []), r.line] };
        // mm_users may change between the entry probe and the kernel's read (a kthread_use_mm() caller
        // that takes mmget_not_zero() first, e.g. f_fs.c ffs_user_copy_worker() in Debian's 6.1): the
        // kernel read a value between the two, so the decision on the value at the return counts too.
        const usersAtReturn = `cu${r.cpu}` in r.fields && r.cpu === call.mbe.cpu ? num(r, `cu${r.cpu}`) : users;
        if (!check.agree && usersAtReturn !== users && membarrierEntry(cmd, num(call.mbe, `cs${call.mbe.cpu}`), usersAtReturn, CPUS) === kernel) {
          check.agree = true;
          check.explanation = `mm_users changed during the call (${users} at entry, ${usersAtReturn} at return)`;
        }
        push(check);
        break;
      }
      case 'sw':
        inSwitch.set(c, { sw: r, lazy: null, smm: null, cr3: null });
        break;
      case 'lazy': {
        const s = inSwitch.get(c);
        if (s) {
          s.lazy = r;
          break;
        }
        // exit_mm() / kthread_unuse_mm(): "current->mm = NULL; membarrier_update_current_mm(NULL);
        // enter_lazy_tlb(mm, current);" -- the state after the update is read here.
        const after = snapshot(r, c).rqMembarrierState;
        const model = membarrierUpdateCurrentMmWrite(after, null) ?? after;
        push({ rule: 'rq-state-exit', judged: true, agree: model === after, model: hex(0), kernel: hex(after), lines: [r.line] });
        break;
      }
      case 'smm': {
        const s = inSwitch.get(c);
        if (s) s.smm = r;
        break;
      }
      case 'cr3': {
        const s = inSwitch.get(c);
        if (s && s.smm) s.cr3 = r;
        break;
      }
      case 'fts': {
        const s = inSwitch.get(c);
        inSwitch.delete(c);
        if (!s) break;
        checkSwitch(s, r, push, records, at);
        break;
      }
      case 'srs':
        srsOf.set(r.pid, r);
        break;
      case 'srsr': {
        const srs = srsOf.get(r.pid);
        srsOf.delete(r.pid);
        if (!srs || srs.cpu !== c || !syncRunqueuesSingleUser(num(srs, 'users'), CPUS)) break;
        const after = snapshot(r, c).rqMembarrierState;
        push({ rule: 'rq-state-register', judged: true, agree: after === num(srs, 'ms'), model: hex(num(srs, 'ms')), kernel: hex(after), lines: [srs.line, r.line] });
        break;
      }
      case 'irs':
        irsOf.set(c, r);
        break;
      case 'irsr': {
        const irs = irsOf.get(c);
        irsOf.delete(c);
        if (!irs) break;
        const before = snapshot(irs, c);
        const model = ipiSyncRqStateWrite(before.currMm, ptr(irs, 'mm'), num(irs, 'ms')) ?? before.rqMembarrierState;
        const after = snapshot(r, c).rqMembarrierState;
        push({ rule: 'rq-state-ipi-sync', judged: true, agree: model === after, model: hex(model), kernel: hex(after), lines: [irs.line, r.line] });
        break;
      }
      case 'exm':
        exmOf.set(r.pid, r);
        break;
      case 'exmr': {
        const exm = exmOf.get(r.pid);
        exmOf.delete(r.pid);
        if (!exm || exm.cpu !== c) break;
        const before = snapshot(exm, c).rqMembarrierState;
        const model = membarrierExecMmapWrite(before) ?? before;
        const after = snapshot(r, c).rqMembarrierState;
        push({ rule: 'rq-state-exec', judged: true, agree: model === after, model: hex(model), kernel: hex(after), lines: [exm.line, r.line] });
        break;
      }
    }
  });
  return out;
}

/**
 * The value of `field` in the first record after index `from` that carries it: the probes snapshot
 * every CPU's cpu_tlbstate.ctxs[].tlb_gen, so a later record shows what a CR3 write stored there.
 */
function nextValue(records: readonly FtraceRecord[], from: number, field: string): string | undefined {
  for (let i = from + 1; i < records.length; i++) {
    const v = records[i].fields[field];
    if (v !== undefined) return v;
  }
  return undefined;
}

/** The checks of one context switch: its mm path, CR3 write, and rq->membarrier_state after it. */
function checkSwitch(s: SwitchInFlight, fts: FtraceRecord, push: (c: Omit<Check, 'scenario'>) => void, records: readonly FtraceRecord[], ftsAt: number): void {
  const c = fts.cpu;
  const { sw } = s;
  const nextMm = ptr(sw, 'nmm');
  const lines = [sw.line, ...[s.lazy, s.smm, s.cr3].filter((x): x is FtraceRecord => x !== null).map((x) => x.line), fts.line];
  // contextSwitchMm(): "if (!next->mm) { enter_lazy_tlb(...) } else { membarrier_switch_mm(); switch_mm_irqs_off(); }"
  const modelPath = nextMm === null ? 'enter_lazy_tlb' : 'switch_mm_irqs_off';
  const kernelPath = s.lazy && !s.smm ? 'enter_lazy_tlb' : s.smm && !s.lazy ? 'switch_mm_irqs_off' : s.lazy ? 'both' : 'neither';
  push({ rule: 'switch-path', judged: true, agree: modelPath === kernelPath, model: modelPath, kernel: kernelPath, lines });
  const before = snapshot(sw, c).rqMembarrierState;
  const after = snapshot(fts, c).rqMembarrierState;
  const modelWith = (nms: number) => (nextMm === null ? before : membarrierSwitchMmWrite(before, ptr(sw, 'pam'), nextMm, nms) ?? before);
  const model = modelWith(num(sw, 'nms'));
  // membarrier_switch_mm() reads next->mm->membarrier_state after the sched_switch tracepoint and
  // before switch_mm_irqs_off(), whose probe reads it again: a registration of that mm in between
  // (its atomic_or() of the READY bit) can give the kernel the later value.
  const later = s.smm && s.smm.fields.nms !== undefined ? modelWith(num(s.smm, 'nms')) : model;
  const check: Omit<Check, 'scenario'> = { rule: 'rq-state-switch', judged: true, agree: model === after || later === after, model: hex(model), kernel: hex(after), lines };
  if (model !== after && later === after) check.explanation = `next->mm->membarrier_state changed during the switch: the value switch_mm_irqs_off()'s probe read (${hex(num(s.smm!, 'nms'))}) gives the kernel's`;
  push(check);
  if (s.smm) {
    const loaded = ptr(s.smm, `lm${c}`) ?? 'NULL';
    const next = ptr(s.smm, 'next') ?? 'NULL';
    // "if (this_cpu_read(cpu_tlbstate.ctxs[prev_asid].tlb_gen) == next_tlb_gen) return;" (read at
    // the entry of switch_mm_irqs_off(): a flush between the entry and the kernel's read would race).
    const asid = s.smm.fields[`a${c}`];
    const gen = asid === undefined ? undefined : s.smm.fields[`g${c}x${asid}`];
    const fresh = gen === undefined || s.smm.fields.ntg === undefined ? null : gen === s.smm.fields.ntg;
    const writes = switchMmWritesCr3(loaded, next, num(s.smm, `lz${c}`) !== 0, fresh);
    const kernel = s.cr3 !== null;
    const describe = (w: boolean | null) => (w === null ? 'either (lazy return: depends on the TLB generation)' : w ? 'CR3 write' : 'no CR3 write');
    const check: Omit<Check, 'scenario'> = { rule: 'switch-mm-cr3', judged: writes !== null, agree: writes === null || writes === kernel, model: describe(writes), kernel: describe(kernel), lines };
    // A lazy same-mm return judged fresh at the probe, and a CR3 write: another CPU's flush of the mm
    // may have bumped tlb_gen between the probe and the kernel's own read (the race named above). The
    // CR3 write stores the generation it read into ctxs[asid].tlb_gen; if that is newer than the one
    // the probe saw, the kernel read a stale TLB, and the model's rule on that read is a CR3 write.
    if (!check.agree && fresh === true && kernel && asid !== undefined && s.smm.fields.ntg !== undefined) {
      const stored = nextValue(records, ftsAt, `g${c}x${asid}`);
      if (stored !== undefined && Number(stored) > Number(s.smm.fields.ntg)) {
        check.agree = switchMmWritesCr3(loaded, next, true, false) === true;
        check.explanation = `a flush of the mm bumped tlb_gen between the probe (${s.smm.fields.ntg}) and switch_mm_irqs_off()'s read: the CR3 write stored ${stored}`;
      }
    }
    push(check);
  }
}

export interface RuleSummary {
  rule: RuleId;
  description: string;
  agree: number;
  disagree: number;
  unjudged: number;
  disagreements: Check[];
}

/** Agreement per rule over any number of checks (the first `keep` disagreements of each kept). */
export function summarize(checks: readonly Check[], keep = 5): RuleSummary[] {
  return (Object.keys(RULES) as RuleId[]).map((rule) => {
    const mine = checks.filter((c) => c.rule === rule);
    const bad = mine.filter((c) => c.judged && !c.agree);
    return {
      rule, description: RULES[rule],
      agree: mine.filter((c) => c.judged && c.agree).length,
      disagree: bad.length,
      unjudged: mine.filter((c) => !c.judged).length,
      disagreements: bad.slice(0, keep),
    };
  });
}
