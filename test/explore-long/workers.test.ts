/**
 * `explore` on two worker threads against one (src/explore/parallel.ts, docs/explore.md "Two
 * workers"): larger searches than test/explore/workers.test.ts, merge off, every violation, and the
 * CLI's output with --workers 2.
 */
import { exploreCommand } from '../../src/explore/command';
import { UsageError } from '../../src/cli/errors';
import { sameWithTwoWorkers } from '../explore/workers-same';

const FIXED = { membarrierSwitchMmFix: true, syncCoreOnLazySameMmSwitch: true };

async function cli(...argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await exploreCommand(argv, { out: (s) => void (out += s), err: () => undefined, progress: false });
  return { code, out };
}

describe('explore with two workers (long)', () => {
  it('the correct x86/refcount on 2/1/2/0 to depth 5: clean, the same states per level', async () => {
    const r = await sameWithTwoWorkers({ engine: { arch: 'x86', strategy: 'refcount', knobs: FIXED }, config: { cpus: 2, procs: 1, threads: 2, kthreads: 0 }, depth: 5 });
    expect(r.result).toBe('clean');
  });

  it('the tree of interleavings (merge off) to depth 4', async () => {
    const r = await sameWithTwoWorkers({ engine: { arch: 'x86', strategy: 'refcount', knobs: FIXED }, config: { cpus: 2, procs: 1, threads: 1, kthreads: 0 }, depth: 4, merge: false });
    expect(r.result).toBe('clean');
  });

  it('nmi-reads-active-mm, every violation to depth 7 (stopOnViolation false): the same count and first counterexample', async () => {
    const r = await sameWithTwoWorkers({
      engine: { arch: 'x86', strategy: 'refcount', variant: 'nmi-reads-active-mm' },
      config: { cpus: 2, procs: 1, threads: 1, kthreads: 0 },
      depth: 7,
      properties: ['no-lazy-use-after-free'],
      stopOnViolation: false,
    });
    expect([r.result, r.counterexample?.ops.length]).toEqual(['counterexample', 7]);
    expect(r.violations).toBeGreaterThan(1);
  });

  it('exit-mm-no-barrier, membarrier-ordering, 2/1/2/0 to depth 4: clean, the same states', async () => {
    const r = await sameWithTwoWorkers({
      engine: { arch: 'x86', strategy: 'refcount', variant: 'exit-mm-no-barrier' },
      config: { cpus: 2, procs: 1, threads: 2, kthreads: 0 },
      depth: 4,
      properties: ['membarrier-ordering'],
    });
    expect(r.result).toBe('clean');
  });

  it('lazymm explore --workers 2 prints what --workers 1 prints (but the rate), exit 1; --max-states: exit 3; --por: refused', async () => {
    const args = ['--variant', 'no-lazy-mmgrab', '--depth', '6'];
    const one = await cli(...args);
    const two = await cli(...args, '--workers', '2');
    const noRate = (s: string) => s.replace(/^\d+ distinct states.*$/m, '');
    expect(two.code).toBe(1);
    expect(one.code).toBe(1);
    expect(noRate(two.out)).toBe(noRate(one.out));
    expect((await cli('--depth', '6', '--max-states', '50', '--workers', '2')).code).toBe(3);
    expect(() => exploreCommand(['--por', '--workers', '2'], { out: () => undefined, err: () => undefined })).toThrow(UsageError);
  });
});
