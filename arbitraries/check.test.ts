import { checkTrace, allProperties, propertyById } from '../properties';
import type { CheckResult } from '../src/run/types';
import { runCampaign } from './campaign';
import { runCheck } from './check';
import { opAlphabet } from './exhaustive-shrink';
import { replayOps } from './interleaving';
import { createEngine } from '../src/engine/registry';
import { deriveSeed } from './seed';
import { variantCheckOptions } from './variant-check';

const withoutSeconds = (r: CheckResult) => ({ ...r, seconds: 0 });

describe('runCheck', () => {
  const spec = { arch: 'x86', strategy: 'refcount' } as const;
  const result = runCheck({ engine: spec, runs: 100 });

  it('checks every property that applies, and reports runs and ops', () => {
    expect(result.engine).toBe('x86/refcount');
    const init = createEngine(spec).init({ cpus: 2, procs: 1, threads: 1, kthreads: 0 }).events[0];
    expect(result.properties).toEqual(allProperties.filter((p) => init.k === 'init' && p.appliesTo(init)).map((p) => p.id));
    expect(result.runs).toBeGreaterThan(0);
    expect(result.opsExecuted).toBeGreaterThan(result.runs);
  });

  it('is reproducible: the same command gives the same result apart from seconds', () => {
    expect(withoutSeconds(runCheck({ engine: spec, runs: 100 }))).toEqual(withoutSeconds(result));
  });

  it('returns a counterexample that replays to the same violation', () => {
    if (result.result === 'pass') return; // nothing to replay (mainline passed everything)
    const cx = result.counterexample!;
    expect(cx.seed).toBe(deriveSeed('x86/refcount'));
    const { events } = replayOps(createEngine(spec), cx.config, cx.ops);
    const first = checkTrace(events, [propertyById(cx.property)!])[0];
    expect(first).toMatchObject({ property: cx.property, clause: cx.clause, index: cx.eventIndex });
  });

  it('takes --seed and named properties, and rejects unknown ones', () => {
    const r = runCheck({ engine: spec, runs: 30, seed: 99, properties: ['no-lazy-use-after-free'] });
    expect(r.properties).toEqual(['no-lazy-use-after-free']);
    expect(r.counterexample?.seed ?? 99).toBe(99);
    expect(() => runCheck({ engine: spec, runs: 1, properties: ['no-such-property'] })).toThrow(/no-such-property/);
  });

  it('honours a fixed config', () => {
    const config = { cpus: 2, procs: 1, threads: 2, kthreads: 1 };
    const r = runCheck({ engine: spec, runs: 50, config, properties: ['refcount-balance'] });
    if (r.counterexample) expect(r.counterexample.config).toEqual(config);
    expect(r.runs).toBeGreaterThan(0);
  });
});

describe('runCampaign', () => {
  it('runs each engine in order', () => {
    const engines = [
      { arch: 'x86', strategy: 'refcount' },
      { arch: 'x86', strategy: 'shootdown' },
    ] as const;
    const results = runCampaign({ engines: [...engines], runs: 20, properties: ['no-lazy-use-after-free'] });
    expect(results.map((r) => r.engine)).toEqual(['x86/refcount', 'x86/shootdown']);
    expect(results.every((r) => r.properties.join() === 'no-lazy-use-after-free')).toBe(true);
  });
});

describe('runCheck: the exhaustive post-shrink pass', () => {
  const spec = { arch: 'x86', strategy: 'refcount', variant: 'text-poke-no-leave-mm', knobs: { membarrierSwitchMmFix: true, syncCoreOnLazySameMmSwitch: true } } as const;
  const options = { engine: spec, properties: ['tlb-coherence'], runs: 4000, seed: 2, restarts: 0 };

  it('replaces a short counterexample by the exhaustive minimum on its configuration, which replays to the reported violation', () => {
    const plain = runCheck({ ...options, exhaustiveShrink: false }).counterexample!;
    const cx = runCheck(options).counterexample!;
    expect(cx.config).toEqual(plain.config);
    // The exhaustive minimum of text-poke-no-leave-mm on 2/1/1/1 is 6 ops (docs/explore.md).
    expect(cx.ops).toHaveLength(6);
    expect(cx.ops.length).toBeLessThanOrEqual(plain.ops.length);
    const { events } = replayOps(createEngine(spec), cx.config, cx.ops);
    const first = checkTrace(events, [propertyById('tlb-coherence')!])[0];
    expect(first).toMatchObject({ property: cx.property, clause: cx.clause, index: cx.eventIndex });
  });

  it('is deterministic: its budgets are states, not seconds', () => {
    expect(withoutSeconds(runCheck(options))).toEqual(withoutSeconds(runCheck(options)));
  });

  it('leaves counterexamples longer than maxOps alone', () => {
    const cx = runCheck({ ...options, exhaustiveShrink: { maxOps: 1, maxGuidedOps: 1, guidedStates: 100000, maxStates: 100000 } }).counterexample!;
    expect(cx).toEqual(runCheck({ ...options, exhaustiveShrink: false }).counterexample);
  });
});

