import { X86_FIXES, lazymm } from './helpers';

describe('lazymm check', () => {
  it('passes on x86/refcount (with the proposed fixes of the open findings) and exits 0', () => {
    const r = lazymm('check', '--arch', 'x86', '--strategy', 'refcount', ...X86_FIXES, '--runs', '40');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^x86\/refcount \(.*membarrierSwitchMmFix=true.*\): 40 runs, \d+ ops/m);
    expect(r.out).toContain('result: pass');
  });

  it('catches --variant no-lazy-mmgrab: exit 1, the shrunk ops and a timeline ending with the violation', () => {
    const r = lazymm('check', '--variant', 'no-lazy-mmgrab', '--runs', '50');
    expect(r.code).toBe(1);
    expect(r.out).toContain('result: FAIL (refcount-balance');
    expect(r.out).toMatch(/Shrunk ops \(\d+\):\n\s+0 {2}cpu\d /);
    expect(r.out).toMatch(/ {2,}CPU0 {2,}CPU1/);
    expect(r.out).toMatch(/VIOLATION refcount-balance C1\.\d .* at \[\d+\]/);
    expect(r.out).toMatch(/^> \[\d+\]/m); // the violating event is marked in the timeline
  });

  it('--json prints exactly one JSON document with the documented shape', () => {
    const r = lazymm('check', '--variant', 'no-lazy-mmgrab', '--runs', '20', '--json');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out);
    expect(Object.keys(doc)).toEqual(
      expect.arrayContaining(['engine', 'knobs', 'properties', 'runs', 'opsExecuted', 'seconds', 'result', 'counterexample', 'seed', 'costs']),
    );
    expect(doc.engine).toBe('x86/refcount+no-lazy-mmgrab');
    expect(doc.result).toBe('fail');
    expect(typeof doc.knobs.pti).toBe('boolean');
    const cx = doc.counterexample;
    expect(Object.keys(cx).sort()).toEqual(['clause', 'config', 'eventIndex', 'message', 'opCount', 'ops', 'path', 'property', 'seed'].sort());
    expect(cx.property).toBe('refcount-balance');
    expect(cx.opCount).toBe(cx.ops.length);
    expect(cx.ops[0]).toEqual(expect.objectContaining({ op: expect.any(String), cpu: expect.any(Number) }));
    expect(doc.costs.normalised).toEqual(expect.objectContaining({ mmCountAtomicsInSwitch: expect.any(Number) }));
  });

  it('--json of a pass has no counterexample', () => {
    const r = lazymm('check', '--arch', 'powerpc', '--strategy', 'shootdown', '--knob', 'membarrierSwitchMmFix=true', '--runs', '20', '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc).toEqual(expect.objectContaining({ engine: 'powerpc/shootdown', result: 'pass', runs: 20 }));
    expect(doc.counterexample).toBeUndefined();
  });

  it('gives the same JSON for the same seed, apart from seconds', () => {
    // --max-ops 60: the default search's runs of 15..60 ops keep the two shrinks cheap.
    const once = () => {
      const doc = JSON.parse(lazymm('check', '--variant', 'text-poke-no-leave-mm', '--runs', '30', '--seed', '1234', '--max-ops', '60', '--json').out);
      delete doc.seconds;
      return doc;
    };
    const a = once();
    expect(a.seed).toBe(1234);
    expect(once()).toEqual(a);
  });

  it('fixes the configuration with --cpus/--procs/--threads/--kthreads', () => {
    const doc = JSON.parse(lazymm('check', '--variant', 'no-lazy-mmgrab', '--cpus', '2', '--procs', '1', '--runs', '20', '--json').out);
    expect(doc.config).toEqual({ cpus: 2, procs: 1, threads: 2, kthreads: 1 });
    expect(doc.counterexample.config).toEqual(doc.config);
  });

  it('--restarts N runs the check again N times after shrinking (seed 8 of hotplug-clears-cpumask-while-lazy: 26 ops on 3/1/3/0 alone, 17 on 2/1/1/0 after one restart)', () => {
    const run = (restarts: string) => JSON.parse(lazymm('check', '--variant', 'hotplug-clears-cpumask-while-lazy', '--seed', '8', '--runs', '4000', '--restarts', restarts, '--json').out).counterexample;
    const alone = run('0');
    expect([alone.opCount, alone.config, alone.path.includes('restart')]).toEqual([26, { cpus: 3, procs: 1, threads: 3, kthreads: 0 }, false]);
    const restarted = run('1');
    expect([restarted.opCount, restarted.config]).toEqual([17, { cpus: 2, procs: 1, threads: 1, kthreads: 0 }]);
    expect(restarted.path).toMatch(/ \/ restart 1 \(seed -?\d+\): /);
  });

  it('--property restricts the check to the named properties', () => {
    const doc = JSON.parse(lazymm('check', '--arch', 'arm64', '--property', 'refcount-balance', '--property', 'no-lazy-use-after-free', '--runs', '10', '--json').out);
    expect(doc.properties).toEqual(['refcount-balance', 'no-lazy-use-after-free']);
  });
});
