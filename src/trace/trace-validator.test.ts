import { createEngine, listEngines, listVariants } from '../engine';
import { randomRun } from '../../test/trace-io/random-run';
import type { InitEvent, TraceEvent } from './events';
import { EXAMPLE_EVENTS } from './examples';
import { TraceValidator } from './trace-validator';

const init: InitEvent = EXAMPLE_EVENTS.init; // cpus 0 (T1, user mode) and 1 (idle1); mms init_mm, mm1

/** The problems of a trace: `index rule path` per problem. */
function problems(events: unknown[]): string[] {
  const v = new TraceValidator();
  return events.flatMap((ev, i) => v.check(ev, i).map((p) => `${i} ${p.rule} ${p.path}`));
}

const ev = (e: Record<string, unknown>) => e as unknown as TraceEvent;
const userExit = ev({ k: 'user_exit', cpu: 0, fn: 'entry_SYSCALL_64', task: 'T1', via: 'syscall' });
const userEnter = ev({ k: 'user_enter', cpu: 0, fn: 'syscall_exit_to_user_mode', task: 'T1', via: 'sysret' });
const begin = ev({ k: 'path', cpu: 1, fn: 'context_switch', phase: 'begin', task: 'idle1' });
const end = (fn: string, task = 'idle1') => ev({ k: 'path', cpu: 1, fn, phase: 'end', task });

