/**
 * x86 INVLPGB global-ASID transition (issue 12 item 7; errata Part 2 E1, E2, E7; knobs invlpgb +
 * asidTransition): consider_global_asid() gives a process active on more than 3 CPUs a global ASID;
 * the next flush is an INVLPGB broadcast, and finish_asid_transition() IPIs the whole mm_cpumask while
 * a CPU still runs the mm on a per-CPU ASID. flush_tlb_func() reloads the global ASID before it tests
 * is_lazy, so a lazy CPU ends up non-lazy on the mm (C6.2'): the race Rik van Riel reported on 20 May
 * 2025 ("x86/mm: fix race between flush_tlb_func and idle task leave_mm"), unfixed in 6.17-rc3.
 */
import { checkTrace } from '../../properties';
import { drain, drive, ofKind, steps } from './drive';
import { assign, config, setup, spec, transition } from './global-asid-scenario';

describe('INVLPGB global-ASID transition', () => {
  it('consider_global_asid() assigns a global ASID only above 3 non-lazy CPUs; the next flush IPIs the whole mask', () => {
    const { state, events } = drive(spec(false), config, [...setup, ...assign, ...transition]);
    expect(state.mms.mm1).toMatchObject({ globalAsid: true });
    const sends = ofKind(events, 'ipi_send', 0).map((e) => e.target);
    expect(sends).toEqual([1, 2, 4, 1, 2, 3, 4]); // the first flush skips lazy CPU3, the transition does not
    expect(state.cpus.map((c) => c.loadedAsidGlobal)).toEqual([true, true, true, true, true]);
    expect(state.mms.mm1.asidTransition).toBe(true); // cleared by the next flush that finds every CPU global
  });

  it("mainline 6.17: the lazy CPU reloads the global ASID and loses is_lazy while K1 stays lazy on mm1 (C6.2', errata E2)", () => {
    const { state, events } = drive(spec(false), config, [...setup, ...assign, ...transition]);
    expect(state.cpus[3]).toMatchObject({ current: 'K1', loadedMm: 'mm1', isLazy: false });
    const v = checkTrace(events).filter((x) => x.property === 'tlb-coherence');
    expect(v.map((x) => [x.clause, x.cpus])).toEqual([["C6.2' lazy task on a non-lazy CPU", [3]]]);
  });

  it("with Rik van Riel's fix (is_lazy tested first) the lazy CPU leaves for init_mm and every property holds", () => {
    const { state, events } = drive(spec(true), config, [...setup, ...assign, ...transition]);
    expect(state.cpus[3]).toMatchObject({ current: 'K1', loadedMm: 'init_mm', isLazy: false });
    expect(checkTrace(events)).toEqual([]);
  });

  it('without the transition knob, or with 3 CPUs active, no global ASID is assigned', () => {
    expect(() => drive({ arch: 'x86', strategy: 'refcount', knobs: { invlpgb: true } }, config, [...setup, ...assign])).toThrow(/not enabled/);
    // T4 stays off-CPU: only CPUs 0-2 run mm1 non-lazily.
    const three = drive(spec(false), config, [...setup.slice(0, 3), { op: 'syscall', cpu: 0 }, assign[0], ...steps(0, 8), { op: 'ipi', cpu: 1 }, { op: 'ipi', cpu: 2 }, { op: 'step', cpu: 0 }]);
    expect(three.state.mms.mm1.globalAsid).toBeFalsy();
  });
});
