/**
 * Applying one op: start the kernel path it names (running its first step at once) or advance one.
 */
import type { Kctx } from './kctx';
import type { Op } from './ops';
import { newFrame, type Frame } from './frames';
import { stepPath } from './paths';
import { schedule } from './kernel/sched';
import { deliverIpi, preemptFromUser, returnToUser, syscallEntry } from './kernel/entry';
import { fork } from './kernel/fork';
import { startExec } from './kernel/exec';
import { kthreadMmget, kthreadMmput, startKthreadUseMm } from './kernel/kthread';
import { startMembarrier, startRegister } from './kernel/membarrier';
import { hwWalk, idleLeaveMm, nmi, startFlushTlb } from './kernel/tlb';
import { startEfiCall, startTextPoke } from './kernel/temp-mm';
import { cpuUp, startCpuDown } from './kernel/hotplug';
import type { CpuId } from '../trace/events';

/** Push a task path and run its first step. */
function startTaskPath(k: Kctx, cpu: CpuId, f: Frame | null, runFirst = true): void {
  if (!f) return;
  k.current(cpu).frames.push(f);
  if (runFirst) stepPath(k, cpu);
}

export function applyOp(k: Kctx, op: Op): void {
  const cpu = op.cpu;
  const t = k.current(cpu);
  k.stack = t.frames;
  switch (op.op) {
    case 'schedule':
      return schedule(k, cpu, op.next, false);
    case 'preempt':
      return preemptFromUser(k, cpu, op.next);
    case 'step':
      return stepPath(k, cpu);
    case 'syscall':
      return syscallEntry(k, cpu);
    case 'return_to_user':
      return returnToUser(k, cpu, op.via);
    case 'ipi':
      return deliverIpi(k, cpu, op.next);
    case 'fork':
      return fork(k, cpu, op.cloneVm);
    case 'exec':
      return startTaskPath(k, cpu, newFrame('exec_mmap', { mm: startExec(k, cpu) }));
    case 'exit':
      return startTaskPath(k, cpu, newFrame('exit_mm', { mm: t.mm }));
    case 'membarrier':
      return startTaskPath(k, cpu, startMembarrier(k, cpu, op.cmd), false);
    case 'membarrier_register':
      return startTaskPath(k, cpu, startRegister(k, cpu, op.cmd), false);
    case 'flush_tlb':
      return startTaskPath(k, cpu, startFlushTlb(k, cpu, op.freedTables, op.trim === true, op.considerGlobalAsid === true), false);
    case 'text_poke':
      return startTaskPath(k, cpu, startTextPoke(k, cpu, op.sync), false);
    case 'efi_call':
      return startTaskPath(k, cpu, startEfiCall(k, cpu), false);
    case 'mmget_not_zero':
      return kthreadMmget(k, cpu, op.mm);
    case 'mmput':
      return kthreadMmput(k, cpu, op.mm);
    case 'kthread_use_mm':
      return startTaskPath(k, cpu, startKthreadUseMm(k, cpu, op.mm));
    case 'kthread_unuse_mm':
      return startTaskPath(k, cpu, newFrame('kthread_unuse_mm', { mm: t.mm }));
    case 'nmi':
      return nmi(k, cpu);
    case 'hw_walk':
      return hwWalk(k, cpu);
    case 'idle_leave_mm':
      return idleLeaveMm(k, cpu);
    case 'cpu_down':
      k.cpu(cpu).hotplugFrame = startCpuDown(k, cpu);
      return stepPath(k, cpu);
    case 'cpu_up':
      return cpuUp(k, cpu);
  }
}
