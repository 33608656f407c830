import type { Op } from '../src/engine/ops';
import { echoed, echoWeights } from './echo';
import { argumentValues } from './swarm';
import { runChoicesMonitored } from './monitored-run';
import { pickOp } from './pick';
import { TraceView } from './trace-view';
import { createToyEngine } from './test-helpers/toy-engine';
import { alwaysHolds } from './test-helpers/toy-checker';
import { DEFAULT_WEIGHTS, type Weights } from './weights';
import { runCheck } from './check';
import { searchProfiles } from './search';
import { searchByName } from '../src/mutants/search';
import '../src/mutants/searches';

const engine = createToyEngine();
const freshView = () => new TraceView(engine.init({ cpus: 2, procs: 1, threads: 1, kthreads: 1 }).events[0] as never);

const register: Op = { op: 'membarrier_register', cpu: 0, cmd: 'PRIVATE_EXPEDITED' };
const callSame: Op = { op: 'membarrier', cpu: 1, cmd: 'PRIVATE_EXPEDITED' };
const callOther: Op = { op: 'membarrier', cpu: 1, cmd: 'PRIVATE_EXPEDITED_RSEQ' };
const registerAgain: Op = { op: 'membarrier_register', cpu: 1, cmd: 'PRIVATE_EXPEDITED' };

/** Flat weights: every kind 1, every instance 1, boost 1 (so only the echo changes them). */
const FLAT: Weights = { kinds: {}, fallbackKind: 1, instance: () => 1, boost: () => 1 };

describe('argument echo', () => {
  it('reads argument values off the op record, none for progress ops', () => {
    expect(argumentValues({ op: 'flush_tlb', cpu: 0, freedTables: true, trim: false })).toEqual(['freedTables=true', 'trim=false']);
    expect(argumentValues({ op: 'kthread_use_mm', cpu: 2, mm: 'mm1' })).toEqual(['mm=mm1']);
    expect(argumentValues({ op: 'syscall', cpu: 1 })).toEqual([]);
    expect(argumentValues({ op: 'ipi', cpu: 1, next: 'T2' })).toEqual([]);
  });

  it('echoes a value applied by another kind, not by the same kind, nor a value never applied', () => {
    const view = freshView();
    expect(echoed(callSame, view)).toBe(false);
    view.noteOp(register);
    expect(echoed(callSame, view)).toBe(true); // register X, then call X
    expect(echoed(callOther, view)).toBe(false); // another command
    expect(echoed(registerAgain, view)).toBe(false); // the same kind
    view.noteOp(callSame);
    expect(echoed(registerAgain, view)).toBe(true); // X now applied by two kinds: echoed for both
  });

  it('never echoes progress ops, nor from them', () => {
    const view = freshView();
    view.noteOp({ op: 'ipi', cpu: 1, next: 'T2' });
    expect(echoed({ op: 'schedule', cpu: 0, next: 'T2' }, view)).toBe(false);
    view.noteOp({ op: 'preempt', cpu: 0, next: 'T2' });
    expect(echoed({ op: 'schedule', cpu: 1, next: 'T2' }, view)).toBe(true);
    expect(echoed({ op: 'ipi', cpu: 1, next: 'T2' }, view)).toBe(false);
  });

  it('multiplies an echoed op’s instance weight and kind boost, keeps a 0 at 0, and leaves other ops alone', () => {
    const w = echoWeights({ ...FLAT, instance: (op) => (op.op === 'exit' ? 0 : 3), boost: () => 5 }, { instance: 4, kind: 2 });
    const view = freshView();
    view.noteOp(register);
    expect(w.instance(callSame, view)).toBe(12);
    expect(w.boost!(callSame, view)).toBe(10);
    expect(w.instance(callOther, view)).toBe(3);
    expect(w.boost!(callOther, view)).toBe(5);
    expect(w.instance({ op: 'exit', cpu: 0 }, view)).toBe(0);
  });

  it('shifts the pick towards the echoed instance, and keeps the state per run (per trace view)', () => {
    const w = echoWeights(FLAT, { instance: 8, kind: 1 });
    const enabled = [callSame, callOther];
    const count = (view: TraceView) => {
      let same = 0;
      for (let c = 0; c < 900; c++) if (pickOp(enabled, c, w, view) === callSame) same++;
      return same;
    };
    const before = freshView();
    const after = freshView();
    after.noteOp(register);
    expect(count(before)).toBeGreaterThan(300);
    expect(count(before)).toBeLessThan(600);
    expect(count(after)).toBeGreaterThan(700); // 8 / 9 of 900 expected
    expect(count(freshView())).toBeLessThan(600); // a new run starts with nothing echoed
  });

  it('replays the same choices to the same ops (a run is a function of its choices)', () => {
    const config = { cpus: 2, procs: 1, threads: 2, kthreads: 1 };
    const choices = Array.from({ length: 60 }, (_, i) => (i * 2654435761) % 100003);
    const w = echoWeights(DEFAULT_WEIGHTS);
    const a = runChoicesMonitored(engine, config, choices, w, alwaysHolds);
    const b = runChoicesMonitored(engine, config, choices, w, alwaysHolds);
    expect(a.ops.length).toBeGreaterThan(0);
    expect(b.ops).toEqual(a.ops);
  });

  it('is what check --search weighted2-echo and the mutant bench run: echoed profiles (x8), weighted2 run lengths', () => {
    const [w] = searchProfiles('weighted2-echo', [FLAT]);
    const view = freshView();
    view.noteOp(register);
    expect(w.instance(callSame, view)).toBe(8);
    expect(w.instance(callOther, view)).toBe(1);
    const spec = { arch: 'arm64', strategy: 'refcount' } as const;
    const echo = runCheck({ engine: spec, runs: 3, seed: 7, search: 'weighted2-echo', properties: ['refcount-balance'] });
    const plain = runCheck({ engine: spec, runs: 3, seed: 7, search: 'weighted2', properties: ['refcount-balance'] });
    expect(echo.result).toBe('pass');
    expect(echo.opsExecuted).toBeGreaterThanOrEqual(3 * 40);
    expect(plain.opsExecuted).toBeGreaterThanOrEqual(3 * 40);
    expect(searchByName('weighted2-echo')?.name).toBe('weighted2-echo');
  });
});
