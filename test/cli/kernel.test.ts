/**
 * `lazymm kernel` without qemu: the analysis of a saved guest output (--from, on the checked-in
 * excerpt test/kernel-sample/ttyS1-sample.txt) and the bad-input paths. Booting is tested by
 * `npm run test:kernel` (kernel/test/).
 */
import * as path from 'path';
import { lazymmAsync } from './helpers';

const SAMPLE = path.join(__dirname, '..', 'kernel-sample', 'ttyS1-sample.txt');

describe('lazymm kernel', () => {
  test('run --from: scenarios, overhead and conformance per rule; exit 0 when every check agrees', async () => {
    const r = await lazymmAsync('kernel', 'run', '--from', SAMPLE);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('ge-idle-register');
    expect(r.out).toMatch(/membarrier-ipi-mask\s+10\s+0\s+0\s+100\.0%/);
  });

  test('run --from --json: one document', async () => {
    const r = await lazymmAsync('kernel', 'run', '--from', SAMPLE, '--json');
    const doc = JSON.parse(r.out);
    expect(doc.scenarios.map((s: { name: string }) => s.name)).toEqual(['ge-exit', 'ge-idle-register', 'exec-mt']);
    expect(doc.conformance.every((c: { disagree: number }) => c.disagree === 0)).toBe(true);
  });

  test.each([
    [['kernel'], 'lazymm: kernel: expected run, repro or list'],
    [['kernel', 'boot'], 'lazymm: kernel: unknown subcommand "boot" (expected run, repro or list)'],
    [['kernel', 'run', 'nosuch'], 'lazymm: kernel run: unknown scenario "nosuch" (scenarios: ge-exit,'],
    [['kernel', 'repro', 'nosuch'], 'lazymm: kernel repro: unknown finding "nosuch" (reproducible on the real kernel: global-expedited-stale-rq-state, single-user-shortcuts-miss-kthread-use-mm)'],
    [['kernel', 'repro', 'sync-core-after-kthread-use-mm'], 'lazymm: sync-core-after-kthread-use-mm cannot be driven from user space: it needs a kernel thread'],
    [['kernel', 'run', '--from', '/nonexistent'], 'lazymm: --from: no such file "/nonexistent"'],
    [['kernel', 'run', '--from', __filename], 'no "#lazymm scenario" block'],
  ])('%j: one line, exit 2', async (argv, message) => {
    const r = await lazymmAsync(...argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.err).toContain(message);
  });
});
