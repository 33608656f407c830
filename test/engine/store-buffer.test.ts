/**
 * The store buffer of rq->membarrier_state (engine knob storeBuffer='rq-membarrier-state',
 * docs/store-buffer.md): a store that sets GLOBAL_EXPEDITED is not visible to other CPUs until
 * the writer's next full barrier, x86 locked RMW (the registration's atomic_or(), a cpumask bit
 * op), later store, or the csd_unlock() ending a remote IPI handler (the default since issue 11); the writer itself reads its own store (forwarding); the membarrier scan reads memory.
 * The mutants that drop the barrier after the store are src/mutants/hand-kills.ts's.
 */
import { checkTrace } from '../../properties';
import { Kctx } from '../../src/engine/kctx';
import { initialState } from '../../src/engine/init';
import { arm64Arch } from '../../src/engine/arch/arm64';
import { x86Arch } from '../../src/engine/arch/x86';
import { refcountStrategy } from '../../src/engine/strategies/refcount';
import type { ArchHooks } from '../../src/engine/arch/arch';
import { KNOBS_BY_ARCH, resolveKnobs } from '../../src/engine/knobs';
import type { TraceEvent } from '../../src/trace/events';
import { drain, drive, ofKind } from './drive';

const SB = { storeBuffer: 'rq-membarrier-state' };
const fixes = { membarrierSwitchMmFix: true, syncRunqueuesFreshState: true };

function kctx(arch: ArchHooks, knobs: Record<string, string | boolean>): Kctx {
  const { state } = initialState({ cpus: 2, procs: 1, threads: 2, kthreads: 0 }, arch.name, 'refcount', knobs);
  return new Kctx(state, [], arch, refcountStrategy, knobs, {});
}
const kinds = (ev: TraceEvent[]) => ev.map((e) => (e.k === 'rq_membarrier_state' ? `rq=${e.value}${e.drainedBy ? `/${e.drainedBy}` : ''}` : e.k));

describe('Kctx: buffered stores of rq->membarrier_state', () => {
  it('knob off: the store is visible at once (the sequentially consistent model)', () => {
    const k = kctx(arm64Arch, { storeBuffer: 'none' });
    k.setRqMembarrierState(0, 'ipi_sync_rq_state', 8);
    expect(k.cpu(0).rqMembarrierState).toBe(8);
    expect(kinds(k.ev)).toEqual(['rq=8']);
  });

  it('knob on: other CPUs see memory, the writer its own store; a full barrier drains before it completes', () => {
    const k = kctx(arm64Arch, SB);
    k.setRqMembarrierState(0, 'ipi_sync_rq_state', 8);
    expect([k.cpu(0).rqMembarrierState, k.ownRqMembarrierState(0)]).toEqual([0, 8]);
    k.setRqMembarrierState(0, 'membarrier_update_current_mm', 12);
    k.mb(1, 'other_cpu'); // another CPU's barrier drains nothing here
    expect(k.cpu(0).rqMembarrierState).toBe(0);
    k.mb(0, 'smp_mb');
    expect(kinds(k.ev)).toEqual(['store_buffered', 'store_buffered', 'mb', 'rq=12/smp_mb', 'mb']);
    expect(k.ev[3]).toMatchObject({ cpu: 0, fn: 'membarrier_update_current_mm' });
    expect([k.cpu(0).rqMembarrierState, k.ownRqMembarrierState(0)]).toEqual([12, 12]);
    // An empty buffer leaves no field behind: the state is the knob-off engine's (explorer hashes agree).
    expect(Object.keys(k.cpu(0)).filter((f) => f.startsWith('rqMembarrierStateBuffered'))).toEqual([]);
  });

  it('a store that does not make GLOBAL_EXPEDITED appear drains the buffer (FIFO) and is visible at once', () => {
    const k = kctx(arm64Arch, SB);
    k.setRqMembarrierState(0, 'ipi_sync_rq_state', 8);
    k.setRqMembarrierState(0, 'membarrier_update_current_mm', 0);
    expect(kinds(k.ev)).toEqual(['store_buffered', 'rq=8/membarrier_update_current_mm', 'rq=0']);
    expect([k.cpu(0).rqMembarrierState, k.ownRqMembarrierState(0)]).toEqual([0, 0]);
  });

  it('a locked RMW drains on x86 (LOCK prefix), not on arm64 (atomic_or() is unordered there)', () => {
    for (const [arch, drained] of [[x86Arch, true], [arm64Arch, false]] as const) {
      const k = kctx(arch, SB);
      k.setRqMembarrierState(0, 'sync_runqueues_membarrier_state', 8);
      k.atomicRmw(0, 'atomic_or');
      expect(k.cpu(0).rqMembarrierState).toBe(drained ? 8 : 0);
    }
  });
});

