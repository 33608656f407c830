/**
 * The field lists of every trace event kind, as JSON Schema: the single place where the fields of
 * src/trace/events.ts are spelled out for validation. ./schema.ts checks at compile time that each
 * schema accepts exactly its interface, so adding or retyping a field in events.ts without updating
 * this file fails `tsc`.
 */
import type { EventKind } from './events';
import {
  anyOf, anyOfTypes, arr, bool, int, lit, nul, nullable, obj, oneOfValues, opt, record, str,
  type OptionalField, type Schema,
} from './schema-builder';

// The values of events.ts's union types, as lists (for enums here, in the fixture schema and the CLI).
// A list that misses or adds a value makes its events' drift check in ./schema.ts fail.
export const ARCHES = ['x86', 'powerpc', 'arm64'] as const;
export const STRATEGIES = ['refcount', 'shootdown', 'hazard'] as const;
export const TASK_TYPES = ['user', 'kthread', 'idle'] as const;
export const TASK_STATES = ['running', 'runnable', 'dead'] as const;
export const REF_COUNTERS = ['mm_users', 'mm_count'] as const;
export const REF_TOKENS = ['users', 'users1', 'grab', 'lazy'] as const;
export const MEMBARRIER_CMDS = [
  'GLOBAL_EXPEDITED', 'PRIVATE_EXPEDITED', 'PRIVATE_EXPEDITED_SYNC_CORE', 'PRIVATE_EXPEDITED_RSEQ',
] as const;
export const IPI_FUNCS = [
  'ipi_mb', 'ipi_sync_core', 'ipi_rseq', 'ipi_sync_rq_state', 'flush_tlb_func', 'do_shoot_lazy_tlb',
  'do_sync_core', 'do_exit_flush_lazy_tlb',
] as const;
export const USER_ENTRY_VIAS = ['sysret', 'iret'] as const;
export const USER_EXIT_VIAS = ['syscall', 'irq', 'ipi'] as const;
export const BUFFERED_LOCATIONS = ['rq_membarrier_state', 'loaded_mm', 'is_lazy'] as const;

const C_IDENT = '[A-Za-z_][A-Za-z0-9_]*';

const cpuId = int({ minimum: 0 });
const taskId = str({ minLength: 1 });
const mmId = str({ minLength: 1 });
/** Ids, generations and state bit sets: never negative, even in a buggy engine. */
const nat = int({ minimum: 0 });
/**
 * A counter value after a change. Deliberately unbounded below: an mm_count that underflows is a
 * refcount-balance violation that the property must get to report, not a malformed trace.
 */
const counterValue = int();
const fnName = str({ pattern: `^${C_IDENT}$`, description: 'a kernel function name (a C identifier)' });
/**
 * The owner forms documented on RefOwner in events.ts, and nothing else. Two suffixes the engines
 * need: `rq:<cpu>:<field>` names a runqueue field other than prev_mm (the hazard strategy's
 * rq->drop_mm), and `local:<cpu>:<fn>:<name>` tells two locals of one path apart.
 */
const refOwner = str({
  pattern: `^(task:[^:]+|rq:[0-9]+(:${C_IDENT})?|local:[0-9]+:${C_IDENT}(:[A-Za-z0-9_]+)?|bprm:[^:]+|holder:[^:]+|mm_users)$`,
  description:
    'a reference owner: task:<id>, rq:<cpu>[:<field>], local:<cpu>:<fn>[:<name>], bprm:<task>, holder:<task> or mm_users',
});

/** Every event but init: `k`, the executing CPU and its fields (including `fn`). */
const event = <const K extends EventKind, const F extends Record<string, Schema<unknown> | OptionalField<unknown>>>(
  k: K,
  fields: F,
) => obj({ k: lit(k), cpu: cpuId, ...fields });

const init = obj({
  k: lit('init'),
  cpu: nul(),
  fn: lit('start_kernel'),
  arch: oneOfValues(ARCHES),
  strategy: oneOfValues(STRATEGIES),
  knobs: record(anyOfTypes<string | number | boolean>(['string', 'number', 'boolean'])),
  cpus: arr(obj({
    cpu: cpuId, online: bool(), curr: taskId, loadedMm: mmId, isLazy: bool(), rqMembarrierState: nat,
    mode: oneOfValues(['user', 'kernel']),
  })),
  tasks: arr(obj({
    task: taskId, type: oneOfValues(TASK_TYPES), tgid: nullable(str({ minLength: 1 })), mm: nullable(mmId),
    activeMm: nullable(mmId), state: oneOfValues(TASK_STATES),
  })),
  mms: arr(obj({
    mm: mmId, static: bool(), users: nat, count: nat, membarrierState: nat, tlbGen: nat, cpumask: arr(cpuId),
  })),
  refs: arr(obj({ mm: mmId, token: oneOfValues(REF_TOKENS), owner: refOwner })),
  irqsTracked: opt(bool()),
});

