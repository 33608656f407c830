import fc from 'fast-check';
import { MEMBARRIER_STATE as S, type CpuId, type TaskId, type TraceEvent } from '../src/trace/events';
import { allProperties, checkTrace, createTraceChecker, describeEvent, propertyById } from './index';
import { TraceBuilder } from './lib/trace-builder';
import { contextSwitch, deliverIpi, returnToUser } from './lib/trace-macros';
import type { Violation } from './property';

/** Two CPUs, mm1 (T0, T1, registered for SYNC_CORE) and mm2 (T2), idle tasks. */
function world(): TraceBuilder {
  return new TraceBuilder({
    cpus: [{ curr: 'T0' }, { curr: 'T1' }],
    tasks: [
      { task: 'T0', mm: 'mm1' },
      { task: 'T1', mm: 'mm1' },
      { task: 'T2', mm: 'mm2' },
      { task: 'idle0' },
      { task: 'idle1' },
    ],
    mms: [
      { mm: 'mm1', membarrierState: S.PRIVATE_EXPEDITED | S.PRIVATE_EXPEDITED_READY | S.PRIVATE_EXPEDITED_SYNC_CORE | S.PRIVATE_EXPEDITED_SYNC_CORE_READY },
      { mm: 'mm2' },
    ],
  });
}

type Step = { kind: 'idle' | 'user' | 'syscall' | 'membarrier' | 'flush' | 'walk'; cpu: CpuId; pick: number; iret: boolean };

/** A tiny, correct x86 kernel: applies a step if it is possible in the current state. */
function apply(b: TraceBuilder, s: Step): void {
  const c = b.mirror.cpu(s.cpu);
  const cur = b.mirror.task(c.current);
  const via = s.iret ? 'iret' : 'sysret';
  switch (s.kind) {
    case 'idle':
      if (c.mode !== 'user') return;
      b.userExit(s.cpu, 'irq');
      contextSwitch(b, s.cpu, `idle${s.cpu}`);
      return;
    case 'user': {
      if (cur.type !== 'idle') return;
      const free = ['T0', 'T1', 'T2'].filter((t) => b.mirror.task(t).onCpu === null);
      if (free.length === 0) return;
      contextSwitch(b, s.cpu, free[s.pick % free.length] as TaskId);
      returnToUser(b, s.cpu, 'iret');
      return;
    }
    case 'syscall':
      if (c.mode !== 'user') return;
      b.userExit(s.cpu);
      returnToUser(b, s.cpu, via);
      return;
    case 'membarrier': {
      if (c.mode !== 'user' || cur.mm !== 'mm1') return;
      b.userExit(s.cpu);
      const cmd = s.pick % 2 === 0 ? 'PRIVATE_EXPEDITED' : 'PRIVATE_EXPEDITED_SYNC_CORE';
      const func = cmd === 'PRIVATE_EXPEDITED' ? 'ipi_mb' : 'ipi_sync_core';
      const call = b.mbEnter(s.cpu, cmd);
      b.mb(s.cpu);
      b.mbPhase(s.cpu, call, 'mb_start');
      for (const t of b.mirror.cpus) {
        const sel = b.mirror.task(t.curr).mm === 'mm1';
        b.mbScan(s.cpu, call, t.id, sel);
        if (!sel) continue;
        if (t.id === s.cpu) {
          if (func === 'ipi_sync_core') deliverIpiLocal(b, s.cpu);
        } else deliverIpi(b, t.id, b.ipiSend(s.cpu, t.id, func, 'mm1'), func, s.cpu, 'mm1');
      }
      b.mb(s.cpu);
      b.mbPhase(s.cpu, call, 'mb_end');
      b.mbPhase(s.cpu, call, 'return');
      returnToUser(b, s.cpu, via);
      return;
    }
    case 'flush': {
      if (c.mode !== 'user' || cur.mm === null) return;
      const mm = cur.mm;
      const freed = s.iret;
      b.userExit(s.cpu);
      const gen = b.mirror.mm(mm).tlbGen + 1;
      b.push({ k: 'tlb_gen', cpu: s.cpu, fn: 'flush_tlb_mm_range', mm, value: gen, freedTables: freed });
      b.mb(s.cpu);
      b.push({ k: 'local_tlb_gen', cpu: s.cpu, fn: 'flush_tlb_func', mm, gen });
      for (const t of b.mirror.cpus) {
        if (t.id === s.cpu || t.loadedMm !== mm || (t.isLazy && !freed)) continue;
        const id = b.ipiSend(s.cpu, t.id, 'flush_tlb_func', mm);
        b.ipiHandle(t.id, id, 'flush_tlb_func', s.cpu, mm);
        if (t.isLazy) {
          b.lazy(t.id, false, 'switch_mm_irqs_off');
          b.loadMm(t.id, 'init_mm', { fn: 'flush_tlb_func' });
          b.mb(t.id);
          b.serialize(t.id, 'write_cr3');
        } else b.push({ k: 'local_tlb_gen', cpu: t.id, fn: 'flush_tlb_func', mm, gen });
      }
      b.push({ k: 'flush_done', cpu: s.cpu, fn: 'flush_tlb_mm_range', mm, gen, freedTables: freed });
      returnToUser(b, s.cpu, via);
      return;
    }
    case 'walk':
      if (c.loadedMm !== 'SWITCHING') b.deref(s.cpu, 'walker', c.loadedMm);
      b.deref(s.cpu, 'nmi');
      return;
  }
}

