import { checkTrace } from './index';
import { noLazyUseAfterFree } from './no-lazy-use-after-free';
import { TraceBuilder, type WorldSpec } from './lib/trace-builder';
import { contextSwitch, exitMm } from './lib/trace-macros';
import type { Violation } from './property';

const check = (b: TraceBuilder): Violation[] => checkTrace(b.events, [noLazyUseAfterFree]);

function world(strategy: WorldSpec['strategy'] = 'refcount'): TraceBuilder {
  return new TraceBuilder({
    strategy,
    cpus: [{ curr: 'T0' }, { curr: 'T1' }],
    tasks: [
      { task: 'T0', mm: 'mm1', tgid: 'P1' },
      { task: 'T1', mm: 'mm1', tgid: 'P1' },
      { task: 'T2', mm: 'mm2', tgid: 'P2' },
      { task: 'T3', mm: 'mm2', tgid: 'P2' },
      { task: 'idle0' },
      { task: 'idle1' },
    ],
    mms: [{ mm: 'mm1' }, { mm: 'mm2' }],
  });
}

/**
 * T1 is preempted on cpu1 (idle1 goes lazy on mm1); T0 exits on cpu0, T1 resumes there and exits
 * too, and cpu0 moves on to mm2: mm1 has no users left, only idle1's lazy reference.
 */
function freeMm1(b: TraceBuilder, opts: { noLazyGrab?: boolean } = {}): void {
  b.userExit(1, 'irq');
  contextSwitch(b, 1, 'idle1', { noLazyGrab: opts.noLazyGrab });
  b.userExit(0);
  exitMm(b, 0);
  contextSwitch(b, 0, 'T1', { prevDies: true });
  exitMm(b, 0);
  contextSwitch(b, 0, 'T2', { prevDies: true });
}

