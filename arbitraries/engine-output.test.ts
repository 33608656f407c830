import type { Engine } from '../src/engine/contract';
import { checkFixture } from '../src/fixtures/check';
import type { TraceEvent } from '../src/trace/events';
import { checkEngine } from './check-engine';
import { EngineOutputError } from './engine-output';
import { replayOps } from './interleaving';
import { createToyEngine, type ToyState } from './test-helpers/toy-engine';
import { alwaysHolds } from './test-helpers/toy-checker';

/** The toy engine with its events rewritten by `edit` (a foreign engine with a bug in its output). */
function corrupted(id: string, edit: (ev: TraceEvent) => unknown): Engine<ToyState> {
  const toy = createToyEngine(id);
  return { ...toy, apply: (s, op) => toy.apply(s, op).map((ev) => edit(ev) as TraceEvent) };
}

const check = (engine: Engine<ToyState>) => checkEngine({ engine, makeChecker: alwaysHolds, propertyIds: ['toy-always'], runs: 100 });

describe('checkEngine validates what the engine emits', () => {
  it('fails on a typo in an event kind, naming the engine, the run, the event and the rule', () => {
    const r = check(corrupted('toy/typo', (ev) => (ev.k === 'user_enter' ? { ...ev, k: 'user_entry' } : ev)));
    expect(r.result).toBe('fail');
    const cx = r.counterexample!;
    expect(cx.property).toBe('engine-contract');
    expect(cx.clause).toBe('emitted an invalid event (rule schema)');
    expect(cx.message).toMatch(/^engine toy\/typo emitted an invalid event \d+ \("user_entry", from op \d+\): \/k: expected a trace event kind \(got \"user_entry\"; did you mean \"user_enter\"\?\) \[rule schema\] \(first seen in run \d of 100; shrunk to \d+ ops?\)$/);
    expect(cx.ops.length).toBeLessThanOrEqual(2); // shrunk: at most a syscall and the return to user
    expect(cx.eventIndex).toBeGreaterThan(0);
  });

  it('fails on a CPU out of range and on an extra field', () => {
    const cpu = check(corrupted('toy/cpu', (ev) => (ev.k === 'user_exit' ? { ...ev, cpu: 42 } : ev))).counterexample!;
    expect(cpu.clause).toBe('emitted an invalid event (rule known-cpu)');
    expect(cpu.message).toContain('/cpu: expected integer 0..');
    const extra = check(corrupted('toy/extra', (ev) => (ev.k === 'switch_to' ? { ...ev, extra: 1 } : ev))).counterexample!;
    expect(extra.clause).toBe('emitted an invalid event (rule schema)');
    expect(extra.message).toContain('/extra');
  });

  it('fails on an impossible history: a switch to a task that does not exist', () => {
    const r = check(corrupted('toy/ghost', (ev) => (ev.k === 'switch_to' ? { ...ev, task: 'ghost' } : ev)));
    expect(r.counterexample).toMatchObject({ property: 'engine-contract', clause: 'emitted an invalid event (rule known-task)' });
    expect(r.counterexample!.message).toContain('/task: expected a task of the init event or of an earlier task_new (got "ghost")');
  });

  it('replayOps throws EngineOutputError on invalid output, and passes valid output', () => {
    const good = createToyEngine();
    const config = { cpus: 2, procs: 1, threads: 1, kthreads: 0 };
    const ops = good.enabled(good.init(config).state).slice(0, 1);
    expect(replayOps(good, config, ops).events.length).toBeGreaterThan(1);
    const bad = corrupted('toy/k', (ev) => ({ ...ev, k: 'nope' }));
    expect(() => replayOps(bad, config, ops)).toThrow(EngineOutputError);
  });
});

describe('checkFixture on an engine whose output is invalid', () => {
  it('reports INVALID, never "as recorded"', () => {
    const good = createToyEngine();
    const config = { cpus: 2, procs: 1, threads: 1, kthreads: 0 };
    const ops = good.enabled(good.init(config).state).slice(0, 1);
    const fixture = { format: 'lazymm-fixture/1', name: 'n', description: 'd', engine: { arch: 'x86', strategy: 'refcount', knobs: {} }, config, ops, expect: 'pass' } as never;
    const r = checkFixture(fixture, corrupted('toy/k', (ev) => ({ ...ev, k: 'nope' })) as never);
    expect(r.ok).toBe(false);
    expect(r.detail).toMatch(/^INVALID: engine toy\/k emitted an invalid event 1 \("nope", from op 0\): \/k: /);
  });
});