function deliverIpiLocal(b: TraceBuilder, cpu: CpuId): void {
  b.ipiHandle(cpu, null, 'ipi_sync_core', cpu, 'mm1');
  b.mb(cpu);
  b.serialize(cpu, 'sync_core');
}

const step: fc.Arbitrary<Step> = fc.record({
  kind: fc.constantFrom('idle', 'user', 'syscall', 'membarrier', 'flush', 'walk'),
  cpu: fc.constantFrom(0, 1),
  pick: fc.nat(5),
  iret: fc.boolean(),
});

function trace(steps: Step[]): TraceEvent[] {
  const b = world();
  for (const s of steps) apply(b, s);
  return b.events;
}

/** Each property run alone, through its own monitor (its own mirror). */
function separately(events: TraceEvent[]): Violation[] {
  const init = events[0];
  if (init.k !== 'init') throw new Error('no init');
  const out: Violation[] = [];
  for (const p of allProperties.filter((q) => q.appliesTo(init))) {
    const m = p.monitor(init);
    let v: Violation | null = null;
    for (let i = 1; i < events.length && v === null; i++) v = m.observe(events[i], i);
    v ??= m.finish();
    if (v !== null) out.push(v);
  }
  return out;
}

const byProperty = (vs: Violation[]) => [...vs].sort((a, b) => a.property.localeCompare(b.property));

describe('properties/index', () => {
  it('lists every property once, by id', () => {
    const ids = allProperties.map((p) => p.id);
    expect(ids).toEqual(['refcount-balance', 'no-lazy-use-after-free', 'sync-core-before-usermode', 'membarrier-ordering', 'tlb-coherence']);
    for (const id of ids) expect(propertyById(id)?.id).toBe(id);
    expect(propertyById('nope')).toBeUndefined();
  });

  it('cites events in one format', () => {
    const b = world();
    const i = b.loadMm(1, 'mm1', { cr3Write: false });
    expect(describeEvent(b.events[i], i)).toBe('event 1 (cpu1 switch_mm_irqs_off load_mm mm1, no CR3 write)');
  });

  it('checkTrace requires the init event first', () => {
    expect(() => checkTrace([])).toThrow('init');
  });

  it('createTraceChecker ignores the init event and reports each property at most once', () => {
    const b = world();
    b.lazy(1, true);
    b.lazy(0, true);
    b.lazy(1, true);
    const checker = createTraceChecker(b.init);
    const found = b.events.flatMap((ev, i) => checker.observe(ev, i)).concat(checker.finish());
    expect(found.map((v) => [v.property, v.clause, v.index])).toEqual([
      ['tlb-coherence', 'C6.2 lazy flag without a lazy task', 1],
    ]);
  });

  it('a correct kernel (the trace macros) never violates a property; shared, separate and incremental runs agree', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40, size: 'max' }), (steps) => {
        const events = trace(steps);
        const whole = checkTrace(events);
        expect(whole).toEqual([]);
        expect(byProperty(separately(events))).toEqual(byProperty(whole));
      }),
      { numRuns: 150, seed: 42 },
    );
  });

  it('shared and separate runs agree on traces with violations', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30, size: 'max' }), fc.nat(), (steps, cut) => {
        const events = trace(steps);
        // Break the trace: drop one event (a barrier, a reference, a serialize, ...).
        const broken = events.length > 2 ? events.filter((_, i) => i !== 1 + (cut % (events.length - 1))) : events;
        expect(byProperty(separately(broken))).toEqual(byProperty(checkTrace(broken)));
      }),
      { numRuns: 150, seed: 7 },
    );
  });
});
