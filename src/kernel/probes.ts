/**
 * What the guest traces: tracepoints, and kprobes whose fetch-args are built from the offsets the
 * set-up derived from BTF (Documentation/trace/kprobetrace.rst syntax). Per-CPU fields of every CPU
 * are read from any probe as `+OFF(@__per_cpu_offset+8*c)`, OFF being the per-CPU offset of
 * `runqueues` (or `cpu_tlbstate`, `cpu_tlbstate_shared`) from /proc/kallsyms plus the field offset;
 * the init script resolves those symbols at boot and puts them in shell variables ($RQ, $TLB,
 * $TLBS, $FTS), so a probe line here is a shell string.
 */
import type { Offsets } from './offsets';

export const CPUS = 3;

export const TRACEPOINTS = [
  'sched/sched_switch', 'sched/sched_process_fork', 'sched/sched_process_exec', 'sched/sched_process_exit',
  'tlb/tlb_flush', 'irq_vectors/call_function_entry', 'irq_vectors/call_function_single_entry',
  'context_tracking/user_enter', 'context_tracking/user_exit',
] as const;

const pcpu = (c: number) => (c === 0 ? '@__per_cpu_offset' : `@__per_cpu_offset+${8 * c}`);

/** rq->membarrier_state, rq->curr->pid and rq->curr->mm of every CPU: fields s<c>, p<c>, m<c>. */
export function snapshotArgs(o: Offsets): string[] {
  const out: string[] = [];
  for (let c = 0; c < CPUS; c++) {
    const curr = `+$((RQ+${o.rqCurr}))(${pcpu(c)})`;
    out.push(`s${c}=+$((RQ+${o.rqMembarrierState}))(${pcpu(c)}):x32`, `p${c}=+${o.taskPid}(${curr}):s32`, `m${c}=+${o.taskMm}(${curr}):x64`);
  }
  return out;
}

/**
 * cpu_tlbstate.loaded_mm, cpu_tlbstate_shared.is_lazy, cpu_tlbstate.loaded_mm_asid and every
 * cpu_tlbstate.ctxs[i].tlb_gen of every CPU: fields lm<c>, lz<c>, a<c>, g<c>x<i>.
 */
function tlbStateArgs(o: Offsets): string[] {
  const out: string[] = [];
  const n = o.tlbCtxsBytes / o.tlbContextSize;
  for (let c = 0; c < CPUS; c++) {
    out.push(`lm${c}=+$((TLB+${o.tlbLoadedMm}))(${pcpu(c)}):x64`, `lz${c}=+$((TLBS+${o.tlbIsLazy}))(${pcpu(c)}):u8`, `a${c}=+$((TLB+${o.tlbLoadedMmAsid}))(${pcpu(c)}):u16`);
    for (let i = 0; i < n; i++) out.push(`g${c}x${i}=+$((TLB+${o.tlbCtxs + i * o.tlbContextSize + o.tlbCtxTlbGen}))(${pcpu(c)}):u64`);
  }
  return out;
}

/** mm->membarrier_state and mm_users of rq->curr->mm of every CPU: fields cs<c>, cu<c>. */
function currMmArgs(o: Offsets): string[] {
  const out: string[] = [];
  for (let c = 0; c < CPUS; c++) {
    const mm = `+${o.taskMm}(+$((RQ+${o.rqCurr}))(${pcpu(c)}))`;
    out.push(`cs${c}=+${o.mmMembarrierState}(${mm}):x32`, `cu${c}=+${o.mmUsers}(${mm}):s32`);
  }
  return out;
}

export interface Probe {
  /** Event name in group lz (what the trace lines show). */
  event: string;
  /** The kprobe_events line (a shell string: $RQ etc. expand in the guest). */
  line: string;
}

