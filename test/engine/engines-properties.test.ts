/**
 * Issue 4: every engine that models a shipped or proposed-as-correct kernel passes every property it
 * applies to over at least 200,000 random steps (uniform choice among enabled ops), with the proposed
 * fixes of the two open-upstream findings switched on; counterfactual combinations that fail do so
 * with the property the seeds predict, and that failure is asserted here.
 */
import { createEngine, listEngines } from '../../src/engine/build';
import { FINDINGS } from '../../src/findings';
import { KNOBS_BY_ARCH } from '../../src/engine/knobs';
import type { EngineSpec } from '../../src/run/types';
import type { Violation } from '../../properties/property';
import { checkTrace } from '../../properties/index';
import { runCheck } from '../../arbitraries/index';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0);
}

/** The proposed-fix knobs of the findings that exist on this arch. */
function fixKnobs(arch: EngineSpec['arch']): Record<string, boolean> {
  const names = new Set(KNOBS_BY_ARCH[arch].map((k) => k.name));
  const out: Record<string, boolean> = {};
  for (const f of FINDINGS) for (const [k, v] of Object.entries(f.fixKnobs ?? {})) if (names.has(k)) out[k] = v;
  return out;
}

/** Walk `steps` random steps in runs of 150 ops; return the steps done and the first violations seen. */
function walk(spec: EngineSpec, steps: number, seed: number): { steps: number; violations: Violation[] } {
  const engine = createEngine(spec);
  const rnd = lcg(seed);
  let done = 0;
  for (let r = 0; done < steps; r++) {
    const { state, events } = engine.init({ cpus: 2 + (r % 3), procs: 1 + (r % 2), threads: 1 + (r % 3), kthreads: r % 3 });
    for (let i = 0; i < 150; i++, done++) {
      const ops = engine.enabled(state);
      events.push(...engine.apply(state, ops[rnd() % ops.length]));
    }
    const v = checkTrace(events);
    if (v.length > 0) return { steps: done, violations: v };
  }
  return { steps: done, violations: [] };
}

const correct = listEngines().filter((e) => e.label !== 'counterfactual' || e.id === 'powerpc/refcount');

describe('engines that model shipped or proposed kernels (with the findings\' proposed fixes)', () => {
  it.each(correct.map((e) => [e.id, e] as const))('%s: 200,000 random steps, every property holds', (_id, e) => {
    const r = walk({ arch: e.arch, strategy: e.strategy, knobs: fixKnobs(e.arch) }, 200_000, 42);
    expect(r.violations).toEqual([]);
    expect(r.steps).toBeGreaterThanOrEqual(200_000);
  });
});

describe('findings and counterfactual combinations fail as predicted', () => {
  it('mainline x86/refcount without the fixes: the open-upstream C4.1 finding shows up', () => {
    // Rare under uniform choice since issue 12 item 6: a multi-user registration takes 5 + (CPUs)
    // preemptible steps, and uniform choice preempts it at almost every one (4,000,000 uniform steps
    // at seeds 42 and 1 did not find it). The weighted arbitraries find it in tens of runs.
    const r = runCheck({ engine: { arch: 'x86', strategy: 'refcount' }, properties: ['membarrier-ordering'], runs: 3000, seed: 42, shrinkBudget: 1, exhaustiveShrink: false });
    expect(`${r.counterexample?.property}: ${r.counterexample?.clause}`).toBe('membarrier-ordering: C4.1 stale rq->membarrier_state');
  });
  it('x86/shootdown: x86 leaves lazy mms behind the scheduler\'s back, so the shootdown misses lazy CPUs (Andy, seeds)', () => {
    const r = runCheck({ engine: { arch: 'x86', strategy: 'shootdown', knobs: fixKnobs('x86') }, runs: 3000, seed: 7 });
    expect(r.counterexample?.property).toBe('no-lazy-use-after-free');
  });
  it('x86/shootdown with unlazy_mm_irqs_off() (the rest of Andy\'s series) holds', () => {
    const r = walk({ arch: 'x86', strategy: 'shootdown', knobs: { ...fixKnobs('x86'), unlazyMmIrqsOff: true } }, 200_000, 42);
    expect(r.violations).toEqual([]);
  });
  it('arm64/shootdown: arm64 does not maintain mm_cpumask, which MMU_LAZY_TLB_SHOOTDOWN requires', () => {
    const r = walk({ arch: 'arm64', strategy: 'shootdown', knobs: fixKnobs('arm64') }, 600_000, 42);
    expect(r.violations.map((v) => v.clause)).toContain('C2.5 lazy user unreachable by shootdown');
  });
  it('x86/hazard with mm_cpumask scanning but without unlazy_mm_irqs_off(): a lazy CPU is missed by mm_unlazy_mm_count()', () => {
    // Rare under uniform choice; the weighted arbitraries find it in tens of runs.
    const r = runCheck({ engine: { arch: 'x86', strategy: 'hazard', knobs: { ...fixKnobs('x86'), unlazyMmIrqsOff: false } }, runs: 3000, seed: 7 });
    expect(r.result).toBe('fail');
    expect(r.counterexample?.property).toBe('no-lazy-use-after-free');
  });
});
