/**
 * The CPU-hotplug form of the finding sync-runqueues-stale-single-user-write
 * (fixtures/findings/sync-runqueues-stale-single-user-write-hotplug.json), and the corrected model of
 * its proposed fix (knob syncRunqueuesFreshState): preempt_disable() before the single-user test, so
 * the caller can neither be switched out nor resume on a CPU that came online before its write.
 */
import * as path from 'node:path';
import { createEngine } from '../../src/engine/build';
import type { Engine } from '../../src/engine/contract';
import type { Op } from '../../src/engine/ops';
import { loadFixture } from '../../src/fixtures/fixture';
import { driveOps } from '../../src/mutants/hand-ops';
import { checkTrace } from '../../properties/index';

const fx = loadFixture(path.join(__dirname, '..', '..', 'fixtures', 'findings', 'sync-runqueues-stale-single-user-write-hotplug.json'));
const ops = (fx as { ops: Op[] }).ops;
const engine = (fix: boolean) => createEngine({ ...fx.engine, knobs: { ...fx.engine.knobs, syncRunqueuesFreshState: fix } }) as Engine<unknown>;
/** Index of T1's registration op, and of the switch to T2 that preempts it after one step. */
const register = ops.findIndex((o) => o.op === 'membarrier_register');
const preempt = ops.findIndex((o, i) => i > register && o.op === 'schedule' && o.cpu === 0);

describe('sync_runqueues_membarrier_state(): the single-user test with a CPU coming online', () => {
  it('mainline: T1 is preempted between the test and the write, resumes on the new CPU; T2 runs on a stale rq0 (C4.1)', () => {
    expect(preempt).toBe(register + 2); // the registration's first step is the mm_users / num_online_cpus() test
    const r = driveOps(engine(false), fx.config, ops);
    expect(r.stopped).toBeNull();
    expect(checkTrace(r.events).map((v) => v.clause)).toEqual(['C4.1 stale rq->membarrier_state']);
  });

  it('the proposed fix: preemption is off from the test to the write, so that switch is not enabled', () => {
    const r = driveOps(engine(true), fx.config, ops);
    expect(r.stopped).toMatch(/^cpu0 schedule\(next=T2\) not enabled/);
  });

  it('the proposed fix: the registration then finishes on CPU0 and writes rq0 (GLOBAL_EXPEDITED set)', () => {
    const r = driveOps(engine(true), fx.config, [...ops.slice(0, register + 2), { op: 'drain', cpu: 0, times: Infinity }]);
    expect(r.stopped).toBeNull();
    const writes = r.events.filter((e) => e.k === 'rq_membarrier_state' && e.fn === 'sync_runqueues_membarrier_state');
    expect(writes.map((e) => e.cpu)).toEqual([0]);
    expect(r.events.some((e) => e.k === 'membarrier_register' && e.phase === 'ready')).toBe(true);
    expect(checkTrace(r.events)).toEqual([]);
  });
});
