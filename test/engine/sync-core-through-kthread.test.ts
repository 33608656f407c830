/**
 * kernel-model.md section 6, scenarios 1 and 2: SYNC_CORE and a CPU that goes user -> kthread/idle
 * -> user of the same mm on x86 (fresh TLB: switch_mm_irqs_off() returns without a CR3 write, so
 * finish_task_switch()'s membarrier_mm_sync_core_before_usermode() must serialize).
 */
type Script = Parameters<typeof drive>[2];
import { drain, drive, ofKind, steps } from './drive';

const config = { cpus: 2, procs: 1, threads: 2, kthreads: 0 };
const x86 = { arch: 'x86' as const, strategy: 'refcount' as const };

/** T1 (CPU0) registers SYNC_CORE; T2 (CPU1) enters a syscall and yields to idle1 (lazy on mm1). */
const prologue: Script = [
  { op: 'syscall', cpu: 0 },
  { op: 'membarrier_register', cpu: 0, cmd: 'PRIVATE_EXPEDITED_SYNC_CORE' },
  ...steps(0, 4), // sync_runqueues_membarrier_state(): mm_users, scan CPU0 and CPU1, IPI CPU1 + run locally
  { op: 'ipi', cpu: 1 },
  ...steps(0, 2),
  { op: 'syscall', cpu: 1 },
  { op: 'schedule', cpu: 1, next: 'idle1' },
  drain(1),
];
/** membarrier(SYNC_CORE) on CPU0: scans CPU1 (rq->curr = idle1, mm NULL: no IPI) and returns. */
const syncCoreCall: Script = [{ op: 'membarrier', cpu: 0, cmd: 'PRIVATE_EXPEDITED_SYNC_CORE' }, ...steps(0, 6)];
/** CPU1 switches idle1 -> T2 and T2 returns by SYSRET. */
const backToT2: Script = [{ op: 'schedule', cpu: 1, next: 'T2' }, drain(1), { op: 'return_to_user', cpu: 1, via: 'sysret' }];

describe('scenario 1: SYNC_CORE, user -> idle -> user of the same mm (x86, fresh TLB)', () => {
  it('lazy return writes no CR3 and finish_task_switch() serializes before SYSRET', () => {
    const { state, events, perOp } = drive(x86, config, [...prologue, ...syncCoreCall, ...backToT2]);
    const scans = ofKind(events, 'membarrier_scan');
    expect(scans.map((s) => [s.target, s.currTask, s.selected])).toEqual([[0, 'T1', true], [1, 'idle1', false]]);
    const ret = ofKind(events, 'membarrier').find((e) => e.phase === 'return');
    expect(ret).toMatchObject({ ret: 0, shortCircuit: false });
    const switchBack = perOp.slice(-6).flat();
    expect(ofKind(switchBack, 'load_mm', 1)).toEqual([]); // no CR3 write
    const ser = ofKind(switchBack, 'serialize', 1);
    expect(ser.map((s) => s.fn)).toEqual(['membarrier_mm_sync_core_before_usermode']);
    const enter = ofKind(switchBack, 'user_enter', 1)[0];
    expect(enter).toMatchObject({ task: 'T2', via: 'sysret' });
    expect(switchBack.indexOf(ser[0])).toBeLessThan(switchBack.indexOf(enter));
    // The lazy reference came back: mm1 holds mm_users' reference only.
    expect(state.mms.mm1).toMatchObject({ users: 2, count: 1, freed: false });
    expect(state.cpus[1]).toMatchObject({ curr: 'T2', current: 'T2', loadedMm: 'mm1', isLazy: false, prevMm: null, mode: 'user' });
  });

  it('without membarrier_mm_sync_core_before_usermode() T2 reaches user mode unserialized', () => {
    const { perOp } = drive({ variant: 'no-sync-core-kthread-to-user', ...x86 }, config, [...prologue, ...syncCoreCall, ...backToT2]);
    const switchBack = perOp.slice(-6).flat();
    expect(ofKind(switchBack, 'serialize', 1)).toEqual([]);
    expect(ofKind(switchBack, 'user_enter', 1)[0]).toMatchObject({ task: 'T2', via: 'sysret' });
  });
});

describe('scenario 2: the lazy CPU was unlazied by a freed-tables flush while idle', () => {
  // inc_mm_tlb_gen(); the mask snapshot; CPU1's csd queued; the local flush; (IPI handled); the wait.
  const flush: Script = [{ op: 'flush_tlb', cpu: 0, freedTables: true }, ...steps(0, 3), { op: 'ipi', cpu: 1 }, { op: 'step', cpu: 0 }];
  it('flush_tlb_func() switches the lazy CPU to init_mm behind the scheduler; the return writes CR3', () => {
    const { perOp, events } = drive({ variant: 'no-sync-core-kthread-to-user', ...x86 }, config, [...prologue, ...flush, ...syncCoreCall, ...backToT2]);
    const unlazy = ofKind(events, 'load_mm', 1).filter((e) => e.fn === 'flush_tlb_func');
    expect(unlazy).toEqual([expect.objectContaining({ mm: 'init_mm', cr3Write: true })]);
    const switchBack = perOp.slice(-6).flat();
    // Even the mutant serializes: Andy's "unnecessary core sync" case.
    expect(ofKind(switchBack, 'serialize', 1).map((s) => s.how)).toEqual(['write_cr3']);
    // switch_mm_irqs_off() in two steps: LOADED_MM_SWITCHING (>= v6.15 order), then the CR3 write.
    expect(ofKind(switchBack, 'load_mm', 1).map((e) => [e.mm, e.cr3Write])).toEqual([['SWITCHING', false], ['mm1', true]]);
  });
});