describe('the default', () => {
  it("is 'rq-membarrier-state+tlbstate' on every arch (loaded_mm exists on x86 only); 'rq-membarrier-state' and 'none' (the sequentially consistent model) are still accepted", () => {
    for (const defs of Object.values(KNOBS_BY_ARCH)) {
      expect(resolveKnobs(defs).storeBuffer).toBe('rq-membarrier-state+tlbstate');
      expect(resolveKnobs(defs, { storeBuffer: 'rq-membarrier-state' }).storeBuffer).toBe('rq-membarrier-state');
      expect(resolveKnobs(defs, { storeBuffer: 'none' }).storeBuffer).toBe('none');
    }
  });

  it('cpumask_set_cpu() / cpumask_clear_cpu() drain on x86 (LOCK bts/btr), not on arm64', () => {
    for (const [arch, drained] of [[x86Arch, true], [arm64Arch, false]] as const) {
      for (const set of [true, false]) {
        const k = kctx(arch, resolveKnobs(KNOBS_BY_ARCH[arch.name as 'x86' | 'arm64']) as Record<string, string | boolean>);
        k.setRqMembarrierState(0, 'membarrier_switch_mm', 8);
        k.setCpumask(0, 'switch_mm_irqs_off', k.mm('mm1'), 0, set);
        expect(k.cpu(0).rqMembarrierState).toBe(drained ? 8 : 0);
        if (drained) expect(k.ev[1]).toMatchObject({ k: 'rq_membarrier_state', drainedBy: set ? 'cpumask_set_cpu' : 'cpumask_clear_cpu' });
      }
    }
  });
});

describe('engines with the knob: the registration stores and the scan', () => {
  // cpu0: T1 (mm1, one thread); cpu1: T2 (mm2). T1 registers mm1 for GLOBAL_EXPEDITED (single-user
  // path: this_cpu_write(); smp_mb()), returns to user; T2 calls membarrier(GLOBAL_EXPEDITED).
  const config = { cpus: 2, procs: 2, threads: 1, kthreads: 1 };
  const script = [
    { op: 'syscall', cpu: 0 },
    { op: 'membarrier_register', cpu: 0, cmd: 'GLOBAL_EXPEDITED' },
    drain(0),
    { op: 'return_to_user', cpu: 0, via: 'sysret' },
    { op: 'syscall', cpu: 1 },
    { op: 'membarrier', cpu: 1, cmd: 'GLOBAL_EXPEDITED' },
    drain(1),
  ] as Parameters<typeof drive>[2];

  it.each(['arm64', 'powerpc'] as const)('%s: smp_mb() makes the store visible before READY; the scan selects cpu0; every property holds', (arch) => {
    const strategy = arch === 'arm64' ? 'refcount' : 'shootdown';
    const { events } = drive({ arch, strategy, knobs: { ...fixes, ...SB } }, config, script);
    const w = events.findIndex((e) => e.k === 'store_buffered' && e.cpu === 0);
    const vis = events.findIndex((e) => e.k === 'rq_membarrier_state' && e.cpu === 0);
    expect(events[w]).toMatchObject({ fn: 'sync_runqueues_membarrier_state', value: 8 });
    expect(events[vis]).toMatchObject({ fn: 'sync_runqueues_membarrier_state', value: 8, drainedBy: 'sync_runqueues_membarrier_state' });
    expect(events[vis + 1]).toMatchObject({ k: 'mb', cpu: 0 });
    expect(ofKind(events, 'membarrier_scan')).toEqual([expect.objectContaining({ target: 0, rqMembarrierState: 8, selected: true })]);
    expect(checkTrace(events)).toEqual([]);
  });

  it('a remote ipi_sync_rq_state() store is visible before its handler ends (its smp_mb(); without it, csd_unlock())', () => {
    // One process, two threads: T1 registers on cpu0, T2 runs on cpu1 and gets the IPI.
    const ops = [
      { op: 'syscall', cpu: 0 },
      { op: 'membarrier_register', cpu: 0, cmd: 'GLOBAL_EXPEDITED' },
      drain(0),
      { op: 'ipi', cpu: 1 },
    ] as Parameters<typeof drive>[2];
    const { events, state } = drive({ arch: 'arm64', strategy: 'refcount', knobs: { ...fixes, ...SB } }, { cpus: 2, procs: 1, threads: 2, kthreads: 0 }, ops);
    expect(state.cpus[1].rqMembarrierState).toBe(8);
    expect(state.cpus[1].rqMembarrierStateBuffered ?? null).toBeNull();
    expect(ofKind(events, 'rq_membarrier_state', 1).map((e) => e.drainedBy)).toEqual(['ipi_sync_rq_state']);
  });
});
