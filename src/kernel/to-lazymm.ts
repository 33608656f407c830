/**
 * One scenario's ftrace records converted to the lazymm trace format (docs/trace-format.md): the
 * projection the probes can support. Names: tasks `T<pid>` (a task seen with an mm), `K<pid>`
 * (kernel threads), `idle<c>`; mms `mm1`, `mm2`, ... in order of first appearance (kernel pointers
 * are not kept), `init_mm`. The init event is built from the first snapshot of the scenario (every
 * CPU's rq->curr, its mm and rq->membarrier_state) and the first observation of every task and mm.
 *
 * Converted: context switches (path, rq_curr, lazy entry, task_mm, load_mm with CR3 writes and their
 * mb/serialize, switch_to), rq->membarrier_state changes, membarrier() calls (enter, mb_start, one
 * scan per CPU with the kernel's choice, IPIs sent and handled, mb_end, return), registrations and
 * mm->membarrier_state. Not converted, because the probes cannot see them in 6.1 (see
 * UNOBSERVABLE): reference counts, user mode on CPU 0 and the SYSRET/IRET choice, the TLB
 * generations, mm_cpumask, page walks. The result is a projection for the property report
 * (./property-verdicts.ts), not a trace to check on its own: `lazymm check-trace` would judge
 * membarrier-ordering without CPU 0's user mode, so it is not written out.
 */
import type { CpuId, InitEvent, IpiFunc, MembarrierCmd, TaskId, TraceEvent } from '../trace/events';
import { num, ptr, snapshot, symbolName, type FtraceRecord } from './ftrace';
import { CPUS } from './probes';

const CMDS: Record<number, MembarrierCmd> = { 2: 'GLOBAL_EXPEDITED', 8: 'PRIVATE_EXPEDITED', 32: 'PRIVATE_EXPEDITED_SYNC_CORE', 128: 'PRIVATE_EXPEDITED_RSEQ' };
const REGISTER: Record<number, MembarrierCmd> = { 4: 'GLOBAL_EXPEDITED', 16: 'PRIVATE_EXPEDITED', 64: 'PRIVATE_EXPEDITED_SYNC_CORE', 256: 'PRIVATE_EXPEDITED_RSEQ' };
const HANDLERS: Record<string, IpiFunc> = { ipimb: 'ipi_mb', ipisc: 'ipi_sync_core', ipirseq: 'ipi_rseq', irs: 'ipi_sync_rq_state' };
const SENT = new Set<string>(['ipi_mb', 'ipi_sync_core', 'ipi_rseq', 'ipi_sync_rq_state']);
const RQ_WRITER: Record<string, string> = { fts: 'membarrier_switch_mm', smm: 'membarrier_switch_mm', lazy: 'membarrier_update_current_mm', irsr: 'ipi_sync_rq_state', srsr: 'sync_runqueues_membarrier_state', exmr: 'membarrier_exec_mmap' };

/** What each property needs that a 6.1 trace under these probes cannot provide. */
export const UNOBSERVABLE: Readonly<Record<string, readonly string[]>> = {
  'refcount-balance': ['`ref` / `ref_move`: mmgrab(), mmdrop(), mmget(), mmput() are inline atomics (only sampled counts)', '`mm_alloc`: dup_mm() and copy_mm() are inlined'],
  'no-lazy-use-after-free': ['`ref`: the lazy references are inline atomics', '`mm_free`: free_mm() is inlined into __mmdrop()', '`deref`: page walks and NMI readers are invisible'],
  'sync-core-before-usermode': ['`serialize`: sync_core_before_usermode() is inlined; SYSRET vs IRET is chosen inside do_syscall_64()', '`user_enter` / `user_exit` on CPU 0: context tracking runs only on the nohz_full CPUs 1-2'],
  'membarrier-ordering': ['`user_enter` / `user_exit` on CPU 0: context tracking runs only on the nohz_full CPUs 1-2', '`mb`: the barriers outside membarrier() and the IPI handlers (__schedule(), atomics) are not probed'],
  'tlb-coherence': ['`tlb_gen` / `local_tlb_gen`: cpu_tlbstate.ctxs[].tlb_gen writes are not probed', '`cpumask`: cpumask_set_cpu() on mm_cpumask is inline'],
};

