/**
 * no-lazy-use-after-free reports pointers the kernel follows, not stale ones (issue 12 item 8).
 * Shootdown with the pre-v6.14 hotplug scheme (powerpc, knob hotplugFix=false): a CPU goes offline
 * while its idle task is lazy on mm1; idle_task_exit() switches the hardware to init_mm but leaves
 * idle->active_mm == mm1 until finish_cpu(), which only compares the pointer and, under
 * MMU_LAZY_TLB_SHOOTDOWN, executes smp_mb(). If mm1 is freed after idle_task_exit(), nothing was
 * at risk; if it is freed before (the window 21641bd9a7a7 closed), the dying CPU still translates
 * through mm1 and C2.5 must fire.
 */
type Script = Parameters<typeof drive>[2];
import { checkTrace } from '../../properties';
import { drain, drive, ofKind } from './drive';

const ppc = { arch: 'powerpc' as const, strategy: 'shootdown' as const, knobs: { hotplugFix: false, membarrierSwitchMmFix: true } };
const config = { cpus: 2, procs: 1, threads: 1, kthreads: 0 };

/** T1 leaves CPU0 (idle0 lazy on mm1) for CPU1; CPU0 starts going offline (__cpu_disable()). */
const setup: Script = [
  { op: 'syscall', cpu: 0 },
  { op: 'schedule', cpu: 0, next: 'idle0' },
  drain(0),
  { op: 'schedule', cpu: 1, next: 'T1' },
  drain(1),
  { op: 'cpu_down', cpu: 0 }, // (no sched_force_init_mm() before v6.14)
  { op: 'step', cpu: 0 }, // __cpu_disable(): offline; cleanup_cpu_mmu_context() clears CPU0 from mm1's cpumask
];
/** T1, the last user of mm1, exits on CPU1: __mmput(), the final mmdrop(), cleanup_lazy_tlbs(), free_mm(). */
const exitT1: Script = [{ op: 'exit', cpu: 1 }, drain(1)]; // T1 is still in the syscall it left CPU0 from
const idleTaskExit: Script = [{ op: 'step', cpu: 0 }];
const finishCpu: Script = [{ op: 'step', cpu: 0 }];

describe('a stale idle->active_mm on an offline CPU (shootdown, pre-v6.14 hotplug)', () => {
  it('freed after idle_task_exit(): the pointer is never followed, no violation', () => {
    const { events, state } = drive(ppc, config, [...setup, ...idleTaskExit, ...exitT1, ...finishCpu]);
    expect(ofKind(events, 'mm_free').map((e) => e.mm)).toEqual(['mm1']);
    const free = events.findIndex((e) => e.k === 'mm_free');
    // At the free, idle0 (the offline CPU's idle task) still names mm1; CPU0 runs on init_mm.
    const idleMm = ofKind(events.slice(0, free), 'task_mm').filter((e) => e.task === 'idle0').at(-1);
    expect(idleMm).toMatchObject({ activeMm: 'mm1' });
    expect(ofKind(events.slice(0, free), 'load_mm', 0).at(-1)).toMatchObject({ mm: 'init_mm', fn: 'idle_task_exit' });
    expect(state.tasks.idle0.activeMm).toBe('init_mm'); // finish_cpu()
    expect(checkTrace(events)).toEqual([]);
  });

  it('freed before idle_task_exit(): the dying CPU still uses mm1, C2.5 fires', () => {
    const { events } = drive(ppc, config, [...setup, ...exitT1]);
    const v = checkTrace(events).find((x) => x.property === 'no-lazy-use-after-free');
    expect(v).toMatchObject({ clause: 'C2.5 lazy user unreachable by shootdown', cpus: [0], mm: 'mm1' });
  });
});
