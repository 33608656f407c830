/**
 * The user/kernel boundary (kernel-model.md 3.2): syscall entry (no barrier: "system call entry is
 * not a mb"), return to user by SYSRET (not serializing) or IRET (serializing), interrupt and IPI
 * entry/exit, preemption on the interrupt-return path.
 */
import type { Kctx } from '../kctx';
import { runIpiFunc } from './ipi';
import { schedule } from './sched';
import type { CpuId, TaskId, UserEntryVia } from '../../trace/events';

/** Models: entry_SYSCALL_64 -> do_syscall_64(). */
export function syscallEntry(k: Kctx, cpu: CpuId): void {
  const t = k.current(cpu);
  k.cpu(cpu).mode = 'kernel';
  t.where = 'syscall';
  k.emit({ k: 'user_exit', cpu, fn: 'entry_SYSCALL_64', task: t.id, via: 'syscall' });
}

/**
 * Models: the return to user mode: do_syscall_64() returns "true to return using SYSRET, or false to
 * use IRET"; interrupt returns and ret_from_fork use IRET (errata E14).
 */
export function returnToUser(k: Kctx, cpu: CpuId, via: UserEntryVia): void {
  const t = k.current(cpu);
  k.arch.return_to_user(k, cpu, via);
  k.cpu(cpu).mode = 'user';
  t.where = 'user';
  const fn = via === 'sysret' ? 'entry_SYSRETQ_unsafe_stack' : 'swapgs_restore_regs_and_return_to_usermode';
  k.emit({ k: 'user_enter', cpu, fn, task: t.id, via });
}

/** An interrupt from user mode enters the kernel; the task will return by IRET. */
function irqEntryFromUser(k: Kctx, cpu: CpuId, via: 'irq' | 'ipi'): void {
  const t = k.current(cpu);
  k.cpu(cpu).mode = 'kernel';
  t.where = 'irq';
  k.emit({ k: 'user_exit', cpu, fn: via === 'ipi' ? 'sysvec_call_function' : 'sysvec_apic_timer_interrupt', task: t.id, via });
}

/** A timer interrupt in user mode with need_resched: schedule() on the exit-to-user path (E13). */
export function preemptFromUser(k: Kctx, cpu: CpuId, next: TaskId): void {
  irqEntryFromUser(k, cpu, 'irq');
  schedule(k, cpu, next, true);
}

/**
 * Deliver the oldest pending IPI on `cpu` (IRQs on). From user mode: irq entry, handler, then IRET
 * back to user -- or, with `next`, schedule() on the interrupt-return path (the interrupted task
 * later returns by IRET).
 */
export function deliverIpi(k: Kctx, cpu: CpuId, next?: TaskId): void {
  const c = k.cpu(cpu);
  const ipi = c.pendingIpis.shift();
  if (!ipi) return;
  const fromUser = c.mode === 'user';
  if (fromUser) irqEntryFromUser(k, cpu, 'ipi');
  // Models: sysvec_call_function(): irqentry_enter() ... the handler ... irqentry_exit(), in hard-IRQ
  // context (IRQs off throughout).
  const from = fromUser ? 'user' : 'kernel';
  k.irq(cpu, 'sysvec_call_function', 'enter', from);
  // The CPU took the interrupt with IRQs disabled in hardware: the handler's own
  // local_irq_save()/restore() (switch_mm(), exit_lazy_flush_tlb()) change nothing and emit nothing;
  // the irq enter/exit events mark the hard-IRQ context.
  const irqsWere = c.irqsOff;
  c.irqsOff = true;
  runIpiFunc(k, cpu, ipi, false);
  c.irqsOff = irqsWere;
  k.irq(cpu, 'sysvec_call_function', 'exit', from);
  if (next !== undefined) {
    schedule(k, cpu, next, true);
    return;
  }
  if (fromUser && c.cpuFrame === null && k.current(cpu).where === 'irq') returnToUser(k, cpu, 'iret');
  // An IPI taken in kernel mode returns to the interrupted kernel code by IRET on x86
  // (restore_regs_and_return_to_kernel), which serializes exactly as the IRET to user mode does.
  else if (!fromUser) k.arch.exception_return(k, cpu, 'irqentry_exit');
}