describe('no-lazy-use-after-free', () => {
  it('scenario 8: the lazy reference keeps the dead mm alive until the lazy CPU moves on', () => {
    const b = world();
    freeMm1(b);
    b.deref(1, 'nmi');
    b.deref(1, 'walker', 'mm1');
    expect(b.mirror.mm('mm1').freed).toBe(false);
    contextSwitch(b, 1, 'T3');
    expect(b.mirror.mm('mm1').freed).toBe(true);
    expect(check(b)).toEqual([]);
  });

  it('scenario 8 mutant: without mmgrab_lazy_tlb() mm1 is freed under the lazy idle task (C2.1 at the free)', () => {
    const b = world();
    freeMm1(b, { noLazyGrab: true });
    const free = b.events.findIndex((e) => e.k === 'mm_free');
    const [v] = check(b);
    expect(v).toMatchObject({ clause: 'C2.1 task points at a freed mm', index: free, mm: 'mm1', cpus: [1] });
    expect(v.message).toContain('idle1 (current on cpu1) still has active_mm mm1');
  });

  it('every later use of the freed mm is reported', () => {
    const later: [string, (b: TraceBuilder) => number][] = [
      ['C2.3 loaded_mm is a freed mm', (b) => b.loadMm(0, 'mm1')],
      ['C2.2 rq->prev_mm is a freed mm', (b) => b.prevMm(0, 'mm1')],
      ['C2.1 task points at a freed mm', (b) => b.taskMm(0, 'T2', 'mm2', 'mm1')],
      ['C2.3 page walk through a freed mm', (b) => b.deref(0, 'walker', 'mm1')],
      ['C2.4 NMI read a freed mm', (b) => b.deref(0, 'nmi', 'mm1')],
      ['C2.1 kernel dereference of a freed mm', (b) => b.deref(0, 'kernel', 'mm1')],
      ['C2.1 reference on a freed mm', (b) => b.grab(0, 'mm1', 'grab', 'holder:K1')],
      ['C2.1 write to a freed mm', (b) => b.cpumask(0, 'mm1', 0, false)],
      ['C2.3 saved temporary-mm value is a freed mm', (b) => b.push({ k: 'temp_mm', cpu: 0, fn: 'use_temporary_mm', mm: 'text_poke_mm', saved: 'mm1' })],
      ['C2.1 freed twice', (b) => b.push({ k: 'mm_free', cpu: 0, fn: '__mmdrop', mm: 'mm1' })],
    ];
    for (const [clause, use] of later) {
      const b = world();
      freeMm1(b);
      contextSwitch(b, 1, 'T3');
      const i = use(b);
      expect(check(b)[0]).toMatchObject({ clause, index: i, mm: 'mm1' });
    }
  });

  it('at the free, rq->prev_mm, loaded_mm and a saved temporary mm must not be the freed mm', () => {
    const cases: [string, (b: TraceBuilder) => void][] = [
      ['C2.2 rq->prev_mm is a freed mm', (b) => b.prevMm(1, 'mm2')],
      ['C2.3 loaded_mm is a freed mm', (b) => b.loadMm(1, 'mm2')],
      ['C2.3 saved temporary-mm value is a freed mm', (b) => b.push({ k: 'temp_mm', cpu: 1, fn: 'use_temporary_mm', mm: 'text_poke_mm', saved: 'mm2' })],
    ];
    for (const [clause, setUp] of cases) {
      const b = new TraceBuilder({
        cpus: [{ curr: 'T0' }, { curr: 'T1' }],
        tasks: [{ task: 'T0', mm: 'mm1' }, { task: 'T1', mm: 'mm1' }, { task: 'T2', mm: 'mm2' }],
        mms: [{ mm: 'mm1' }, { mm: 'mm2' }],
      });
      setUp(b);
      // mm2's only user, not running, goes away (as if reaped): mm_users 0, the users1 reference, free.
      b.ref(0, 'mm2', 'mm_users', -1, 'users', 'task:T2');
      b.taskMm(0, 'T2', null, null, 'exit_mm');
      b.drop(0, 'mm2', 'users1', 'mm_users');
      const free = b.events.findIndex((e) => e.k === 'mm_free');
      expect(check(b)[0]).toMatchObject({ clause, index: free, mm: 'mm2', cpus: [1] });
    }
  });

  it('C2.4: an NMI that finds a NULL active_mm (between context_switch() and switch_to()) is reported', () => {
    const b = world();
    b.userExit(1, 'irq');
    contextSwitch(b, 1, 'idle1');
    b.path(1, 'context_switch', 'begin', 'idle1');
    b.rqCurr(1, 'T3');
    b.taskMm(1, 'idle1', null, null);
    const nmi = b.deref(1, 'nmi', null);
    const [v] = check(b);
    expect(v).toMatchObject({ clause: 'C2.4 NMI dereferenced a NULL active_mm', index: nmi, mm: null, cpus: [1] });
  });

  it('C2.5 (shootdown): a lazy user outside mm_cpumask cannot be shot down', () => {
    const b = world('shootdown');
    b.userExit(1, 'irq');
    contextSwitch(b, 1, 'idle1');
    // cpu1 is dropped from mm_cpumask(mm1) while idle1 still uses mm1 lazily.
    b.lazy(1, false, 'leave_mm');
    b.loadMm(1, 'init_mm', { fn: 'leave_mm' });
    b.cpumask(1, 'mm1', 1, false, 'flush_tlb_func');
    b.userExit(0);
    exitMm(b, 0, { stopBeforeMmput: true });
    b.ref(0, 'mm1', 'mm_users', -1, 'users', 'local:0:exit_mm', 'mmput');
    b.ref(0, 'mm1', 'mm_count', -1, 'users1', 'mm_users', 'mmput');
    const begin = b.push({ k: 'mmdrop_begin', cpu: 0, fn: '__mmdrop', mm: 'mm1' });
    const [v] = check(b);
    expect(v).toMatchObject({ clause: 'C2.5 lazy user unreachable by shootdown', index: begin, mm: 'mm1', cpus: [1] });
  });

  it('C2.5 (shootdown): lazy users in mm_cpumask are shot down and the free is clean', () => {
    const b = world('shootdown');
    b.userExit(1);
    exitMm(b, 1);
    contextSwitch(b, 1, 'idle1', { prevDies: true });
    b.userExit(0);
    exitMm(b, 0, { stopBeforeMmput: true });
    b.ref(0, 'mm1', 'mm_users', -1, 'users', 'local:0:exit_mm', 'mmput');
    b.ref(0, 'mm1', 'mm_count', -1, 'users1', 'mm_users', 'mmput');
    b.push({ k: 'mmdrop_begin', cpu: 0, fn: '__mmdrop', mm: 'mm1' });
    const id = b.ipiSend(0, 1, 'do_shoot_lazy_tlb', 'mm1');
    b.ipiHandle(1, id, 'do_shoot_lazy_tlb', 0, 'mm1');
    b.taskMm(1, 'idle1', null, 'init_mm', 'do_shoot_lazy_tlb');
    b.lazy(1, false, 'switch_mm_irqs_off');
    b.loadMm(1, 'init_mm', { fn: 'do_shoot_lazy_tlb' });
    // cpu0 itself is lazy on mm1 after exit_mm(): do_shoot_lazy_tlb() runs locally.
    b.ipiHandle(0, null, 'do_shoot_lazy_tlb', 0, 'mm1');
    b.taskMm(0, 'T0', null, 'init_mm', 'do_shoot_lazy_tlb');
    b.lazy(0, false, 'switch_mm_irqs_off');
    b.loadMm(0, 'init_mm', { fn: 'do_shoot_lazy_tlb' });
    b.push({ k: 'mm_free', cpu: 0, fn: '__mmdrop', mm: 'mm1' });
    b.path(0, 'exit_mm', 'end');
    expect(check(b)).toEqual([]);
  });

  it('C2.7 (hazard): a hazard pointer must not point at a freed mm', () => {
    const b = new TraceBuilder({
      strategy: 'hazard',
      cpus: [{ curr: 'T0' }, { curr: 'T1' }],
      tasks: [{ task: 'T0', mm: 'mm1' }, { task: 'T1', mm: 'mm1' }, { task: 'T2', mm: 'mm2' }],
      mms: [{ mm: 'mm1' }, { mm: 'mm2' }],
    });
    b.push({ k: 'hazard', cpu: 1, fn: 'context_switch', target: 1, slot: 'lazy_mm', mm: 'mm2' });
    b.ref(0, 'mm2', 'mm_users', -1, 'users', 'task:T2');
    b.taskMm(0, 'T2', null, null, 'exit_mm');
    b.drop(0, 'mm2', 'users1', 'mm_users');
    const free = b.events.findIndex((e) => e.k === 'mm_free');
    expect(check(b)[0]).toMatchObject({ clause: 'C2.7 hazard pointer to a freed mm', index: free, mm: 'mm2', cpus: [1] });
  });

  describe('C2.12: EFI runtime calls do not overlap (efi_runtime_lock, the single efi_prev_mm)', () => {
    const enter = (b: TraceBuilder, cpu: number): number => b.push({ k: 'temp_mm', cpu, fn: 'use_temporary_mm', mm: 'efi_mm', saved: 'mm1' });
    const leave = (b: TraceBuilder, cpu: number): number => b.push({ k: 'temp_mm', cpu, fn: 'unuse_temporary_mm', mm: null, saved: null });

    it('one call after the other, on either CPU, passes', () => {
      const b = world();
      enter(b, 0);
      leave(b, 0);
      enter(b, 1);
      leave(b, 1);
      enter(b, 0);
      leave(b, 0);
      expect(check(b)).toEqual([]);
    });

    it('a second call entering while another CPU is still in its call fails', () => {
      const b = world();
      enter(b, 0);
      const i = enter(b, 1);
      leave(b, 1);
      leave(b, 0);
      const [v] = check(b);
      expect(v).toMatchObject({ clause: 'C2.12 concurrent EFI runtime calls', index: i, mm: 'efi_mm', cpus: [1, 0] });
      expect(v.message).toContain('efi_prev_mm');
    });
  });
});
