/**
 * The membarrier caller-barrier mutants (MB1, MB5 dropped) fail membarrier-ordering C4.2 on a
 * hand-built PRIVATE_EXPEDITED call, and the unmutated engine passes the same ops (docs/mutants.md);
 * on x86 with SERIALIZE_IPI()'s mutex (v6.8+) they are equivalent.
 */
import { createEngine } from '../engine/build';
import type { Engine } from '../engine/contract';
import type { KernelState } from '../engine/state';
import type { EngineSpec } from '../run/types';
import type { Op } from '../engine/ops';
import { checkTrace } from '../../properties/index';
import type { TraceEvent } from '../trace/events';
import { allInstances, mutantFactory } from './instances';

type Item = Op | { op: 'drain'; cpu: number; max?: number };

/** T1 (cpu0) registers mm1 for PRIVATE_EXPEDITED and calls it; T2 (cpu1) stays in user mode. */
const OPS: Item[] = [
  { op: 'syscall', cpu: 0 },
  { op: 'membarrier_register', cpu: 0, cmd: 'PRIVATE_EXPEDITED' },
  { op: 'drain', cpu: 0 },
  { op: 'ipi', cpu: 1 },
  { op: 'drain', cpu: 1 },
  { op: 'drain', cpu: 0 },
  { op: 'membarrier', cpu: 0, cmd: 'PRIVATE_EXPEDITED' },
  { op: 'drain', cpu: 0, max: 4 },
  { op: 'ipi', cpu: 1 },
  { op: 'drain', cpu: 1 },
  { op: 'drain', cpu: 0 },
];

function run(create: (spec: EngineSpec) => Engine<KernelState>, spec: EngineSpec): string[] {
  const eng = create(spec);
  const { state, events } = eng.init({ cpus: 2, procs: 1, threads: 2, kthreads: 1 });
  const all: TraceEvent[] = [...events];
  const key = (o: unknown) => JSON.stringify(o);
  for (const item of OPS) {
    if (item.op === 'drain') {
      const st: Op = { op: 'step', cpu: item.cpu };
      for (let n = 0; n < (item.max ?? 99) && eng.enabled(state).some((e) => key(e) === key(st)); n++) all.push(...eng.apply(state, st));
      continue;
    }
    expect(eng.enabled(state).map(key)).toContain(key(item));
    all.push(...eng.apply(state, item));
  }
  return checkTrace(all).map((v) => `${v.property} ${v.clause}`);
}

const MB1 = 'membarrier-ordering C4.2 caller entry barrier MB1 missing (scenario A)';
const MB5 = 'membarrier-ordering C4.2 caller exit barrier MB5 missing (scenario B)';

describe('membarrier caller barriers (C4.2) against the MB1/MB5 mutants', () => {
  // On x86 since v6.8, SERIALIZE_IPI()'s mutex_lock() right after MB1 and mutex_unlock() right after
  // MB5 are LOCK CMPXCHGs (src/engine/kernel/serialize-ipi.ts): the kill needs arm64/powerpc, or x86
  // before 944d5fe50f3f (serializeIpiMutex=false).
  it.each([
    ['kernel/membarrier:stepMembarrier:drop-mb:0@arm64/refcount', {}, MB1],
    ['kernel/membarrier:stepMembarrier:drop-mb:1@arm64/refcount', {}, MB5],
    ['kernel/membarrier:stepMembarrier:drop-mb:0@x86/refcount', { serializeIpiMutex: false }, MB1],
    ['kernel/membarrier:stepMembarrier:drop-mb:1@x86/refcount', { serializeIpiMutex: false }, MB5],
    ['kernel/membarrier:stepMembarrier:drop-mb:0@x86/refcount', {}, null],
    ['kernel/membarrier:stepMembarrier:drop-mb:1@x86/refcount', {}, null],
  ] as const)('%s with %j: the mutant fails %s, the base passes the same ops', (id, knobs, clause) => {
    const inst = allInstances().find((x) => x.id === id);
    expect(inst).toBeDefined();
    if (!inst) return;
    const factory = mutantFactory(inst.site);
    const spec: EngineSpec = { ...inst.engine, knobs: { ...inst.engine.knobs, ...knobs } };
    expect(run((s: EngineSpec) => factory.createEngine(s) as Engine<KernelState>, spec)).toEqual(clause === null ? [] : [clause]);
    expect(run(createEngine, spec)).toEqual([]);
  });
});
