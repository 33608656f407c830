/**
 * membarrier's separate reads as separate steps (issue 12 item 6), each window both ways: a
 * hand-built op sequence that puts another CPU's step between the two reads, and the same ops
 * without it.
 *
 * - membarrier_global_expedited(): READ_ONCE(cpu_rq(cpu)->membarrier_state), then
 *   rcu_dereference(cpu_rq(cpu)->curr) and p->mm: the CPU can switch in between.
 * - sync_runqueues_membarrier_state(): one scan step per CPU (rcu_dereference(rq->curr), p->mm == mm),
 *   then on_each_cpu_mask(); and the single-user path's write lands on the CPU the caller runs on
 *   after its mm_users test. (The entry read of mm->membarrier_state before the mm_users test is
 *   test/findings/sync-runqueues-stale-single-user-write.test.ts.)
 */
type Script = Parameters<typeof drive>[2];
import { checkTrace } from '../../properties';
import { createEngine } from '../../src/engine/build';
import { MEMBARRIER_STATE as S } from '../../src/trace/events';
import { drain, drive, ofKind, steps } from './drive';

const fixes = { membarrierSwitchMmFix: true, syncCoreOnLazySameMmSwitch: true, syncRunqueuesFreshState: true };
const x86 = { arch: 'x86' as const, strategy: 'refcount' as const, knobs: fixes };

describe('membarrier_global_expedited(): rq->membarrier_state and rq->curr are read in separate steps', () => {
  // CPU0: T1 (mm1, one thread) registered for GLOBAL_EXPEDITED, in user mode; CPU1: T2 (mm2) calls
  // membarrier(GLOBAL_EXPEDITED); K1 is a kthread.
  const config = { cpus: 2, procs: 2, threads: 1, kthreads: 1 };
  const upToStateRead: Script = [
    { op: 'syscall', cpu: 0 },
    { op: 'membarrier_register', cpu: 0, cmd: 'GLOBAL_EXPEDITED' },
    drain(0), // one user: rq0 gets the state, then READY
    { op: 'return_to_user', cpu: 0, via: 'sysret' },
    { op: 'syscall', cpu: 1 },
    { op: 'membarrier', cpu: 1, cmd: 'GLOBAL_EXPEDITED' },
    ...steps(1, 2), // MB1; the first read of CPU0: rq0 has GLOBAL_EXPEDITED
  ];
  const switchCpu0ToK1: Script = [{ op: 'preempt', cpu: 0, next: 'K1' }, drain(0)];

  it('after the state read, the frame holds the value read and rq->curr is not read yet', () => {
    const { state, events } = drive(x86, config, upToStateRead);
    expect(state.tasks.T2.frames.at(-1)).toMatchObject({ fn: 'membarrier', pc: 2, scanCpu: 0, scanRead: { rqState: expect.any(Number), callerCpu: 1 } });
    expect(state.tasks.T2.frames.at(-1)!.scanRead!.rqState & S.GLOBAL_EXPEDITED).toBeTruthy();
    expect(ofKind(events, 'membarrier_scan')).toEqual([]);
  });

  it('CPU0 switches to a kthread between the two reads: the rq->curr read sees K1 (no mm) and CPU0 gets no IPI', () => {
    const { events } = drive(x86, config, [...upToStateRead, ...switchCpu0ToK1, drain(1)]);
    const scan = ofKind(events, 'membarrier_scan');
    expect(scan).toEqual([expect.objectContaining({ target: 0, currTask: 'K1', currMm: null, selected: false })]);
    expect(scan[0].rqMembarrierState & S.GLOBAL_EXPEDITED).toBeTruthy(); // the value of the first read
    expect(ofKind(events, 'ipi_send')).toEqual([]);
    expect(checkTrace(events)).toEqual([]);
  });

  it('without the switch in between, the rq->curr read sees T1 and CPU0 is IPIed', () => {
    const { events } = drive(x86, config, [...upToStateRead, { op: 'step', cpu: 1 }, { op: 'step', cpu: 1 }, ...switchCpu0ToK1, drain(1)]);
    expect(ofKind(events, 'membarrier_scan')).toEqual([expect.objectContaining({ target: 0, currTask: 'T1', currMm: 'mm1', selected: true })]);
    expect(ofKind(events, 'ipi_send').map((e) => [e.target, e.func])).toEqual([[0, 'ipi_mb']]);
  });

  it('a CPU whose state lacks GLOBAL_EXPEDITED is skipped at the first read, in one step', () => {
    const { state, events } = drive(x86, config, [
      { op: 'syscall', cpu: 1 },
      { op: 'membarrier', cpu: 1, cmd: 'GLOBAL_EXPEDITED' },
      ...steps(1, 2),
    ]);
    expect(state.tasks.T2.frames.at(-1)).toMatchObject({ pc: 2, scanCpu: 1 });
    expect(state.tasks.T2.frames.at(-1)!.scanRead).toBeUndefined();
    expect(ofKind(events, 'membarrier_scan')).toEqual([expect.objectContaining({ target: 0, rqMembarrierState: 0, selected: false })]);
  });

  it('membarrier_private_expedited() reads rq->curr and p->mm in one step per CPU', () => {
    const { state, events } = drive(x86, { cpus: 2, procs: 1, threads: 2, kthreads: 0 }, [
      { op: 'syscall', cpu: 0 },
      { op: 'membarrier_register', cpu: 0, cmd: 'PRIVATE_EXPEDITED' },
      drain(0),
      { op: 'ipi', cpu: 1 },
      drain(0),
      { op: 'membarrier', cpu: 0, cmd: 'PRIVATE_EXPEDITED' },
      ...steps(0, 2), // MB1, scan CPU0
    ]);
    expect(state.tasks.T1.frames.at(-1)).toMatchObject({ fn: 'membarrier', pc: 2, scanCpu: 1, targets: [0] });
    expect(ofKind(events, 'membarrier_scan').map((e) => [e.target, e.selected])).toEqual([[0, true]]);
  });
});

