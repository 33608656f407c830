/**
 * CPU hotplug (kernel-model.md 1.2, 3.8 H1/H2 with errata E5, E6, E9). The outgoing CPU's hotplug
 * work is modelled as run by its idle task (no user task is left on it). Knob `hotplugFix`:
 * true = sched_force_init_mm() at CPUHP_AP_SCHED_WAIT_EMPTY (21641bd9a7a7, v6.14); false = the old
 * late idle_task_exit() and finish_cpu() that patched idle->active_mm.
 */
import type { Kctx } from '../kctx';
import { newFrame, type Frame } from '../frames';
import { taskOwner } from './mm-refs';
import { switchLazyToInitMm } from './unlazy-to-init-mm';
import { switchMm } from './switch-mm';
import { INIT_MM, type CpuId, type MmId } from '../../trace/events';

export function startCpuDown(k: Kctx, cpu: CpuId): Frame {
  k.path(cpu, 'cpu_down', 'begin', k.cpu(cpu).idle);
  return newFrame('cpu_down', {});
}

export function stepCpuDown(k: Kctx, cpu: CpuId, f: Frame): 'done' | 'more' {
  const c = k.cpu(cpu);
  const idle = k.task(c.idle);
  const fix = k.knob<boolean>('hotplugFix');
  switch (f.pc) {
    case 0:
      if (fix) schedForceInitMm(k, cpu);
      f.pc = 1;
      return 'more';
    case 1:
      // __cpu_disable() (inside stop_machine): set_cpu_online(cpu, false); powerpc also
      // cleanup_cpu_mmu_context() here. Pending IPIs were flushed before (the op requires none).
      c.online = false;
      k.emit({ k: 'cpu_online', cpu, fn: '__cpu_disable', target: cpu, online: false });
      k.arch.cleanup_cpu_mmu_context(k, cpu);
      f.pc = 2;
      return 'more';
    case 2:
      // Old scheme: the dying CPU's idle_task_exit() (arch_cpu_idle_dead()): switch_mm(mm,
      // &init_mm, current) -- hardware only; the idle task keeps active_mm == mm and (refcount) its
      // lazy reference until finish_cpu(). Between __cpu_disable() and here the CPU still runs on mm.
      if (!fix && idle.activeMm !== INIT_MM) switchMm(k, cpu, 'idle_task_exit', INIT_MM);
      f.pc = 3;
      return 'more';
    default: {
      // finish_cpu() on the control CPU after the AP died.
      const control = k.s.cpus.find((o) => o.online && o.id !== cpu)?.id ?? cpu;
      k.path(cpu, 'cpu_down', 'end', idle.id);
      const mm = idle.activeMm as MmId;
      if (fix) {
        // "WARN_ON(mm != &init_mm); idle->active_mm = NULL; mmdrop_lazy_tlb(mm);"
        k.setTaskMm(control, 'finish_cpu', idle, null, null);
      } else {
        // "if (mm != &init_mm) idle->active_mm = &init_mm; mmdrop_lazy_tlb(mm);" (pre-v6.14)
        k.setTaskMm(control, 'finish_cpu', idle, null, INIT_MM);
      }
      k.strategy.mmdrop_lazy_tlb(k, control, 'finish_cpu', mm, taskOwner(idle.id));
      return 'done';
    }
  }
}

/**
 * Models: kernel/sched/core.c sched_force_init_mm(): "If there is a lazy mm in use on the hotplug
 * thread, drop it and switch to init_mm. The reference count on init_mm is dropped in finish_cpu()."
 */
function schedForceInitMm(k: Kctx, cpu: CpuId): void {
  switchLazyToInitMm(k, cpu, 'sched_force_init_mm');
}

/**
 * CPU bring-up: x86 cpu_init(): mmgrab(&init_mm); cur->active_mm = &init_mm;
 * initialize_tlbstate_and_flush(); enter_lazy_tlb(&init_mm, cur) (a no-op on init_mm).
 */
export function cpuUp(k: Kctx, cpu: CpuId): void {
  const c = k.cpu(cpu);
  const idle = k.task(c.idle);
  k.strategy.mmgrab_lazy_tlb(k, cpu, 'cpu_init', INIT_MM, taskOwner(idle.id));
  k.setTaskMm(cpu, 'cpu_init', idle, null, INIT_MM);
  c.loadedMm = INIT_MM;
  c.isLazy = false;
  c.localTlbGen = {};
  k.emit({ k: 'load_mm', cpu, fn: 'initialize_tlbstate_and_flush', mm: INIT_MM, cr3Write: true, flushed: true });
  k.mb(cpu, 'initialize_tlbstate_and_flush');
  k.serialize(cpu, 'initialize_tlbstate_and_flush', 'write_cr3');
  c.online = true;
  k.emit({ k: 'cpu_online', cpu, fn: 'set_cpu_online', target: cpu, online: true });
}
