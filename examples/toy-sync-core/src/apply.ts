/** Applying one enabled op to the toy state: the events it produced, in order. */
import type { Op } from 'lazymm/engines';
import type { TraceEvent } from 'lazymm/trace';
import { Emit } from './emit';
import { deliverIpi } from './ipi';
import { register, startMembarrier, stepMembarrier } from './membarrier';
import type { ToyKnobs, ToyState } from './state';
import { startSwitch, stepSwitch } from './switch';

export function applyOp(s: ToyState, op: Op, knobs: ToyKnobs): TraceEvent[] {
  const e = new Emit(op.cpu);
  const c = s.cpus[op.cpu];
  switch (op.op) {
    case 'syscall':
      c.mode = 'kernel';
      e.push({ k: 'user_exit', cpu: op.cpu, fn: 'toy_syscall_entry', task: c.curr, via: 'syscall' });
      break;
    case 'return_to_user':
      c.mode = 'user';
      e.push({ k: 'user_enter', cpu: op.cpu, fn: 'toy_return_to_user', task: c.curr, via: 'sysret' });
      break;
    case 'schedule':
      startSwitch(s, e, op.next);
      break;
    case 'step':
      if (c.path?.kind === 'switch') stepSwitch(s, e, c.path, knobs);
      else if (c.path?.kind === 'membarrier') stepMembarrier(s, e, c.path, knobs);
      break;
    case 'membarrier':
      startMembarrier(s, e);
      break;
    case 'membarrier_register':
      register(s, e);
      break;
    case 'ipi':
      deliverIpi(s, e, knobs);
      break;
    default:
      throw new Error(`toy-sync-core: op ${op.op} is never enabled`);
  }
  return e.events;
}