export interface Converted {
  events: TraceEvent[];
  /** Kernel pointer -> lazymm name, for reading the trace next to the ftrace text. */
  mms: Record<string, string>;
}

class Names {
  readonly mm = new Map<string, string>();
  readonly userPids = new Set<number>();
  constructor(private readonly initMm: string | null) {}
  mmOf(p: string | null): string | null {
    if (p === null) return null;
    if (p === this.initMm) return 'init_mm';
    if (!this.mm.has(p)) this.mm.set(p, `mm${this.mm.size + 1}`);
    return this.mm.get(p)!;
  }
  task(pid: number, cpu: number): TaskId {
    if (pid === 0) return `idle${cpu}`;
    return this.userPids.has(pid) ? `T${pid}` : `K${pid}`;
  }
}

interface CallState {
  id: number;
  cmd: MembarrierCmd | null;
  register: MembarrierCmd | null;
  task: TaskId;
  mm: string | null;
  scanned: boolean;
}

/** Converts one scenario; `initMm` is the address of init_mm from kallsyms (so it is named). */
export function toLazymm(records: readonly FtraceRecord[], initMm: string | null): Converted {
  const names = new Names(initMm);
  // First pass: which pids ever run with an mm (user tasks), and the first snapshot.
  for (const r of records) {
    if (r.event === 'sw') {
      if (ptr(r, 'pmm') !== null) names.userPids.add(num(r, 'ppid'));
      if (ptr(r, 'nmm') !== null) names.userPids.add(num(r, 'npid'));
    }
    for (let c = 0; c < CPUS; c++) if (`p${c}` in r.fields && ptr(r, `m${c}`) !== null) names.userPids.add(num(r, `p${c}`));
  }
  const first = records.find((r) => 's0' in r.fields);
  const events: TraceEvent[] = [];
  const tasks = new Map<TaskId, { pid: number; mm: string | null; tgid: number | null }>();
  const seeTask = (pid: number, cpu: number, mm: string | null, tgid: number | null) => {
    const id = names.task(pid, cpu);
    if (!tasks.has(id)) tasks.set(id, { pid, mm: names.mmOf(mm), tgid });
    return id;
  };
  const rqState: number[] = [];
  const curr: TaskId[] = [];
  for (let c = 0; c < CPUS; c++) {
    const s = first ? snapshot(first, c) : { rqMembarrierState: 0, currPid: 0, currMm: null };
    rqState.push(s.rqMembarrierState);
    curr.push(seeTask(s.currPid, c, s.currMm, null));
  }
  const calls = new Map<number, CallState>();
  const pendingIpi: { id: number; target: number; func: IpiFunc; from: number; mm: string | null }[] = [];
  let nextCall = 1;
  let nextIpi = 1;
  const inSwitch = new Map<number, { prev: TaskId; next: TaskId }>();
  for (const r of records) {
    const c = r.cpu as CpuId;
    if (r.event === 'tracing_mark_write') continue;
    // rq->membarrier_state of this CPU as this probe read it: a change since the last probe on it.
    if (`s${c}` in r.fields && RQ_WRITER[r.event] !== undefined) {
      const s = num(r, `s${c}`);
      if (s !== rqState[c]) {
        events.push({ k: 'rq_membarrier_state', cpu: c, fn: RQ_WRITER[r.event], value: s });
        rqState[c] = s;
      }
    }
    switch (r.event) {
      case 'sw': {
        const prev = seeTask(num(r, 'ppid'), c, ptr(r, 'pmm'), num(r, 'ptgid'));
        const next = seeTask(num(r, 'npid'), c, ptr(r, 'nmm'), num(r, 'ntgid'));
        inSwitch.set(c, { prev, next });
        events.push({ k: 'path', cpu: c, fn: 'context_switch', phase: 'begin', task: prev });
        events.push({ k: 'rq_curr', cpu: c, fn: '__schedule', task: next });
        if (ptr(r, 'nmm') === null) events.push({ k: 'task_mm', cpu: c, fn: 'context_switch', task: next, mm: null, activeMm: names.mmOf(ptr(r, 'pam')) });
        break;
      }
      case 'lazy':
        if (inSwitch.has(c)) events.push({ k: 'lazy', cpu: c, fn: 'enter_lazy_tlb', lazy: true });
        break;
      case 'cr3': {
        const s = inSwitch.get(c);
        const mm = s ? tasks.get(s.next)?.mm ?? null : null;
        if (mm === null) break;
        events.push({ k: 'load_mm', cpu: c, fn: 'switch_mm_irqs_off', mm, cr3Write: true, flushed: num(r, 'flush') !== 0 });
        events.push({ k: 'mb', cpu: c, fn: 'load_new_mm_cr3' });
        events.push({ k: 'serialize', cpu: c, fn: 'load_new_mm_cr3', how: 'write_cr3' });
        break;
      }
      case 'fts': {
        const s = inSwitch.get(c);
        inSwitch.delete(c);
        if (!s) break;
        events.push({ k: 'switch_to', cpu: c, fn: 'context_switch', prev: s.prev, task: s.next });
        events.push({ k: 'path', cpu: c, fn: 'context_switch', phase: 'end', task: s.prev });
        curr[c] = s.next;
        break;
      }
      case 'mbe': {
        const cmdNo = num(r, 'cmd');
        const task = seeTask(r.pid, c, ptr(r, `m${c}`), r.tgid);
        const mm = names.mmOf(ptr(r, `m${c}`));
        const st: CallState = { id: nextCall++, cmd: CMDS[cmdNo] ?? null, register: REGISTER[cmdNo] ?? null, task, mm, scanned: false };
        calls.set(r.pid, st);
        if (st.cmd) events.push({ k: 'membarrier', cpu: c, fn: 'membarrier', call: st.id, cmd: st.cmd, task, mm, phase: 'enter' });
        if (st.register && mm) events.push({ k: 'membarrier_register', cpu: c, fn: 'membarrier_register', cmd: st.register, mm, phase: 'enter' });
        break;
      }
      case 'srs': {
        const mm = names.mmOf(ptr(r, 'mm'));
        if (mm) events.push({ k: 'mm_membarrier_state', cpu: c, fn: 'membarrier_register', mm, value: num(r, 'ms') });
        break;
      }
      case 'exm': {
        const mm = names.mmOf(ptr(r, 'mm'));
        if (mm) events.push({ k: 'mm_membarrier_state', cpu: c, fn: 'membarrier_exec_mmap', mm, value: 0 });
        break;
      }
      case 'scf': {
        const func = symbolName(r.fields.func) as IpiFunc;
        if (!SENT.has(func)) break;
        const mask = num(r, 'mask');
        const call = calls.get(r.pid);
        if (call?.cmd && func !== 'ipi_sync_rq_state') {
          call.scanned = true;
          events.push({ k: 'mb', cpu: c, fn: 'membarrier' });
          events.push({ k: 'membarrier', cpu: c, fn: 'membarrier', call: call.id, cmd: call.cmd, task: call.task, mm: call.mm, phase: 'mb_start' });
          for (let t = 0; t < CPUS; t++) {
            if (call.cmd === 'GLOBAL_EXPEDITED' && t === c) continue;
            const s = snapshot(r, t);
            events.push({ k: 'membarrier_scan', cpu: c, fn: 'membarrier', call: call.id, target: t, currTask: seeTask(s.currPid, t, s.currMm, null), currMm: names.mmOf(s.currMm), rqMembarrierState: s.rqMembarrierState, selected: (mask & (1 << t)) !== 0 });
          }
        }
        const mm = func === 'ipi_sync_rq_state' ? names.mmOf(ptr(r, 'info')) : call?.mm ?? null;
        for (let t = 0; t < CPUS; t++) {
          if (!(mask & (1 << t)) || t === c) continue;
          const id = nextIpi++;
          pendingIpi.push({ id, target: t, func, from: c, mm });
          events.push({ k: 'ipi_send', cpu: c, fn: func === 'ipi_sync_rq_state' ? 'sync_runqueues_membarrier_state' : 'membarrier', id, target: t, func, mm });
        }
        break;
      }
      case 'mbr': {
        const call = calls.get(r.pid);
        calls.delete(r.pid);
        if (!call) break;
        const ret = num(r, 'ret');
        if (call.cmd) {
          if (call.scanned) {
            events.push({ k: 'mb', cpu: c, fn: 'membarrier' });
            events.push({ k: 'membarrier', cpu: c, fn: 'membarrier', call: call.id, cmd: call.cmd, task: call.task, mm: call.mm, phase: 'mb_end' });
          }
          events.push({ k: 'membarrier', cpu: c, fn: 'membarrier', call: call.id, cmd: call.cmd, task: call.task, mm: call.mm, phase: 'return', ret, shortCircuit: !call.scanned && ret === 0 });
        }
        if (call.register && call.mm) events.push({ k: 'membarrier_register', cpu: c, fn: 'membarrier_register', cmd: call.register, mm: call.mm, phase: 'return' });
        break;
      }
      default: {
        const func = HANDLERS[r.event];
        if (!func) break;
        const i = pendingIpi.findIndex((p) => p.target === c && p.func === func);
        const p = i >= 0 ? pendingIpi.splice(i, 1)[0] : null;
        events.push({ k: 'ipi_handle', cpu: c, fn: func, id: p ? p.id : null, from: p ? p.from : c, mm: p ? p.mm : null, local: p === null });
        if (func !== 'ipi_sync_rq_state') events.push({ k: 'mb', cpu: c, fn: func });
      }
    }
  }
  const initTasks = [...tasks].map(([task, t]) => {
    const type = task.startsWith('idle') ? 'idle' as const : task.startsWith('K') ? 'kthread' as const : 'user' as const;
    return { task, type, tgid: type === 'user' ? `T${t.tgid ?? t.pid}` : null, mm: t.mm, activeMm: t.mm ?? 'init_mm', state: curr.includes(task) ? 'running' as const : 'runnable' as const };
  });
  // Counts consistent with the holders the init event lists: mm_users = the tasks whose ->mm it is,
  // mm_count = the one reference of all users (the real counts are not observable: inline atomics).
  const users = (mm: string) => initTasks.filter((t) => t.mm === mm).length;
  const init: InitEvent = {
    k: 'init', cpu: null, fn: 'start_kernel', arch: 'x86', strategy: 'refcount', knobs: { kernel: '6.1' },
    cpus: curr.map((t, c) => ({ cpu: c, online: true, curr: t, loadedMm: tasks.get(t)?.mm ?? 'init_mm', isLazy: false, rqMembarrierState: first ? snapshot(first, c).rqMembarrierState : 0, mode: 'kernel' as const })),
    tasks: initTasks,
    mms: [{ mm: 'init_mm', static: true, users: 1, count: 1, membarrierState: 0, tlbGen: 0, cpumask: [] },
      ...[...names.mm.values()].map((mm) => ({ mm, static: false, users: Math.max(1, users(mm)), count: 1, membarrierState: 0, tlbGen: 0, cpumask: [] }))],
    refs: [],
  };
  return { events: [init, ...events], mms: Object.fromEntries(names.mm) };
}
