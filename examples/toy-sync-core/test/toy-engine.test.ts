/**
 * The toy engine as a user of lazymm tests it: lazymm's arbitraries drive it through the public
 * contract, lazymm's properties check its traces, and everything comes from the built package.
 */
import { checkEngine, replayOps, runChoices } from 'lazymm/arbitraries';
import { allProperties, checkTrace, createTraceChecker } from 'lazymm/properties';
import { renderTimeline, validateTraceEvent, type InitEvent } from 'lazymm/trace';
import { DEFAULT_CONFIG } from 'lazymm/engines';
import { engine as correct } from '../engines/correct';
import { engine as buggy } from '../engines/buggy';

const init = correct.init(DEFAULT_CONFIG).events[0] as InitEvent;
const applicable = allProperties.filter((p) => p.appliesTo(init));

describe('toy-sync-core through the public contract', () => {
  it('emits only valid trace events, deterministically', () => {
    const choices = Array.from({ length: 400 }, (_, i) => (i * 7919) % 1000);
    const a = runChoices(correct, { cpus: 3, procs: 2, threads: 2, kthreads: 1 }, choices);
    const b = runChoices(correct, { cpus: 3, procs: 2, threads: 2, kthreads: 1 }, choices);
    expect(a.events).toEqual(b.events);
    expect(a.events.length).toBeGreaterThan(400);
    for (const ev of a.events) expect(validateTraceEvent(ev)).toEqual({ ok: true });
  });

  it('the correct configuration passes every applicable property', () => {
    const result = checkEngine({
      engine: correct,
      makeChecker: (i) => createTraceChecker(i, applicable),
      propertyIds: applicable.map((p) => p.id),
      runs: 300,
    });
    expect(result.counterexample).toBeUndefined();
    expect(result.result).toBe('pass');
  });

  it('the buggy configuration is caught, shrunk and rendered', () => {
    const result = checkEngine({
      engine: buggy,
      makeChecker: (i) => createTraceChecker(i, applicable),
      propertyIds: applicable.map((p) => p.id),
      runs: 300,
    });
    expect(result.result).toBe('fail');
    const cx = result.counterexample!;
    expect(cx.property).toBe('sync-core-before-usermode');
    expect(cx.ops.length).toBeLessThanOrEqual(16);
    const { events } = replayOps(buggy, cx.config, cx.ops);
    const v = checkTrace(events, applicable).find((x) => x.property === cx.property)!;
    expect(v.index).toBe(cx.eventIndex);
    const timeline = renderTimeline(events, { highlight: v.events, violation: v });
    expect(timeline).toContain(`VIOLATION sync-core-before-usermode ${v.clause} at [${v.index}]`);
    expect(timeline).toMatch(/CPU0\s+CPU1/);
  });
});
