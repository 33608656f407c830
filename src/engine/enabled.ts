/**
 * Which ops are enabled in a state, in a deterministic order (CPU by CPU). A CPU with a kernel path
 * in flight offers `step`; what else it offers depends on whether IRQs are on, whether the path may
 * sleep, and whether the CPU is in user mode, in a syscall, in a kthread or idle.
 */
import type { Kctx } from './kctx';
import type { Op } from './ops';
import type { CpuState, TaskState } from './state';
import { INIT_MM, type CpuId, type MembarrierCmd, type TaskId } from '../trace/events';

const CMDS: readonly MembarrierCmd[] = ['PRIVATE_EXPEDITED', 'PRIVATE_EXPEDITED_SYNC_CORE', 'GLOBAL_EXPEDITED', 'PRIVATE_EXPEDITED_RSEQ'];

/** Tasks pick_next_task() may return on `cpu`. */
function candidates(k: Kctx, cpu: CpuId): TaskId[] {
  const cur = k.cpu(cpu).current;
  const out: TaskId[] = [];
  for (const id of k.s.taskOrder) {
    const t = k.s.tasks[id];
    // A prev still on its old CPU (before finish_task() clears ->on_cpu) cannot run elsewhere.
    if (t.state !== 'runnable' || id === cur || t.cpu !== null) continue;
    if (t.boundCpu !== null && t.boundCpu !== cpu) continue;
    out.push(id);
  }
  return out;
}

export function enabledOps(k: Kctx): Op[] {
  const ops: Op[] = [];
  for (const c of k.s.cpus) cpuOps(k, c, ops);
  return ops;
}

function cpuOps(k: Kctx, c: CpuState, ops: Op[]): void {
  const cpu = c.id;
  if (!c.online) {
    // The rest of cpu_down (finish_cpu() on the control CPU) or, once it is dead, cpu_up.
    ops.push(c.hotplugFrame ? { op: 'step', cpu } : { op: 'cpu_up', cpu });
    return;
  }
  const t = k.current(cpu);
  const irqsOn = !c.irqsOff;
  const pending = irqsOn && c.pendingIpis.length > 0;
  const busy = c.cpuFrame ?? c.hotplugFrame ?? t.frames[t.frames.length - 1] ?? null;
  if (busy) {
    if (k.ipisDone(busy.waitIpis)) ops.push({ op: 'step', cpu });
    if (pending) ops.push({ op: 'ipi', cpu });
    // A task path at a preemption point (membarrier's mutex and PREEMPT_RCU scan; kthread_use_mm()
    // and kthread_unuse_mm() after task_unlock(); exec_mmap() after task_unlock(); exit_mm() before
    // its mmput(); __mmput()/exit_mmap() outside the flush wait) can be switched out.
    if (!c.cpuFrame && !c.hotplugFrame && busy.preemptible && irqsOn) {
      for (const next of candidates(k, cpu)) ops.push({ op: 'schedule', cpu, next });
      if (pending) for (const next of candidates(k, cpu)) ops.push({ op: 'ipi', cpu, next });
    }
    ops.push({ op: 'nmi', cpu }, { op: 'hw_walk', cpu });
    return;
  }
  if (pending) {
    ops.push({ op: 'ipi', cpu });
    for (const next of candidates(k, cpu)) ops.push({ op: 'ipi', cpu, next });
  }
  if (c.mode === 'user') {
    ops.push({ op: 'syscall', cpu });
    for (const next of candidates(k, cpu)) ops.push({ op: 'preempt', cpu, next });
  } else if (t.exiting) {
    for (const next of candidates(k, cpu)) ops.push({ op: 'schedule', cpu, next });
  } else {
    kernelOps(k, c, t, ops);
  }
  ops.push({ op: 'nmi', cpu }, { op: 'hw_walk', cpu });
}

