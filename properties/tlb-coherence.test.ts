import { checkTrace } from './index';
import { tlbCoherence } from './tlb-coherence';
import { TraceBuilder } from './lib/trace-builder';
import { contextSwitch, returnToUser, switchMm } from './lib/trace-macros';
import type { Violation } from './property';

const check = (b: TraceBuilder): Violation[] => checkTrace(b.events, [tlbCoherence]);

/** x86: T0 (cpu0) and T1 (cpu1) of mm1 in user mode; T2 of mm2 runnable; K1 a kthread. */
function world(): TraceBuilder {
  return new TraceBuilder({
    cpus: [{ curr: 'T0' }, { curr: 'T1' }],
    tasks: [
      { task: 'T0', mm: 'mm1' },
      { task: 'T1', mm: 'mm1' },
      { task: 'T2', mm: 'mm2' },
      { task: 'K1', type: 'kthread' },
      { task: 'idle0' },
      { task: 'idle1' },
    ],
    mms: [{ mm: 'mm1' }, { mm: 'mm2' }],
  });
}

/** cpu1: T1 enters the kernel and yields to idle1, which is lazy on mm1. */
function idleOnCpu1(b: TraceBuilder): void {
  b.userExit(1);
  contextSwitch(b, 1, 'idle1');
}

/** flush_tlb_mm_range(mm1) by cpu0: tlb_gen++, IPIs to `targets` (handled unless `lost`), flush_done. */
function flush(b: TraceBuilder, opts: { freedTables: boolean; targets: number[]; lost?: boolean }): number {
  const gen = b.mirror.mm('mm1').tlbGen + 1;
  b.path(0, 'flush_tlb_mm_range', 'begin');
  b.push({ k: 'tlb_gen', cpu: 0, fn: 'flush_tlb_mm_range', mm: 'mm1', value: gen, freedTables: opts.freedTables });
  b.mb(0, 'inc_mm_tlb_gen');
  b.push({ k: 'local_tlb_gen', cpu: 0, fn: 'flush_tlb_func', mm: 'mm1', gen });
  for (const t of opts.targets) {
    const id = b.ipiSend(0, t, 'flush_tlb_func', 'mm1');
    if (opts.lost) continue;
    b.ipiHandle(t, id, 'flush_tlb_func', 0, 'mm1');
    const c = b.mirror.cpu(t);
    if (c.isLazy) switchMm(b, t, 'init_mm', 'flush_tlb_func');
    else if (c.loadedMm === 'mm1') b.push({ k: 'local_tlb_gen', cpu: t, fn: 'flush_tlb_func', mm: 'mm1', gen });
  }
  const done = b.push({ k: 'flush_done', cpu: 0, fn: 'flush_tlb_mm_range', mm: 'mm1', gen, freedTables: opts.freedTables });
  b.path(0, 'flush_tlb_mm_range', 'end');
  return done;
}

