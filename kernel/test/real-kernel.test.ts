/**
 * The model against Debian's 6.1 kernel, booted under qemu (`npm run test:kernel`; needs
 * `npm run kernel:setup`). One boot runs every scenario; the tests read its trace.
 */
import { setup } from '../../src/kernel/setup';
import { conformanceChecks, summarize } from '../../src/kernel/conformance';
import { judgeGe } from '../../src/kernel/repro';
import { judgeKum } from '../../src/kernel/repro-kthread-use-mm';
import { judgeKumGlobal } from '../../src/kernel/repro-kthread-use-mm-global';
import { runScenarios, type KernelRun } from '../../src/kernel/run';
import { scenarioNames } from '../../src/kernel/scenarios';

let run: KernelRun;

beforeAll(async () => {
  run = await runScenarios(scenarioNames());
});

describe('Debian linux-image-6.1.0-57-amd64 under qemu', () => {
  test('the set-up is idempotent: a second run has nothing to do', () => {
    expect(setup().did).toEqual([]);
  });

  test('every probe attached, every module loaded, every scenario ran and exited 0, no event was lost', () => {
    expect(run.output.failedProbes).toEqual([]);
    expect(run.output.failedModules).toEqual([]);
    expect(run.output.scenarios.map((s) => [s.name, s.rc, s.lost])).toEqual(scenarioNames().map((n) => [n, 0, 0]));
  });

  test('conformance: the model agrees with the kernel at every observed point, each rule exercised', () => {
    const summary = summarize(run.output.scenarios.flatMap((s) => conformanceChecks(s.name, s.records)));
    for (const r of summary) {
      expect({ rule: r.rule, disagree: r.disagree, disagreements: r.disagreements }).toEqual({ rule: r.rule, disagree: 0, disagreements: [] });
      expect(r.agree).toBeGreaterThan(0);
    }
  });

  test('global-expedited-stale-rq-state reproduces: no IPI in the triggers, IPIs in every control', () => {
    const r = judgeGe(run.output.scenarios);
    expect(r.scenarios.map((s) => [s.name, s.verdict, s.role === 'trigger' ? s.missed : s.sent])).toEqual(r.scenarios.map((s) => [s.name, 'as-expected', 5]));
    expect(r.verdict).toBe('reproduced');
  });

  test('single-user-shortcuts-miss-kthread-use-mm reproduces: no IPI in the trigger, IPIs to the worker in both controls', () => {
    const r = judgeKum(run.output.scenarios);
    for (const s of r.scenarios) {
      expect([s.name, s.verdict]).toEqual([s.name, 'as-expected']);
      expect(s.overlapping.length).toBeGreaterThan(0);
      // mm_users during the worker's kthread_use_mm(): 1 with gadgetfs (no reference), 2 in the controls.
      expect(new Set(s.overlapping.map((c) => c.users))).toEqual(new Set([s.role === 'trigger' ? 1 : 2]));
    }
    expect(r.verdict).toBe('reproduced');
  });

  test('single-user-shortcuts-miss-kthread-use-mm, GLOBAL_EXPEDITED form: stale state and no IPI in the trigger, IPIs to the worker in the control', () => {
    const g = judgeKumGlobal(run.output.scenarios);
    const [t, c] = g.scenarios;
    expect([t.name, t.verdict, c.name, c.verdict]).toEqual(['gfs-aio-global', 'as-expected', 'gfs-aio-global-ctl', 'as-expected']);
    // mm_users at the registration: 1 in the trigger (the single-user path), 2 in the control.
    expect(new Set(t.registrations.map((r) => r.users))).toEqual(new Set([1]));
    expect(new Set(c.registrations.map((r) => r.users))).toEqual(new Set([2]));
    expect(t.missed).toBeGreaterThan(0);
    expect(t.regSyncedWorker).toBe(0);
    expect(c.regSyncedWorker).toBe(c.regAtScan);
    expect(c.regAtScan + c.judged).toBeGreaterThan(0);
    expect(g.verdict).toBe('reproduced');
  });
});
