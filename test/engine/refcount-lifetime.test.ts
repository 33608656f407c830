/**
 * kernel-model.md section 6, scenario 8 (refcount basics): the last thread of mm2 exits on CPU1,
 * which stays lazy on mm2 (mm_users == 0, mm_count == 1 held by the lazy CPU); mm2 is freed only
 * when CPU1 next switches to a user task, by finish_task_switch()'s mmdrop_lazy_tlb_sched().
 */
type Script = Parameters<typeof drive>[2];
import { drain, drive, ofKind, steps } from './drive';

const config = { cpus: 2, procs: 2, threads: 1, kthreads: 0 };
const x86 = { arch: 'x86' as const, strategy: 'refcount' as const };

const exitT2: Script = [
  { op: 'syscall', cpu: 1 },
  { op: 'exit', cpu: 1 }, // exit_mm(): mmgrab_lazy_tlb(mm2)
  { op: 'step', cpu: 1 }, // smp_mb__after_spinlock(); current->mm = NULL; enter_lazy_tlb()
  { op: 'step', cpu: 1 }, // mmput(): mm_users 1 -> 0, __mmput()
  ...steps(1, 4), // exit_mmap + flush, flush done, mmdrop(users1), exit_mm done
  { op: 'schedule', cpu: 1, next: 'idle1' }, // do_task_dead(): kernel -> kernel, lazy ref moves
  ...steps(1, 3),
];
const t1ToCpu1: Script = [
  { op: 'syscall', cpu: 0 },
  { op: 'schedule', cpu: 0, next: 'idle0' },
  drain(0),
  { op: 'schedule', cpu: 1, next: 'T1' },
  drain(1),
];

describe('scenario 8: refcount keeps a dead mm alive while a CPU is lazy on it', () => {
  it('mm2 survives its last user and is freed by the lazy CPU\'s kernel -> user switch', () => {
    const { state, events, perOp } = drive(x86, config, exitT2);
    expect(state.mms.mm2).toMatchObject({ users: 0, count: 1, freed: false, tornDown: true });
    expect(state.tasks.T2.state).toBe('dead');
    expect(state.tasks.idle1).toMatchObject({ mm: null, activeMm: 'mm2' });
    expect(ofKind(events, 'ref_move').at(-1)).toMatchObject({ mm: 'mm2', from: 'task:T2', to: 'task:idle1' });
    expect(perOp.length).toBe(exitT2.length);
    const all = drive(x86, config, [...exitT2, ...t1ToCpu1]);
    expect(all.state.mms.mm2).toMatchObject({ users: 0, count: 0, freed: true });
    const free = ofKind(all.events, 'mm_free');
    expect(free).toEqual([expect.objectContaining({ mm: 'mm2', cpu: 1 })]);
    const lastDrop = ofKind(all.events, 'ref').filter((r) => r.mm === 'mm2').at(-1);
    expect(lastDrop).toMatchObject({ fn: 'mmdrop_lazy_tlb_sched', owner: 'local:1:finish_task_switch', value: 0 });
  });

  it('exit_mmap()\'s freed-tables flush unlazies the exiting CPU to init_mm (x86 flush_tlb_func)', () => {
    const { state } = drive(x86, config, exitT2);
    expect(state.cpus[1]).toMatchObject({ loadedMm: 'init_mm', isLazy: false });
  });

  it('without mmgrab_lazy_tlb() a user -> kernel switch holds mm1 lazily with no reference', () => {
    const ops: Script = [{ op: 'syscall', cpu: 0 }, { op: 'schedule', cpu: 0, next: 'idle0' }, drain(0)];
    const good = drive(x86, config, ops);
    expect(good.state.mms.mm1.count).toBe(2);
    const bad = drive({ variant: 'no-lazy-mmgrab', ...x86 }, config, ops);
    expect(bad.state.mms.mm1.count).toBe(1);
    expect(bad.state.tasks.idle0).toMatchObject({ mm: null, activeMm: 'mm1' });
  });
});
