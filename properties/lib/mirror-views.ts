/**
 * What the trace mirror knows about tasks, CPUs and mms (kernel-model.md section 2 with the errata's
 * additions). Field names follow the kernel where there is a kernel field.
 */
import { INIT_MM, type CpuId, type MbEvent, type MmId, type SerializeEvent, type TaskId, type TaskStateName, type TaskType } from '../../src/trace/events';
import type { EventRef } from './explain';

/** A task as the events so far describe it. */
export interface TaskView {
  id: TaskId;
  type: TaskType;
  tgid: string | null;
  /** ->mm */
  mm: MmId | null;
  /** ->active_mm */
  activeMm: MmId | null;
  state: TaskStateName;
  /** The CPU this task is `current` on (it changes at switch_to), or null. */
  onCpu: CpuId | null;
  /** The CPU whose rq->curr this task is (it changes at S2 of __schedule), or null. */
  currOn: CpuId | null;
  /** The last switch_to that switched this task in or out. */
  lastSwitch: EventRef | null;
  /** The task's last task_mm / task_new event (how its mm fields got their values). */
  lastMmChange: EventRef | null;
}

/** A CPU (and its runqueue and x86 cpu_tlbstate) as the events so far describe it. */
export interface CpuView {
  id: CpuId;
  online: boolean;
  /** rq->curr (changes at S2 of __schedule, what membarrier's scan reads). */
  curr: TaskId;
  /** `current` (changes at switch_to, what NMIs and the CPU's own code see). */
  current: TaskId;
  /** Executing user instructions (between user_enter and user_exit) or not. */
  mode: 'user' | 'kernel';
  /** x86 cpu_tlbstate.loaded_mm (or the arch's equivalent: the mm the MMU translates through). */
  loadedMm: MmId | 'SWITCHING';
  /** cpu_tlbstate_shared.is_lazy */
  isLazy: boolean;
  /** rq->prev_mm */
  prevMm: MmId | null;
  /** rq->membarrier_state */
  rqMembarrierState: number;
  /** use_temporary_mm() / efi_enter_mm(): the loaded temporary mm and the saved mm. */
  tempMm: { temp: MmId; saved: MmId | null } | null;
  /** Hazard-pointer strategy: rq->lazy_mm (keeps the mm from being freed) and rq->drop_mm. */
  hazardLazyMm: MmId | null;
  hazardDropMm: MmId | null;
  /** Index of the last `mb` on this CPU (-1: none), and the event. */
  lastMb: number;
  lastMbEv: MbEvent | null;
  /** Index of the last `serialize` on this CPU (-1: none), and the event. */
  lastSerialize: number;
  lastSerializeEv: SerializeEvent | null;
  lastSwitchTo: EventRef | null;
  lastRqCurr: EventRef | null;
  lastLoadMm: EventRef | null;
  lastUserEnter: EventRef | null;
  lastUserExit: EventRef | null;
  lastRqMembarrierState: EventRef | null;
  /** IRQs disabled by local_irq_disable() (`irqs` events). */
  irqsOff: boolean;
  /** Inside a hard interrupt handler (`irq` enter .. exit). */
  inIrq: boolean;
}

/** An mm_struct as the events so far describe it. */
export interface MmView {
  id: MmId;
  /** init_mm, efi_mm, text_poke_mm: never freed, excluded from the refcount rules. */
  isStatic: boolean;
  /** mm_users */
  users: number;
  /** mm_count */
  count: number;
  freed: boolean;
  /** The mm_free event. */
  freedAt: EventRef | null;
  /** exit_mmap() ran. */
  tornDown: boolean;
  /** mm->membarrier_state */
  membarrierState: number;
  lastMembarrierState: EventRef | null;
  /** mm_cpumask(mm), indexed by CPU. */
  cpumask: boolean[];
  /** mm->context.tlb_gen */
  tlbGen: number;
}

/** A CPU the trace has not described yet (offline, nothing loaded). */
export function blankCpu(id: CpuId): CpuView {
  return {
    id, online: false, curr: '', current: '', mode: 'kernel', loadedMm: INIT_MM, isLazy: false, prevMm: null,
    rqMembarrierState: 0, tempMm: null, hazardLazyMm: null, hazardDropMm: null, lastMb: -1, lastMbEv: null, lastSerialize: -1, lastSerializeEv: null,
    lastSwitchTo: null, lastRqCurr: null, lastLoadMm: null, lastUserEnter: null, lastUserExit: null,
    lastRqMembarrierState: null, irqsOff: false, inIrq: false,
  };
}
