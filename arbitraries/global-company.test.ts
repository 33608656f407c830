/**
 * The "company" boost of ./weight-rules.ts for GLOBAL_EXPEDITED: a call is boosted as a PRIVATE
 * command's is when another CPU runs (in user mode) a task of an mm registered for
 * GLOBAL_EXPEDITED, the only CPUs membarrier_global_expedited() IPIs; without such company the call
 * has nothing to order and keeps its plain weight.
 */
import type { Op } from '../src/engine/ops';
import { createEngine } from '../src/engine/registry';
import { startRun } from './run';
import { defaultKindBoost, RACE } from './weight-rules';

const GLOBAL_CALL: Op = { op: 'membarrier', cpu: 0, cmd: 'GLOBAL_EXPEDITED' };

function drain(run: ReturnType<typeof startRun>, cpu: number): void {
  for (let n = 0; n < 20 && run.applyIfEnabled({ op: 'step', cpu }); n++);
}

/** T1 (mm1) on cpu0 in a syscall; T2 (mm2) on cpu1, which registers GLOBAL_EXPEDITED if `register`. */
function world(register: boolean) {
  const run = startRun(createEngine({ arch: 'x86', strategy: 'refcount' }), { cpus: 2, procs: 2, threads: 1, kthreads: 0 });
  run.applyRecorded({ op: 'syscall', cpu: 1 }, 0);
  if (register) {
    run.applyRecorded({ op: 'membarrier_register', cpu: 1, cmd: 'GLOBAL_EXPEDITED' }, 1);
    drain(run, 1);
  }
  run.applyRecorded({ op: 'return_to_user', cpu: 1, via: 'sysret' }, 2);
  run.applyRecorded({ op: 'syscall', cpu: 0 }, 3);
  return run;
}

describe('GLOBAL_EXPEDITED company', () => {
  it('boosts the call while another CPU runs user code of a GLOBAL_EXPEDITED-registered mm', () => {
    const run = world(true);
    expect(run.view.mode(1)).toBe('user');
    expect(defaultKindBoost(GLOBAL_CALL, run.view)).toBe(RACE.companyCall / 2);
  });

  it('leaves it alone when no mm is registered, or the registered thread is in the kernel', () => {
    expect(defaultKindBoost(GLOBAL_CALL, world(false).view)).toBe(1);
    const run = world(true);
    run.applyRecorded({ op: 'syscall', cpu: 1 }, 4);
    expect(defaultKindBoost(GLOBAL_CALL, run.view)).toBe(1);
  });
});
