/**
 * An x86 locked read-modify-write is a full barrier (Intel SDM vol. 3, 8.2.2: "Locked instructions
 * have a total order", "Loads and stores are not reordered with locked instructions"), and the
 * membarrier properties count it: Kctx.atomicRmw() (and so setCpumask()) emits an `mb` event with
 * `how: 'lock'` on x86, after draining the store buffer. On arm64 and powerpc a non-value-returning
 * atomic is unordered (Documentation/atomic_t.txt): no event. It is never a `serialize`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkTrace } from '../../properties';
import { Kctx } from '../../src/engine/kctx';
import { initialState } from '../../src/engine/init';
import { createEngine } from '../../src/engine/build';
import { arm64Arch } from '../../src/engine/arch/arm64';
import { powerpcArch } from '../../src/engine/arch/powerpc';
import { x86Arch } from '../../src/engine/arch/x86';
import type { ArchHooks } from '../../src/engine/arch/arch';
import type { Engine } from '../../src/engine/contract';
import { refcountStrategy } from '../../src/engine/strategies/refcount';
import { ENGINE_DIR, fileSites } from '../../src/mutants/enumerate';
import { instancesOf, mutantFactory } from '../../src/mutants/instances';
import { driveOps, parseOps } from '../../src/mutants/hand-ops';
import { HAND_KILLS } from '../../src/mutants/hand-kills';

function kctx(arch: ArchHooks, knobs: Record<string, string | boolean>): Kctx {
  const { state } = initialState({ cpus: 2, procs: 1, threads: 2, kthreads: 0 }, arch.name, 'refcount', knobs);
  return new Kctx(state, [], arch, refcountStrategy, knobs, {});
}

describe('Kctx.atomicRmw(): the barrier of a locked RMW', () => {
  it('x86: drain, then an mb with how: lock, then the store; no serialize', () => {
    const k = kctx(x86Arch, { storeBuffer: 'rq-membarrier-state' });
    k.setRqMembarrierState(0, 'membarrier_switch_mm', 8);
    k.setCpumask(0, 'switch_mm_irqs_off', k.mm('mm1'), 0, true);
    expect(k.ev.map((e) => e.k)).toEqual(['store_buffered', 'rq_membarrier_state', 'mb', 'cpumask']);
    expect(k.ev[1]).toMatchObject({ drainedBy: 'cpumask_set_cpu' });
    expect(k.ev[2]).toEqual({ k: 'mb', cpu: 0, fn: 'cpumask_set_cpu', how: 'lock' });
    k.atomicRmw(1, 'atomic_or');
    expect(k.ev.at(-1)).toEqual({ k: 'mb', cpu: 1, fn: 'atomic_or', how: 'lock' });
    expect(k.ev.some((e) => e.k === 'serialize')).toBe(false);
  });

  it('x86: a barrier with the store buffer off too (the barrier is the hardware, the knob only the buffer)', () => {
    const k = kctx(x86Arch, { storeBuffer: 'none' });
    k.setCpumask(0, 'switch_mm_irqs_off', k.mm('mm1'), 0, false);
    expect(k.ev).toEqual([{ k: 'mb', cpu: 0, fn: 'cpumask_clear_cpu', how: 'lock' }, expect.objectContaining({ k: 'cpumask', set: false })]);
  });

  it.each([['arm64', arm64Arch], ['powerpc', powerpcArch]] as const)('%s: unordered, no event', (_name, arch) => {
    const k = kctx(arch, { storeBuffer: 'rq-membarrier-state' });
    k.atomicRmw(0, 'atomic_or');
    k.setCpumask(0, 'switch_mm_irqs_off', k.mm('mm1'), 0, true);
    expect(k.ev.map((e) => e.k)).toEqual(['cpumask']);
  });
});

describe('membarrier-ordering counts it', () => {
  // arch/x86:switchMmFinish:drop-mb:0 drops the full barrier of the CR3 write. Its hand-built C4.3
  // kill (src/mutants/hand-kills.ts) needs the v6.15-v6.17 kernel, where the switch back to a mm
  // whose mask still has the CPU executes no full barrier after the rq->curr store. With
  // cpumaskPolicy=eager-clear (<= v6.13) the same switch sets the bit again with a LOCK BTS: the
  // barrier C4.3 asks for, as on the real kernel (83b0177a6c48: "Rely on the smp_mb() implied by
  // cpumask_set_cpu()'s atomic operation").
  const id = 'arch/x86:switchMmFinish:drop-mb:0@x86/refcount';
  const kill = HAND_KILLS.find((h) => h.mutant === id);
  const inst = instancesOf(fileSites('arch/x86.ts', fs.readFileSync(path.join(ENGINE_DIR, 'arch/x86.ts'), 'utf8'))).find((x) => x.id === id);

  it.each([
    ['v6.15-v6.17 (no barrier on that path): killed', { switchingStoreFence: 'barrier' }, ['C4.3 no barrier after the update the scan missed ((a)-(e) pairing)']],
    ['<= v6.13, eager mm_cpumask clearing (the LOCK BTS orders it): equivalent', { cpumaskPolicy: 'eager-clear', switchingStoreFence: 'barrier' }, []],
  ] as const)('%s', (_name, knobs, clauses) => {
    if (!kill || !inst) throw new Error(`${id}: no hand-built kill or instance`);
    const spec = { ...inst.engine, knobs: { ...inst.engine.knobs, ...knobs } };
    const ops = parseOps(kill.ops);
    const mutant = driveOps(mutantFactory(inst.site).createEngine(spec) as Engine<unknown>, kill.config, ops);
    const base = driveOps(createEngine(spec) as Engine<unknown>, kill.config, ops);
    expect([mutant.stopped, base.stopped]).toEqual([null, null]);
    expect(checkTrace(mutant.events).map((v) => v.clause)).toEqual(clauses);
    expect(checkTrace(base.events)).toEqual([]);
    const locks = mutant.events.filter((e) => e.k === 'mb' && e.cpu === 1 && e.how === 'lock').map((e) => e.fn);
    expect(locks).toContain('cpumask_set_cpu');
  });
});