function kernelOps(k: Kctx, c: CpuState, t: TaskState, ops: Op[]): void {
  const cpu = c.id;
  for (const next of candidates(k, cpu)) ops.push({ op: 'schedule', cpu, next });
  if (t.type === 'idle') {
    if (c.loadedMm !== INIT_MM) ops.push({ op: 'idle_leave_mm', cpu });
    if (k.onlineCpus().length > 1 && c.pendingIpis.length === 0 && !waitedOn(k, cpu)) ops.push({ op: 'cpu_down', cpu });
    return;
  }
  if (t.type === 'user') {
    if (t.where === 'syscall') ops.push({ op: 'return_to_user', cpu, via: 'sysret' });
    ops.push({ op: 'return_to_user', cpu, via: 'iret' });
    if (t.where !== 'syscall') return;
    const m = k.mm(t.mm as string);
    if (k.s.taskOrder.length < k.s.maxTasks) {
      ops.push({ op: 'fork', cpu, cloneVm: true });
      if (mmRoom(k)) ops.push({ op: 'fork', cpu, cloneVm: false });
    }
    // execve() of a single-threaded process (de_thread() of the others is not modelled).
    if (mmRoom(k) && liveUsersOf(k, m.id) === 1) ops.push({ op: 'exec', cpu });
    ops.push({ op: 'exit', cpu });
    for (const cmd of CMDS) ops.push({ op: 'membarrier', cpu, cmd });
    for (const cmd of CMDS) ops.push({ op: 'membarrier_register', cpu, cmd });
    ops.push({ op: 'flush_tlb', cpu, freedTables: false }, { op: 'flush_tlb', cpu, freedTables: true });
    if (k.arch.canTrimCpumask?.(k)) ops.push({ op: 'flush_tlb', cpu, freedTables: false, trim: true });
    if (k.arch.canAssignGlobalAsid?.(k)) ops.push({ op: 'flush_tlb', cpu, freedTables: false, considerGlobalAsid: true });
  } else {
    // A kernel thread: borrow an mm (get_task_mm + kthread_use_mm), or become a user task.
    if (t.mm === null) {
      if (t.extUsers.length === 0) {
        const withoutUsers = k.knob<boolean>('kthreadUseMmWithoutUsers');
        for (const id of k.s.mmOrder) {
          const m = k.s.mms[id];
          if (m.isStatic || m.freed || m.users === 0 || liveUsersOf(k, id) === 0) continue;
          ops.push({ op: 'mmget_not_zero', cpu, mm: id });
          // Models (knob kthreadUseMmWithoutUsers): v6.17 drivers/usb/gadget/function/f_fs.c
          // ffs_user_copy_worker() and legacy/inode.c ep_user_copy_worker() kthread_use_mm() the
          // `current->mm` their submission saved, holding no mm_users (nor mm_count) reference. Offered
          // only while the mm has a live thread (the submitter's mm not yet torn down).
          if (withoutUsers) ops.push({ op: 'kthread_use_mm', cpu, mm: id });
        }
        if (mmRoom(k)) ops.push({ op: 'exec', cpu });
      }
      for (const mm of t.extUsers) ops.push({ op: 'kthread_use_mm', cpu, mm }, { op: 'mmput', cpu, mm });
    } else {
      ops.push({ op: 'kthread_unuse_mm', cpu });
    }
  }
  if (k.arch.hasTextPoke && !textMutexHeld(k)) ops.push({ op: 'text_poke', cpu, sync: false }, { op: 'text_poke', cpu, sync: true });
  if (!k.s.efiBusy && k.arch.efiScheme(k) !== null) ops.push({ op: 'efi_call', cpu });
}

/**
 * Models: text_mutex. arch/x86/kernel/alternative.c text_poke(): "lockdep_assert_held(&text_mutex)";
 * smp_text_poke_batch_finish() runs under it too. One text_poke() (or batch) at a time: its
 * flush_tlb_mm_range(text_poke_mm) with IRQs off relies on no other CPU using text_poke_mm.
 */
function textMutexHeld(k: Kctx): boolean {
  return Object.values(k.s.tasks).some((t) => t.frames.some((f) => f.fn === 'text_poke'));
}

function mmRoom(k: Kctx): boolean {
  return k.s.mmOrder.filter((id) => !k.s.mms[id].isStatic).length < k.s.maxMms;
}

function liveUsersOf(k: Kctx, mm: string): number {
  let n = 0;
  for (const id of k.s.taskOrder) {
    const t = k.s.tasks[id];
    if (t.type === 'user' && t.state !== 'dead' && !t.exiting && t.mm === mm) n++;
  }
  return n;
}

/** Some path waits for an IPI to `cpu` (it must not go offline under it). */
function waitedOn(k: Kctx, cpu: CpuId): boolean {
  return k.s.cpus.some((c) => c.pendingIpis.some((p) => p.from === cpu));
}
