/**
 * `lazymm kernel` without qemu: the analysis of a saved guest output (--from, on the checked-in
 * excerpt test/kernel-sample/ttyS1-sample.txt) and the bad-input paths. Booting is tested by
 * `npm run test:kernel` (kernel/test/).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lazymmAsync } from './helpers';

const SAMPLE = path.join(__dirname, '..', 'kernel-sample', 'ttyS1-sample.txt');
/**
 * The gadget scenarios of a boot (test/kernel-sample/gadget-sample.txt): registration, two worker windows
 * each, up to 8 calls per window; then one round of each GLOBAL_EXPEDITED scenario of another boot.
 */
const GADGET = path.join(__dirname, '..', 'kernel-sample', 'gadget-sample.txt');
const KUM = 'single-user-shortcuts-miss-kthread-use-mm';

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

  test(`repro ${KUM} --from: reproduced on the excerpt of a real boot, exit 0`, async () => {
    const r = await lazymmAsync('kernel', 'repro', KUM, '--from', GADGET);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('REPRODUCED');
    expect(r.out).toMatch(/gfs-aio +trigger +2 +1 +16 +16 +1 +no IPI 16\/16/);
    expect(r.out).toMatch(/ffs-aio +control +2 +2 +16 +16 +2 +IPI to the worker's CPU 16\/16/);
    // The GLOBAL_EXPEDITED form: one round of each scenario (8 of Q's calls in the trigger's).
    expect(r.out).toContain('GLOBAL_EXPEDITED form: REPRODUCED');
    expect(r.out).toMatch(/gfs-aio-global +trigger +1 +1 +1 +0\/1 +8 +8 \(8\) +8 +no IPI 8\/8/);
    expect(r.out).toMatch(/gfs-aio-global-ctl +control +1 +2 +1 +1\/1 +0 +0 \(0\) +0 +IPI to the worker's CPU: calls 0\/0, registrations 1\/1/);
    const doc = JSON.parse((await lazymmAsync('kernel', 'repro', KUM, '--from', GADGET, '--json')).out);
    expect(doc.scenarios.map((s: { name: string; verdict: string }) => [s.name, s.verdict])).toEqual([['gfs-aio', 'as-expected'], ['gfs-aio-ctl', 'as-expected'], ['ffs-aio', 'as-expected']]);
    expect(doc.global.scenarios.map((s: { name: string; verdict: string }) => [s.name, s.verdict])).toEqual([['gfs-aio-global', 'as-expected'], ['gfs-aio-global-ctl', 'as-expected']]);
  });

  test(`repro ${KUM} --from: a trigger call that scanned makes it not-reproduced, exit 1`, async () => {
    const lines = fs.readFileSync(GADGET, 'latin1').split('\n');
    const i = lines.findIndex((l) => / mbe: .*cmd=8 .* cu1=1 /.test(l));
    lines.splice(i + 1, 0, lines[i].replace(/ mbe: \(\S+\) cmd=8 flags=0 .*? s0=/, ' scf: (smp_call_function_many_cond+0x0/0x330) mask=0x4 func=ipi_mb+0x0/0x10 info=0x0 s0='));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lazymm-kum-'));
    try {
      fs.writeFileSync(path.join(dir, 'trace.txt'), lines.join('\n'));
      const r = await lazymmAsync('kernel', 'repro', KUM, '--from', path.join(dir, 'trace.txt'));
      expect(r.code).toBe(1);
      expect(r.out).toContain('NOT-REPRODUCED');
      expect(r.out).toMatch(/gfs-aio +trigger .* no IPI 15\/16 UNEXPECTED/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
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