describe('TraceValidator: the semantic rules', () => {
  it.each([
    ['order', [EXAMPLE_EVENTS.mb], ['0 order /k']],
    ['order (a second init)', [init, init], ['1 order /k']],
    ['schema', [init, { ...EXAMPLE_EVENTS.mb, extra: 1 }], ['1 schema /extra']],
    ['known-cpu', [init, { ...EXAMPLE_EVENTS.mb, cpu: 9 }], ['1 known-cpu /cpu']],
    ['known-cpu (a target)', [init, { ...EXAMPLE_EVENTS.cpu_online, target: 2 }], ['1 known-cpu /target']],
    ['known-cpu (an rq owner)', [init, { ...EXAMPLE_EVENTS.ref_move, mm: 'init_mm', to: 'rq:7' }], ['1 known-cpu /to']],
    ['known-task (switch_to)', [init, { k: 'switch_to', cpu: 1, fn: 'context_switch', prev: 'idle1', task: 'T9' }], ['1 known-task /task']],
    ['known-task (task_mm)', [init, { k: 'task_mm', cpu: 0, fn: 'exit_mm', task: 'T9', mm: null, activeMm: 'mm1' }], ['1 known-task /task']],
    ['known-mm, once mm_alloc was seen', [init, EXAMPLE_EVENTS.mm_alloc, { ...EXAMPLE_EVENTS.mm_free, mm: 'mm7' }], ['2 known-mm /mm']],
    ['new-id (mm_alloc of an existing mm)', [init, { ...EXAMPLE_EVENTS.mm_alloc, mm: 'mm1' }], ['1 new-id /mm']],
    ['path-balance (end without begin)', [init, end('context_switch')], ['1 path-balance /phase']],
    ['path-balance (another path ends)', [init, begin, end('exit_mm')], ['2 path-balance /fn']],
    ['user-mode (user_enter in user mode)', [init, userExit, userEnter, userEnter], ['3 user-mode /k']],
    ['user-mode (user_exit in kernel mode)', [init, userExit, userEnter, userExit, userExit], ['4 user-mode /k']],
    ['init: a curr task not listed', [{ ...init, cpus: [{ ...init.cpus[0], curr: 'T5' }, init.cpus[1]] }], ['0 known-task /cpus/0/curr']],
    ['init: cpus out of order', [{ ...init, cpus: [init.cpus[1]] }], ['0 known-cpu /cpus/0/cpu']],
  ])('%s', (_name, events, expected) => {
    expect(problems(events)).toEqual(expected);
  });

  it('a path of a task switched out mid-path resumes where the task runs next (a preemption point)', () => {
    const p = (cpu: number, fn: string, phase: string, task: string) => ev({ k: 'path', cpu, fn, phase, task });
    const sw = (cpu: number, prev: string, task: string) => ev({ k: 'switch_to', cpu, fn: 'context_switch', prev, task });
    // T1 begins membarrier on cpu 0 and is switched out for T2; idle1 on cpu 1 then switches to T1,
    // where membarrier ends; the context switch paths stay on their CPUs.
    const fork = ev({ ...EXAMPLE_EVENTS.task_new, task: 'T2', parent: 'T1', mm: 'mm1', activeMm: 'mm1' });
    const trace = [
      init, fork, p(0, 'membarrier', 'begin', 'T1'), p(0, 'context_switch', 'begin', 'T1'), sw(0, 'T1', 'T2'), p(0, 'context_switch', 'end', 'T1'),
      p(1, 'context_switch', 'begin', 'idle1'), sw(1, 'idle1', 'T1'), p(1, 'context_switch', 'end', 'idle1'), p(1, 'membarrier', 'end', 'T1'),
    ];
    expect(problems(trace)).toEqual([]);
    // Ending it on the CPU it left is a lie.
    expect(problems([...trace.slice(0, 6), p(0, 'membarrier', 'end', 'T1')])).toEqual(['6 path-balance /phase']);
  });

  it('a clone and its original go their own ways (clones share what neither changed: copy on write)', () => {
    const fork = ev({ ...EXAMPLE_EVENTS.task_new, task: 'T2', parent: 'T1', mm: 'mm1', activeMm: 'mm1' });
    const sw = (cpu: number, prev: string, task: string) => ev({ k: 'switch_to', cpu, fn: 'context_switch', prev, task });
    const a = new TraceValidator();
    a.check(init, 0);
    a.check(ev({ k: 'path', cpu: 0, fn: 'membarrier', phase: 'begin', task: 'T1' }), 1);
    const b = a.clone();
    // b forks T2, sees mm_alloc, ends T1's membarrier on cpu 0 and enters user mode; a does none of it.
    expect(b.check(fork, 2)).toEqual([]);
    expect(b.check(EXAMPLE_EVENTS.mm_alloc, 3)).toEqual([]);
    expect(b.check(ev({ k: 'path', cpu: 0, fn: 'membarrier', phase: 'end', task: 'T1' }), 4)).toEqual([]);
    expect(b.check(userExit, 5)).toEqual([]);
    // a: T2 is still unknown, an unknown mm is not yet an error (no mm_alloc seen), T1's membarrier is still open.
    expect(a.check(sw(1, 'idle1', 'T2'), 2).map((x) => x.rule)).toEqual(['known-task']);
    expect(a.check({ ...EXAMPLE_EVENTS.mm_free, mm: 'mm7' }, 2)).toEqual([]);
    expect(a.check(ev({ k: 'path', cpu: 0, fn: 'exit_mm', phase: 'end', task: 'T1' }), 2).map((x) => x.path)).toEqual(['/fn']);
    // b: the reverse.
    expect(b.check(sw(1, 'idle1', 'T2'), 6)).toEqual([]);
    expect(b.check({ ...EXAMPLE_EVENTS.mm_free, mm: 'mm7' }, 7).map((x) => x.rule)).toEqual(['known-mm']);
    expect(b.check(ev({ k: 'path', cpu: 0, fn: 'membarrier', phase: 'end', task: 'T1' }), 8).map((x) => x.path)).toEqual(['/phase']);
    // A path suspended by a switch in one copy (T1 leaves cpu 0 mid-membarrier for idle1's CPU) is not in the other.
    const c = a.clone();
    expect(c.check(ev({ k: 'path', cpu: 0, fn: 'context_switch', phase: 'begin', task: 'T1' }), 2)).toEqual([]);
    expect(c.check(sw(0, 'T1', 'idle1'), 3)).toEqual([]);
    expect(c.check(ev({ k: 'path', cpu: 0, fn: 'membarrier', phase: 'end', task: 'T1' }), 4).map((x) => x.path)).toEqual(['/fn']);
    expect(a.check(ev({ k: 'path', cpu: 0, fn: 'membarrier', phase: 'end', task: 'T1' }), 3)).toEqual([]);
  });

  it('accepts balanced nested paths, alternating modes and a task forked before use', () => {
    const fork = { ...EXAMPLE_EVENTS.task_new, task: 'T2', parent: 'T1', mm: 'mm1', activeMm: 'mm1' };
    const inner = ev({ k: 'path', cpu: 1, fn: 'exit_mm', phase: 'begin', task: 'idle1' });
    const trace = [init, userExit, begin, inner, end('exit_mm'), end('context_switch'), userEnter, fork, { k: 'switch_to', cpu: 1, fn: 'context_switch', prev: 'idle1', task: 'T2' }];
    expect(problems(trace)).toEqual([]);
  });

  it('waits for the kind a rule depends on (an omitted kind is check-trace\'s "insufficient", not an error)', () => {
    // No user_exit anywhere: a second user_enter is evidence of an omitted kind; no mm_alloc: an unknown mm too.
    expect(problems([init, { ...userEnter, cpu: 1, task: 'idle1' }, { ...userEnter, cpu: 1, task: 'idle1' }])).toEqual([]);
    expect(problems([init, { ...EXAMPLE_EVENTS.mm_free, mm: 'mm7' }])).toEqual([]);
  });

  it("accepts every engine's and every named variant's random runs", () => {
    const specs = [...listEngines().map((e) => ({ arch: e.arch, strategy: e.strategy })), ...listVariants().map((v) => ({ variant: v.id }))];
    const found: string[] = [];
    specs.forEach((spec, n) => {
      const engine = createEngine(spec as never);
      const trace = randomRun(engine, { cpus: 2 + (n % 3), procs: 1 + (n % 2), threads: 1 + (n % 3), kthreads: n % 3 }, 150, n + 1);
      found.push(...problems(trace).map((p) => `${engine.info.id}: ${p}`));
    });
    expect(found).toEqual([]);
  });
});