describe('runCheck: the search-based pass on smaller machines (step 3)', () => {
  // Seed 2 of exec-mmap-irqs-on: the op-level minimiser ends with 3 ops on 2/1/1/1 (an exec by
  // the kthread), which no renaming replays on 2/1/1/0; the bounded search there finds the 3-op
  // form by the user thread.
  const options = variantCheckOptions('exec-mmap-irqs-on', { seed: 2, runs: 4000, restarts: 0 });

  it('moves a short counterexample to a smaller configuration with no more ops', () => {
    const plain = runCheck({ ...options, exhaustiveShrink: false }).counterexample!;
    expect(plain.config).toEqual({ cpus: 2, procs: 1, threads: 1, kthreads: 1 });
    const cx = runCheck(options).counterexample!;
    expect(cx.config).toEqual({ cpus: 2, procs: 1, threads: 1, kthreads: 0 });
    expect(cx.ops.length).toBeLessThanOrEqual(plain.ops.length);
    const { events } = replayOps(createEngine(options.engine), cx.config, cx.ops);
    const first = checkTrace(events, [propertyById(cx.property)!])[0];
    expect(first).toMatchObject({ property: cx.property, clause: cx.clause, index: cx.eventIndex });
  });

  it('keeps a fixed configuration', () => {
    const config = { cpus: 2, procs: 1, threads: 1, kthreads: 1 };
    expect(runCheck({ ...options, config }).counterexample!.config).toEqual(config);
  });

  it('searches a longer counterexample on a smaller machine within its renamed ops (lazy-skips seed 9: 14 ops on 2/2/1/0, then 14 on 2/1/1/0)', () => {
    // Without restarts (./restart-shrink.ts): this is the search-based pass alone.
    const seed9 = variantCheckOptions('lazy-skips-freed-tables-flush', { seed: 9, runs: 4000, restarts: 0 });
    const plain = runCheck({ ...seed9, exhaustiveShrink: false }).counterexample!;
    expect(plain.config).toEqual({ cpus: 2, procs: 2, threads: 1, kthreads: 0 });
    const cx = runCheck(seed9).counterexample!;
    expect(cx.config).toEqual({ cpus: 2, procs: 1, threads: 1, kthreads: 0 });
    expect(cx.ops).toHaveLength(14); // the exhaustive minimum there (bench/minima.json)
  });
});

describe('runCheck: the guided search with task and mm arguments exchanged (step 1)', () => {
  it('lists the exchanged ops only when asked', () => {
    const ops = [{ op: 'schedule', cpu: 1, next: 'T1' }, { op: 'kthread_use_mm', cpu: 0, mm: 'mm1' }] as const;
    const config = { cpus: 2, procs: 1, threads: 1, kthreads: 1 };
    const own = opAlphabet([...ops], config);
    expect([...own].sort()).toEqual(['cpu0 kthread_use_mm(mm=mm1)', 'cpu0 schedule(next=T1)', 'cpu0 step', 'cpu1 kthread_use_mm(mm=mm1)', 'cpu1 schedule(next=T1)', 'cpu1 step']);
    const exchanged = opAlphabet([...ops], config, true);
    expect(exchanged).toContain('cpu1 schedule(next=idle1)');
    expect(exchanged).toContain('cpu0 schedule(next=idle1)'); // never enabled: idle1 is bound to CPU 1
    expect(exchanged).not.toContain('cpu0 schedule(next=K1)'); // K1 is not named by the ops
  });

  it('shortens a hotplug counterexample that migrates T1 to the 17-op form that switches to the idle task (seed 1: 19 ops without)', () => {
    const cx = runCheck(variantCheckOptions('hotplug-clears-cpumask-while-lazy', { seed: 1, runs: 4000 })).counterexample!;
    // The exhaustive minimum on 2/1/1/0 is 17 (docs/explore.md).
    expect(cx.config).toEqual({ cpus: 2, procs: 1, threads: 1, kthreads: 0 });
    expect(cx.ops).toHaveLength(17);
  });
});

describe('runCheck: the configuration pass folds a removed CPU onto another', () => {
  it('exit-mm-no-barrier seed 3 lands on two CPUs (57 ops on 3/1/2/1 when the removed CPU\'s ops were only dropped)', () => {
    const cx = runCheck(variantCheckOptions('exit-mm-no-barrier', { seed: 3, runs: 4000 })).counterexample!;
    expect(cx.property).toBe('membarrier-ordering');
    expect(cx.config.cpus).toBe(2);
    expect(cx.ops.length).toBeLessThanOrEqual(19);
  });
});