/** One schema per event kind, keyed by `k`. */
export const EVENT_SCHEMAS = {
  init,
  ref: event('ref', {
    fn: fnName, mm: mmId, counter: oneOfValues(REF_COUNTERS), delta: oneOfValues([1, -1]), value: counterValue,
    token: oneOfValues(REF_TOKENS), owner: refOwner,
  }),
  ref_move: event('ref_move', { fn: fnName, mm: mmId, token: oneOfValues(REF_TOKENS), from: refOwner, to: refOwner }),
  mm_alloc: event('mm_alloc', { fn: fnName, mm: mmId, owner: refOwner, membarrierState: nat }),
  mm_teardown: event('mm_teardown', { fn: lit('exit_mmap'), mm: mmId }),
  mmdrop_begin: event('mmdrop_begin', { fn: lit('__mmdrop'), mm: mmId }),
  mm_free: event('mm_free', { fn: lit('__mmdrop'), mm: mmId }),
  task_mm: event('task_mm', { fn: fnName, task: taskId, mm: nullable(mmId), activeMm: nullable(mmId) }),
  task_new: event('task_new', {
    fn: fnName, task: taskId, type: oneOfValues(TASK_TYPES), tgid: nullable(str({ minLength: 1 })),
    mm: nullable(mmId), activeMm: nullable(mmId), parent: nullable(taskId),
  }),
  task_state: event('task_state', { fn: fnName, task: taskId, state: oneOfValues(TASK_STATES) }),
  path: event('path', { fn: fnName, phase: oneOfValues(['begin', 'end']), task: taskId }),
  rq_curr: event('rq_curr', { fn: lit('__schedule'), task: taskId }),
  switch_to: event('switch_to', { fn: lit('context_switch'), prev: taskId, task: taskId }),
  prev_mm: event('prev_mm', { fn: fnName, mm: nullable(mmId) }),
  rq_membarrier_state: event('rq_membarrier_state', { fn: fnName, value: nat, drainedBy: opt(str({ minLength: 1 })) }),
  // value: the rq->membarrier_state bits, 'SWITCHING' (x86's LOADED_MM_SWITCHING, the one loaded_mm
  // store buffered) or false (the one is_lazy store buffered).
  store_buffered: event('store_buffered', { fn: fnName, loc: oneOfValues(BUFFERED_LOCATIONS), value: anyOf(anyOf(nat, lit('SWITCHING')), lit(false)) }),
  mm_membarrier_state: event('mm_membarrier_state', { fn: fnName, mm: mmId, value: nat }),
  load_mm: event('load_mm', {
    // 'SWITCHING' (x86's LOADED_MM_SWITCHING sentinel) is a string like any mm id.
    fn: fnName, mm: mmId, cr3Write: bool(), flushed: bool(), drainedBy: opt(str({ minLength: 1 })),
  }),
  lazy: event('lazy', { fn: fnName, lazy: bool(), drainedBy: opt(str({ minLength: 1 })) }),
  cpumask: event('cpumask', { fn: fnName, mm: mmId, target: cpuId, set: bool() }),
  mb: event('mb', { fn: fnName, how: opt(lit('lock')) }),
  serialize: event('serialize', { fn: fnName, how: str({ minLength: 1 }) }),
  user_enter: event('user_enter', { fn: fnName, task: taskId, via: oneOfValues(USER_ENTRY_VIAS) }),
  user_exit: event('user_exit', { fn: fnName, task: taskId, via: oneOfValues(USER_EXIT_VIAS) }),
  membarrier: event('membarrier', {
    fn: fnName, call: nat, cmd: oneOfValues(MEMBARRIER_CMDS), task: taskId, mm: nullable(mmId),
    phase: oneOfValues(['enter', 'mb_start', 'mb_end', 'return']), ret: opt(int()), shortCircuit: opt(bool()),
  }),
  membarrier_scan: event('membarrier_scan', {
    fn: fnName, call: nat, target: cpuId, currTask: taskId, currMm: nullable(mmId), rqMembarrierState: nat,
    selected: bool(),
  }),
  membarrier_register: event('membarrier_register', {
    fn: fnName, cmd: oneOfValues(MEMBARRIER_CMDS), mm: mmId, phase: oneOfValues(['enter', 'ready', 'return']),
  }),
  ipi_send: event('ipi_send', {
    fn: fnName, id: nat, target: cpuId, func: oneOfValues(IPI_FUNCS), mm: nullable(mmId),
  }),
  ipi_handle: event('ipi_handle', {
    fn: oneOfValues(IPI_FUNCS), id: nullable(nat), from: cpuId, mm: nullable(mmId), local: bool(),
  }),
  tlb_gen: event('tlb_gen', { fn: lit('flush_tlb_mm_range'), mm: mmId, value: nat, freedTables: bool() }),
  flush_done: event('flush_done', { fn: lit('flush_tlb_mm_range'), mm: mmId, gen: nat, freedTables: bool() }),
  local_tlb_gen: event('local_tlb_gen', { fn: fnName, mm: mmId, gen: nat }),
  deref: event('deref', { fn: fnName, mm: nullable(mmId), who: oneOfValues(['nmi', 'walker', 'kernel']) }),
  temp_mm: event('temp_mm', { fn: fnName, mm: nullable(mmId), saved: nullable(mmId) }),
  kthread_access: event('kthread_access', { fn: fnName, task: taskId, mm: mmId, phase: oneOfValues(['begin', 'end']) }),
  hazard: event('hazard', { fn: fnName, target: cpuId, slot: oneOfValues(['lazy_mm', 'drop_mm']), mm: nullable(mmId) }),
  unlazy_scan: event('unlazy_scan', { fn: lit('mm_unlazy_mm_count'), target: cpuId, mm: mmId, found: bool() }),
  cpu_online: event('cpu_online', { fn: fnName, target: cpuId, online: bool() }),
  irqs: event('irqs', { fn: fnName, enabled: bool() }),
  irq: event('irq', { fn: fnName, phase: oneOfValues(['enter', 'exit']), from: oneOfValues(['user', 'kernel']) }),
} as const;
