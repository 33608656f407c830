import type { Op } from '../src/engine/ops';
import { minimizeOps, pathUnits } from './minimize';
import { runChoices } from './interleaving';
import { createToyEngine } from './test-helpers/toy-engine';
import { oneSchedulerAtATime } from './test-helpers/toy-checker';

describe('pathUnits', () => {
  it('groups each op with the later steps of its CPU, across other CPUs\' ops', () => {
    const ops: Op[] = [
      { op: 'step', cpu: 1 },
      { op: 'schedule', cpu: 0, next: 'K1' },
      { op: 'nmi', cpu: 1 },
      { op: 'step', cpu: 0 },
      { op: 'step', cpu: 1 },
      { op: 'step', cpu: 0 },
      { op: 'syscall', cpu: 0 },
    ];
    expect(pathUnits(ops)).toEqual([[0], [1, 3, 5], [2, 4], [6]]);
  });
});

describe('minimizeOps', () => {
  it('drops the ops a violation does not need, keeping every op enabled', () => {
    const engine = createToyEngine();
    const config = { cpus: 3, procs: 1, threads: 1, kthreads: 2 };
    // A long run that ends in a violation: add ops until two CPUs are in __schedule together.
    const run = runChoices(engine, config, Array.from({ length: 200 }, (_, i) => i * 7919));
    const checker = oneSchedulerAtATime(run.events[0] as never);
    const at = run.events.findIndex((ev, i) => i > 0 && checker.observe(ev, i).length > 0);
    expect(at).toBeGreaterThan(0);
    const out = minimizeOps(engine, config, run.ops, oneSchedulerAtATime, {
      property: 'toy-one-scheduler',
      clause: 'T1 two CPUs in __schedule',
    });
    expect(out.violation?.property).toBe('toy-one-scheduler');
    expect(out.ops.length).toBeLessThanOrEqual(3);
  });

  it('refuses ops that do not violate the target', () => {
    const engine = createToyEngine();
    expect(() =>
      minimizeOps(engine, { cpus: 2, procs: 1, threads: 1, kthreads: 0 }, [], oneSchedulerAtATime, {
        property: 'toy-one-scheduler',
        clause: 'T1 two CPUs in __schedule',
      }),
    ).toThrow(/do not violate/);
  });
});
