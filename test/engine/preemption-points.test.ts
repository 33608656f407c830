/**
 * Preemption points inside task kernel paths (issue 12 item 1): kthread_use_mm() after mmgrab() and
 * after task_unlock() (before mmdrop_lazy_tlb()), kthread_unuse_mm() before its mmdrop(), exec_mmap()
 * after task_unlock(), exit_mm() before mmput(), and __mmput()/exit_mmap() outside its flush wait.
 * Each scenario drives a switch at the new point (the drive throws when an op is not enabled, so
 * these fail on an engine without the window) and checks the trace against every property.
 */
type Script = Parameters<typeof drive>[2];
import { checkTrace } from '../../properties';
import { createEngine } from '../../src/engine/build';
import { drain, drive, ofKind, steps } from './drive';

const x86 = { arch: 'x86' as const, strategy: 'refcount' as const, knobs: { membarrierSwitchMmFix: true, syncCoreOnLazySameMmSwitch: true } };
const config = { cpus: 2, procs: 2, threads: 1, kthreads: 1 };

/** K1 becomes lazy on mm2 on CPU1, takes mm_users on mm1 and enters kthread_use_mm(mm1). */
const k1UsesMm1: Script = [
  { op: 'syscall', cpu: 1 },
  { op: 'schedule', cpu: 1, next: 'K1' },
  drain(1),
  { op: 'mmget_not_zero', cpu: 1, mm: 'mm1' },
  { op: 'kthread_use_mm', cpu: 1, mm: 'mm1' }, // mmgrab(mm1)
  { op: 'step', cpu: 1 }, // task_lock() ... switch_mm_irqs_off() ... task_unlock()
];

describe('kthread_use_mm() is preemptible after task_unlock(), before mmdrop_lazy_tlb(active_mm)', () => {
  const script: Script = [
    ...k1UsesMm1,
    { op: 'schedule', cpu: 1, next: 'T2' }, // preempted holding mm2 in its local active_mm
    drain(1),
    { op: 'return_to_user', cpu: 1, via: 'sysret' },
    { op: 'syscall', cpu: 1 },
    { op: 'exit', cpu: 1 }, // the last user of mm2 exits while K1's local still pins it
    drain(1),
    { op: 'syscall', cpu: 0 },
    { op: 'schedule', cpu: 0, next: 'K1' }, // K1 resumes on CPU0 ...
    drain(0), // ... and runs mmdrop_lazy_tlb(mm2): the final drop, on the other CPU
  ];

  it('the kthread migrates holding the lazy reference across the exit of its last user, and drops it on the CPU it resumes on', () => {
    const { state, events } = drive(x86, config, script);
    const drop = ofKind(events, 'ref').filter((r) => r.mm === 'mm2').at(-1);
    // mm2's last user is gone; what is left is the exited T2's lazy reference on CPU1.
    expect(drop).toMatchObject({ cpu: 0, fn: 'mmdrop_lazy_tlb', owner: 'local:1:kthread_use_mm', value: 1 });
    expect(state.mms.mm2).toMatchObject({ users: 0, count: 1, tornDown: true, freed: false });
    expect(state.tasks.K1).toMatchObject({ mm: 'mm1', activeMm: 'mm1', cpu: 0, frames: [] });
    // One access interval: the resumed kthread starts accessing only when kthread_use_mm() returns.
    expect(ofKind(events, 'kthread_access').map((e) => [e.cpu, e.phase])).toEqual([[0, 'begin']]);
    expect(checkTrace(events)).toEqual([]);
  });

  it('is also preemptible between mmgrab(mm) and task_lock()', () => {
    const engine = createEngine(x86);
    const { state } = drive(x86, config, k1UsesMm1.slice(0, -1));
    expect(engine.enabled(state)).toContainEqual({ op: 'schedule', cpu: 1, next: 'T2' });
  });
});

describe('kthread_unuse_mm() is preemptible before its mmdrop(mm)', () => {
  it('the now-lazy kthread is switched out; its lazy reference moves with the switch', () => {
    const { events, state } = drive(x86, config, [
      ...k1UsesMm1,
      drain(1),
      { op: 'kthread_unuse_mm', cpu: 1 }, // tsk->mm = NULL; mmgrab_lazy_tlb(mm1); enter_lazy_tlb()
      { op: 'schedule', cpu: 1, next: 'T2' }, // kernel -> user: rq->prev_mm = mm1
      drain(1),
      { op: 'syscall', cpu: 0 },
      { op: 'schedule', cpu: 0, next: 'K1' },
      drain(0), // the switch, then mmdrop(mm1): kthread_use_mm()'s grab
    ]);
    expect(ofKind(events, 'prev_mm', 1).map((e) => e.mm)).toEqual(['mm1', null]);
    expect(state.tasks.K1).toMatchObject({ mm: null, activeMm: 'mm1', useMmGrab: null, cpu: 0 });
    expect(checkTrace(events)).toEqual([]);
  });
});

