/**
 * Ops: the events an engine accepts. Each op is a small JSON record naming the CPU that executes it
 * and its arguments. A kernel path that other CPUs can interleave with is started by one op and then
 * advanced one atomic step at a time by `{ op: 'step', cpu }` (see src/engine/paths for the steps).
 */
import type { CpuId, MembarrierCmd, MmId, TaskId, UserEntryVia } from '../trace/events';

export type Op =
  /** S1 of __schedule() from kernel mode: switch from the current task to `next`. */
  | { op: 'schedule'; cpu: CpuId; next: TaskId }
  /** Timer interrupt in user mode with need_resched: irq entry, then __schedule() to `next`. */
  | { op: 'preempt'; cpu: CpuId; next: TaskId }
  /** The next atomic step of the kernel path in flight on `cpu`. */
  | { op: 'step'; cpu: CpuId }
  /** Syscall entry from user mode (entry_SYSCALL_64). */
  | { op: 'syscall'; cpu: CpuId }
  /** Return to user mode from the kernel (syscall, interrupt or first return of a new task). */
  | { op: 'return_to_user'; cpu: CpuId; via: UserEntryVia }
  /** Deliver the oldest pending IPI; with `next`, reschedule on the interrupt-return path to `next`. */
  | { op: 'ipi'; cpu: CpuId; next?: TaskId }
  /** fork() (new mm by dup_mm) or clone(CLONE_VM) (share the mm) by the current user task. */
  | { op: 'fork'; cpu: CpuId; cloneVm: boolean }
  /** execve() by the current task (kernel_execve when it is a kthread). */
  | { op: 'exec'; cpu: CpuId }
  /** do_exit() of the current user task. */
  | { op: 'exit'; cpu: CpuId }
  | { op: 'membarrier'; cpu: CpuId; cmd: MembarrierCmd }
  | { op: 'membarrier_register'; cpu: CpuId; cmd: MembarrierCmd }
  /**
   * flush_tlb_mm_range() on the current task's mm (mprotect/munmap; freed_tables as given). `trim`
   * (x86 >= v6.14, without freed_tables): should_trim_cpumask() finds a second has passed since the
   * mm's last trim, so info->trim_cpumask is set (the model has no clock: any flush may be that one).
   * `considerGlobalAsid` (x86 INVLPGB, knob asidTransition): consider_global_asid()'s
   * "(current->pid & 0x1f) == (jiffies & 0x1f)" holds for this flush.
   */
  | { op: 'flush_tlb'; cpu: CpuId; freedTables: boolean; trim?: boolean; considerGlobalAsid?: boolean }
  /**
   * x86 alternative.c: one __text_poke() through text_poke_mm. `sync: false` is a lone text_poke()
   * / text_poke_copy() (no IPI); `sync: true` is the poke that ends a smp_text_poke_batch_finish()
   * (text_poke_bp), followed by smp_text_poke_sync_each_cpu()'s sync_core() on every online CPU.
   */
  | { op: 'text_poke'; cpu: CpuId; sync: boolean }
  /** An EFI runtime service call (efi_enter_mm / efi_leave_mm). */
  | { op: 'efi_call'; cpu: CpuId }
  /** A kthread takes an external mm_users reference (get_task_mm / mmget_not_zero). */
  | { op: 'mmget_not_zero'; cpu: CpuId; mm: MmId }
  /** A kthread drops its external mm_users reference. */
  | { op: 'mmput'; cpu: CpuId; mm: MmId }
  | { op: 'kthread_use_mm'; cpu: CpuId; mm: MmId }
  | { op: 'kthread_unuse_mm'; cpu: CpuId }
  /** An NMI (perf) that reads the current task's mm. */
  | { op: 'nmi'; cpu: CpuId }
  /** A speculative page-table walk through loaded_mm. */
  | { op: 'hw_walk'; cpu: CpuId }
  /** cpuidle entering a TLB-flushing C-state: leave_mm(). */
  | { op: 'idle_leave_mm'; cpu: CpuId }
  /** CPU hotplug: take `cpu` offline (its idle task runs the hotplug steps) or bring it back. */
  | { op: 'cpu_down'; cpu: CpuId }
  | { op: 'cpu_up'; cpu: CpuId };

export type OpKind = Op['op'];

export const OP_KINDS: readonly OpKind[] = [
  'schedule', 'preempt', 'step', 'syscall', 'return_to_user', 'ipi', 'fork', 'exec', 'exit',
  'membarrier', 'membarrier_register', 'flush_tlb', 'text_poke', 'efi_call', 'mmget_not_zero',
  'mmput', 'kthread_use_mm', 'kthread_unuse_mm', 'nmi', 'hw_walk', 'idle_leave_mm', 'cpu_down',
  'cpu_up',
];

/** A short human form of an op, e.g. `cpu1 schedule(T2)`. */
export function formatOp(op: Op): string {
  const { op: kind, cpu, ...args } = op as Op & Record<string, unknown>;
  const parts = Object.entries(args).map(([k, v]) => `${k}=${String(v)}`);
  return `cpu${cpu} ${kind}${parts.length ? `(${parts.join(', ')})` : ''}`;
}