describe('tlb-coherence', () => {
  it('applies to every arch (powerpc and arm64 under their own rules, properties/tlb/tagged-tlb.ts; test/engine/radix-flush.test.ts)', () => {
    const init = world().init;
    expect(tlbCoherence.appliesTo(init)).toBe(true);
    expect(tlbCoherence.appliesTo({ ...init, arch: 'arm64' })).toBe(true);
    expect(tlbCoherence.appliesTo({ ...init, arch: 'powerpc' })).toBe(true);
  });

  it('user -> idle (lazy) -> user, flushes that skip the lazy CPU, and the flushing return pass', () => {
    const b = world();
    b.userExit(0);
    idleOnCpu1(b);
    flush(b, { freedTables: false, targets: [] }); // lazy cpu1 skipped
    contextSwitch(b, 1, 'T1'); // stale: switch_mm_irqs_off() reloads with a flush
    returnToUser(b, 1, 'sysret');
    flush(b, { freedTables: true, targets: [1] });
    b.deref(1, 'walker', 'mm1');
    contextSwitch(b, 1, 'K1');
    flush(b, { freedTables: true, targets: [1] }); // the lazy CPU switches to init_mm
    contextSwitch(b, 1, 'T2');
    returnToUser(b, 1, 'iret');
    expect(check(b)).toEqual([]);
  });

  it('C6.2: is_lazy with a user task current', () => {
    const b = world();
    const i = b.lazy(1, true);
    expect(check(b)[0]).toMatchObject({ clause: 'C6.2 lazy flag without a lazy task', index: i, cpus: [1] });
  });

  it("scenario 13: text_poke() without leave_mm() reloads the lazy mm non-lazily (C6.2')", () => {
    const run = (leaveMm: boolean) => {
      const b = world();
      idleOnCpu1(b);
      b.path(1, 'text_poke', 'begin', 'idle1');
      if (leaveMm) switchMm(b, 1, 'init_mm', 'leave_mm');
      const saved = b.mirror.cpu(1).loadedMm as string;
      b.push({ k: 'temp_mm', cpu: 1, fn: 'use_temporary_mm', mm: 'text_poke_mm', saved });
      switchMm(b, 1, 'text_poke_mm', 'use_temporary_mm');
      switchMm(b, 1, saved, 'unuse_temporary_mm');
      b.push({ k: 'temp_mm', cpu: 1, fn: 'unuse_temporary_mm', mm: null, saved });
      const end = b.path(1, 'text_poke', 'end', 'idle1');
      return { b, end };
    };
    const bad = run(false);
    const [v] = check(bad.b);
    expect(v).toMatchObject({ clause: "C6.2' lazy task on a non-lazy CPU", index: bad.end, mm: 'mm1', cpus: [1] });
    expect(check(run(true).b)).toEqual([]);
  });

  it('C6.3: a loaded mm whose cpumask lacks the CPU', () => {
    const b = world();
    const i = b.cpumask(0, 'mm1', 1, false, 'flush_tlb_func');
    expect(check(b)[0]).toMatchObject({ clause: 'C6.3 loaded mm without cpumask bit', index: i, mm: 'mm1', cpus: [1] });
  });

  it('C6.1: loaded_mm is neither active_mm, init_mm nor a temporary mm', () => {
    const b = world();
    b.cpumask(1, 'mm2', 1, true);
    const i = b.loadMm(1, 'mm2');
    b.mb(0);
    expect(check(b)[0]).toMatchObject({ clause: 'C6.1 loaded mm is not the active mm', index: i, mm: 'mm2', cpus: [1] });
  });

  it('C6.1: returning to user mode on another mm', () => {
    const b = world();
    b.userExit(1);
    switchMm(b, 1, 'init_mm', 'leave_mm');
    const i = b.userEnter(1);
    expect(check(b)[0]).toMatchObject({ clause: 'C6.1 user mode on a foreign mm', index: i, cpus: [1] });
  });

  it('errata Part 2 E5: states inside a path in flight are not judged', () => {
    const b = world();
    b.path(1, 'exec_mmap', 'begin');
    b.lazy(1, true);
    b.cpumask(1, 'mm2', 1, true);
    b.loadMm(1, 'mm2');
    b.mb(0);
    b.loadMm(1, 'mm1');
    b.lazy(1, false);
    b.path(1, 'exec_mmap', 'end');
    expect(check(b)).toEqual([]);
  });

  it('C6.4: a flush completes while a non-lazy CPU of the mm has not flushed', () => {
    const b = world();
    b.userExit(0);
    const done = flush(b, { freedTables: false, targets: [1], lost: true });
    const [v] = check(b);
    expect(v).toMatchObject({ clause: 'C6.4 flush completed with a stale TLB', index: done, mm: 'mm1', cpus: [1] });
    const ok = world();
    ok.userExit(0);
    flush(ok, { freedTables: false, targets: [1] });
    expect(check(ok)).toEqual([]);
  });

  it('C6.4: a page-table-freeing flush must reach lazy CPUs too', () => {
    const b = world();
    b.userExit(0);
    idleOnCpu1(b);
    const done = flush(b, { freedTables: true, targets: [] });
    expect(check(b)[0]).toMatchObject({ clause: 'C6.4 freed page tables not flushed on a lazy CPU', index: done, cpus: [1] });
  });

  it('C6.4: returning to user mode with a TLB older than a completed flush', () => {
    const b = world();
    b.userExit(0);
    idleOnCpu1(b);
    flush(b, { freedTables: false, targets: [] });
    // A switch back that wrongly trusts the stale TLB: no reload, no flush.
    b.path(1, 'context_switch', 'begin', 'idle1');
    b.rqCurr(1, 'T1');
    b.lazy(1, false, 'switch_mm_irqs_off');
    b.prevMm(1, 'mm1');
    b.taskMm(1, 'idle1', null, null);
    b.switchTo(1, 'T1');
    b.prevMm(1, null, 'finish_task_switch');
    b.path(1, 'context_switch', 'end', 'idle1');
    const enter = returnToUser(b, 1, 'iret');
    expect(check(b)[0]).toMatchObject({ clause: 'C6.4 stale TLB in user mode', index: enter, mm: 'mm1', cpus: [1] });
  });

  it('C6.4: a page walk through page tables freed by a completed flush', () => {
    const b = world();
    b.userExit(0);
    idleOnCpu1(b);
    b.path(1, 'idle_enter', 'begin', 'idle1'); // cpu1 busy: the flush_done check skips it
    flush(b, { freedTables: true, targets: [] });
    b.path(1, 'idle_enter', 'end', 'idle1');
    const walk = b.deref(1, 'walker', 'mm1');
    expect(check(b)[0]).toMatchObject({ clause: 'C6.4 page walk through freed page tables', index: walk, mm: 'mm1', cpus: [1] });
  });
});