describe('exit_mm() before mmput() and __mmput() outside its flush wait are preemptible', () => {
  const exitT2: Script = [
    { op: 'syscall', cpu: 1 },
    { op: 'exit', cpu: 1 }, // mmgrab_lazy_tlb(mm2)
    { op: 'step', cpu: 1 }, // current->mm = NULL; enter_lazy_tlb(); task_unlock()
    { op: 'schedule', cpu: 1, next: 'K1' }, // the exiting task, lazy on mm2, is switched out
    drain(1),
    { op: 'syscall', cpu: 0 },
    { op: 'schedule', cpu: 0, next: 'T2' }, // it resumes on CPU0, now lazy on mm1
    ...steps(0, 3), // rq->curr; user -> kernel (mmgrab_lazy_tlb(mm1)); switch_to
    { op: 'step', cpu: 0 }, // mmput(mm2): mm_users 1 -> 0, __mmput() begins
  ];

  it('the exiting task migrates; __mmput() can sleep before exit_mmap() flushes', () => {
    const engine = createEngine(x86);
    const { state, events } = drive(x86, config, exitT2);
    expect(state.tasks.T2).toMatchObject({ mm: null, activeMm: 'mm1', cpu: 0 });
    expect(ofKind(events, 'ref').filter((r) => r.mm === 'mm2' && r.counter === 'mm_users').at(-1)).toMatchObject({ cpu: 0, owner: 'local:1:exit_mm', value: 0 });
    expect(state.tasks.T2.frames.map((f) => f.fn)).toEqual(['exit_mm', '__mmput']);
    expect(engine.enabled(state)).toContainEqual({ op: 'schedule', cpu: 0, next: 'T1' });
    expect(checkTrace(events)).toEqual([]);
  });

  it('not while it waits for the flush IPIs (flush_tlb_mm_range(): get_cpu())', () => {
    const engine = createEngine(x86);
    const { state, events } = drive(x86, config, [...exitT2, { op: 'step', cpu: 0 }]);
    expect(ofKind(events, 'ipi_send').at(-1)).toMatchObject({ target: 1, func: 'flush_tlb_func', mm: 'mm2' });
    expect(engine.enabled(state).filter((o) => o.cpu === 0 && o.op === 'schedule')).toEqual([]);
    const done = drive(x86, config, [...exitT2, drain(0), { op: 'ipi', cpu: 1 }, drain(0)]);
    expect(done.state.mms.mm2).toMatchObject({ users: 0, count: 1, freed: false }); // K1's lazy reference
    expect(checkTrace(done.events)).toEqual([]);
  });
});

describe('exec_mmap() is preemptible after task_unlock(), before mmput(old_mm)', () => {
  it('the exec-ing task migrates holding old_mm in its local variable', () => {
    const cfg = { cpus: 2, procs: 1, threads: 1, kthreads: 1 };
    const { events, state } = drive(x86, cfg, [
      { op: 'syscall', cpu: 0 },
      { op: 'exec', cpu: 0 }, // mm_alloc(); task_lock(); membarrier_exec_mmap()
      { op: 'step', cpu: 0 }, // tsk->mm = mm2
      { op: 'step', cpu: 0 }, // activate_mm(); task_unlock()
      { op: 'schedule', cpu: 0, next: 'K1' },
      ...steps(0, 3),
      { op: 'schedule', cpu: 1, next: 'T1' },
      drain(1),
      drain(1), // mmput(mm1) on CPU1: __mmput(), exit_mmap()'s flush ...
      { op: 'ipi', cpu: 0 },
      drain(1),
    ]);
    expect(ofKind(events, 'ref').find((r) => r.mm === 'mm1' && r.counter === 'mm_users' && r.value === 0)).toMatchObject({ cpu: 1, owner: 'local:0:exec_mmap' });
    expect(state.tasks.T1).toMatchObject({ mm: 'mm2', frames: [] });
    expect(checkTrace(events)).toEqual([]);
  });
});
