/**
 * Stepping the kernel path in flight on a CPU: the CPU's own frame (context switch) first, else the
 * innermost frame of the task running there. Each path module advances its frame by one atomic step.
 */
import type { Kctx } from './kctx';
import type { Frame } from './frames';
import type { CpuId } from '../trace/events';
import { stepContextSwitch } from './kernel/sched';
import { stepExitMm } from './kernel/exit';
import { stepExecMmap } from './kernel/exec';
import { stepMmdrop, stepMmput } from './kernel/fork';
import { stepKthreadUnuseMm, stepKthreadUseMm } from './kernel/kthread';
import { stepMembarrier, stepRegister } from './kernel/membarrier';
import { stepFlushTlb } from './kernel/tlb';
import { stepEfiCall, stepTextPoke } from './kernel/temp-mm';
import { stepCpuDown } from './kernel/hotplug';
import { stepUnlazy } from './kernel/unlazy';

type Stepper = (k: Kctx, cpu: CpuId, f: Frame) => 'done' | 'more';

const TASK_PATHS: Record<string, Stepper> = {
  exit_mm: stepExitMm,
  exec_mmap: stepExecMmap,
  __mmput: stepMmput,
  __mmdrop: stepMmdrop,
  kthread_use_mm: stepKthreadUseMm,
  kthread_unuse_mm: stepKthreadUnuseMm,
  membarrier: stepMembarrier,
  membarrier_register: stepRegister,
  flush_tlb_mm_range: stepFlushTlb,
  text_poke: stepTextPoke,
  efi_call: stepEfiCall,
  mm_unlazy_mm_count: stepUnlazy,
};

/** The frame that `{ op: 'step', cpu }` would advance, if any, and the stack it lives on. */
export function activeFrame(k: Kctx, cpu: CpuId): { frame: Frame; stack: Frame[] | null } | null {
  const c = k.cpu(cpu);
  if (c.cpuFrame) return { frame: c.cpuFrame, stack: null };
  if (c.hotplugFrame) return { frame: c.hotplugFrame, stack: null };
  const t = k.current(cpu);
  const f = t.frames[t.frames.length - 1];
  return f ? { frame: f, stack: t.frames } : null;
}

export function stepPath(k: Kctx, cpu: CpuId): void {
  const c = k.cpu(cpu);
  if (c.cpuFrame) {
    stepContextSwitch(k, cpu, c.cpuFrame);
    return;
  }
  if (c.hotplugFrame) {
    if (stepCpuDown(k, cpu, c.hotplugFrame) === 'done') c.hotplugFrame = null;
    return;
  }
  const t = k.current(cpu);
  const f = t.frames[t.frames.length - 1];
  k.stack = t.frames;
  if (TASK_PATHS[f.fn](k, cpu, f) === 'done') t.frames.splice(t.frames.indexOf(f), 1);
}