/** The kprobes, in the order they are registered. */
export function kprobes(o: Offsets): Probe[] {
  const snap = snapshotArgs(o);
  const task = (reg: string, tag: string) => [`${tag}pid=+${o.taskPid}(${reg}):s32`, `${tag}tgid=+${o.taskTgid}(${reg}):s32`, `${tag}mm=+${o.taskMm}(${reg}):x64`];
  const defs: [string, string, string[]][] = [
    // __schedule(): trace_sched_switch(preempt, prev, next, prev_state) just before context_switch():
    // what membarrier_switch_mm(rq, prev->active_mm, next->mm) and the lazy/switch choice read.
    ['p:lz/sw __traceiter_sched_switch', 'sw', [...task('%dx', 'p'), `pam=+${o.taskActiveMm}(%dx):x64`, ...task('%cx', 'n'), `nms=+${o.mmMembarrierState}(+${o.taskMm}(%cx)):x32`, ...snap]],
    // finish_task_switch(): the context switch is over (rq->membarrier_state after it).
    ['p:lz/fts $FTS', 'fts', snap],
    // switch_mm_irqs_off(prev, next, tsk): context_switch()'s to-user case (and leave_mm, use_mm).
    // ntg: next->context.tlb_gen, which the lazy same-mm return compares with ctxs[asid].tlb_gen.
    ['p:lz/smm switch_mm_irqs_off', 'smm', [`prev=%di:x64`, `next=%si:x64`, `tpid=+${o.taskPid}(%dx):s32`, `nms=+${o.mmMembarrierState}(%si):x32`, `ntg=+${o.mmContext + o.ctxTlbGen}(%si):u64`, ...tlbStateArgs(o), ...snap]],
    ['p:lz/cr3 load_new_mm_cr3', 'cr3', [`flush=%dx:u8`]],
    // enter_lazy_tlb(mm, tsk): context_switch() to a kthread (tsk = next), or exit_mm() /
    // kthread_unuse_mm() (tsk = current) right after membarrier_update_current_mm().
    ['p:lz/lazy enter_lazy_tlb', 'lazy', [`mm=%di:x64`, ...task('%si', 't'), ...snap]],
    // The IPIs of membarrier() (and of everything else): the target mask, the function.
    ['p:lz/scf smp_call_function_many_cond', 'scf', [`mask=+0(%di):x64`, `func=%si:symbol`, `info=%dx:x64`, ...snap]],
    // membarrier() entry: the command, and mm->membarrier_state and mm_users of every CPU's current
    // mm (the caller's is the one on its CPU): what the entry checks of the model read.
    ['p:lz/mbe __x64_sys_membarrier', 'mbe', [`cmd=+${o.regsDi}(%di):s32`, `flags=+${o.regsSi}(%di):s32`, ...currMmArgs(o), ...snap]],
    // At the return too: mm_users can change during a call (a kthread_use_mm() caller's mmget/mmput).
    ['r:lz/mbr __x64_sys_membarrier', 'mbr', [`ret=\\$retval:s32`, ...currMmArgs(o), ...snap]],
    ['p:lz/srs sync_runqueues_membarrier_state', 'srs', [`mm=%di:x64`, `ms=+${o.mmMembarrierState}(%di):x32`, `users=+${o.mmUsers}(%di):s32`, ...snap]],
    ['r:lz/srsr sync_runqueues_membarrier_state', 'srsr', snap],
    ['p:lz/irs ipi_sync_rq_state', 'irs', [`mm=%di:x64`, `ms=+${o.mmMembarrierState}(%di):x32`, ...snap]],
    ['r:lz/irsr ipi_sync_rq_state', 'irsr', snap],
    ['p:lz/exm membarrier_exec_mmap', 'exm', [`mm=%di:x64`, ...snap]],
    ['r:lz/exmr membarrier_exec_mmap', 'exmr', snap],
    // kthread_use_mm(mm) / kthread_unuse_mm(mm) (kernel/kthread.c): a kthread borrows a user mm, e.g.
    // the FunctionFS worker ffs_user_copy_worker() (drivers/usb/gadget/function/f_fs.c). Between the
    // return of kthread_use_mm() (kumr: tsk->mm = mm is set) and the entry of kthread_unuse_mm()
    // (kuum: not yet cleared) the kthread's p->mm is mm, which the membarrier scans select.
    ['p:lz/kum kthread_use_mm', 'kum', [`mm=%di:x64`, `users=+${o.mmUsers}(%di):s32`, `ms=+${o.mmMembarrierState}(%di):x32`]],
    ['r:lz/kumr kthread_use_mm', 'kumr', snap],
    ['p:lz/kuum kthread_unuse_mm', 'kuum', [`mm=%di:x64`, `users=+${o.mmUsers}(%di):s32`, ...snap]],
    ['p:lz/ipimb ipi_mb', 'ipimb', []],
    ['p:lz/ipisc ipi_sync_core', 'ipisc', []],
    ['p:lz/ipirseq ipi_rseq', 'ipirseq', []],
    ['p:lz/mmdrop __mmdrop', 'mmdrop', [`mm=%di:x64`]],
    ['p:lz/ftf flush_tlb_func', 'ftf', [`mm=+${o.flushInfoMm}(%di):x64`]],
    ['p:lz/nftm native_flush_tlb_multi', 'nftm', [`mask=+0(%di):x64`, `mm=+${o.flushInfoMm}(%si):x64`]],
  ];
  return defs.map(([head, event, args]) => ({ event, line: [head, ...args].join(' ') }));
}