describe('sync_runqueues_membarrier_state(): one scan step per CPU, then on_each_cpu_mask()', () => {
  // T1 (CPU0) and T2 (CPU1) share mm1: a registration takes the multi-user path.
  const config = { cpus: 2, procs: 1, threads: 2, kthreads: 0 };
  const upToScanOfCpu0: Script = [
    { op: 'syscall', cpu: 0 },
    { op: 'membarrier_register', cpu: 0, cmd: 'GLOBAL_EXPEDITED' }, // atomic_or(); entry read
    ...steps(0, 2), // mm_users == 2: synchronize_rcu(); scan CPU0 (T1: mm1)
  ];

  it('between two scan steps the frame holds the CPUs selected so far', () => {
    const { state } = drive(x86, config, upToScanOfCpu0);
    expect(state.tasks.T1.frames.at(-1)).toMatchObject({ fn: 'membarrier_register', pc: 3, scanCpu: 1, targets: [0] });
  });

  it('T2 leaves CPU1 between the scan of CPU0 and the scan of CPU1: no ipi_sync_rq_state to CPU1', () => {
    const { events, state } = drive(x86, config, [...upToScanOfCpu0, { op: 'preempt', cpu: 1, next: 'idle1' }, drain(1), drain(0)]);
    expect(ofKind(events, 'ipi_send')).toEqual([]);
    expect(ofKind(events, 'ipi_handle').map((e) => [e.cpu, e.fn])).toEqual([[0, 'ipi_sync_rq_state']]); // run locally
    expect(state.mms.mm1.membarrierState & S.GLOBAL_EXPEDITED_READY).toBeTruthy();
    expect(checkTrace(events)).toEqual([]);
  });

  it('without the switch in between, CPU1 is scanned running T2 and gets the IPI', () => {
    const { events } = drive(x86, config, [...upToScanOfCpu0, ...steps(0, 2), { op: 'preempt', cpu: 1, next: 'idle1' }]);
    expect(ofKind(events, 'ipi_send').map((e) => [e.target, e.func])).toEqual([[1, 'ipi_sync_rq_state']]);
  });

  it('single user (mainline): the caller can migrate after the mm_users test; the write goes to the runqueue it runs on then', () => {
    // T1 (mm1) on CPU0 alone in its mm; T2 (mm2) in user mode on CPU1.
    const cfg = { cpus: 2, procs: 2, threads: 1, kthreads: 0 };
    const script: Script = [
      { op: 'syscall', cpu: 0 },
      { op: 'membarrier_register', cpu: 0, cmd: 'GLOBAL_EXPEDITED' },
      { op: 'step', cpu: 0 }, // mm_users == 1
    ];
    const mainline = { ...x86, knobs: { ...fixes, syncRunqueuesFreshState: false } };
    const engine = createEngine(mainline);
    expect(engine.enabled(drive(mainline, cfg, script).state)).toContainEqual({ op: 'schedule', cpu: 0, next: 'idle0' });
    const { events } = drive(mainline, cfg, [...script, { op: 'schedule', cpu: 0, next: 'idle0' }, drain(0), { op: 'preempt', cpu: 1, next: 'T1' }, drain(1)]);
    expect(ofKind(events, 'rq_membarrier_state').filter((e) => e.fn === 'sync_runqueues_membarrier_state').map((e) => e.cpu)).toEqual([1]);
    expect(checkTrace(events)).toEqual([]);
  });

  it('single user with the proposed fix (syncRunqueuesFreshState): preemption is off from the test to the write', () => {
    const cfg = { cpus: 2, procs: 2, threads: 1, kthreads: 0 };
    const fixed = x86; // syncRunqueuesFreshState is among `fixes`
    const script: Script = [{ op: 'syscall', cpu: 0 }, { op: 'membarrier_register', cpu: 0, cmd: 'GLOBAL_EXPEDITED' }, { op: 'step', cpu: 0 }];
    const at = drive(fixed, cfg, script).state;
    expect(createEngine(fixed).enabled(at)).not.toContainEqual({ op: 'schedule', cpu: 0, next: 'idle0' });
    // After the write the caller is preemptible again (before READY).
    const after = drive(fixed, cfg, [...script, { op: 'step', cpu: 0 }]).state;
    expect(createEngine(fixed).enabled(after)).toContainEqual({ op: 'schedule', cpu: 0, next: 'idle0' });
  });
});
