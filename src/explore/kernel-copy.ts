/**
 * The explorer's copy of a kernel state (with `cow: false`, one per transition and per node put
 * back on the path stack; by default ./kernel-share.ts shares CPU, task and mm records and the
 * op copies them one by one on first access with copyCpu()/copyTask()/copyMm()): the same result as cloneJson() (./canonical.ts), written for the shape of KernelState
 * (src/engine/state.ts) so that each record is copied by one object spread (V8 copies a literal's
 * fields in one go) and only the fields known to hold arrays or objects are copied again, instead
 * of a `for...in` walk over every field of every record. Key order is kept (a spread keeps it, and
 * overriding an existing key keeps its place), so JSON text and structural hash are unchanged.
 *
 * A field added to the state that holds an array or object must be added here: otherwise a child
 * shares it with its parent and the engine's writes to it would leak into the parent.
 * test/explore/kernel-copy.test.ts walks states of random runs on every arch and fails on any
 * array or object reachable from both a state and its copy.
 */
import type { Frame } from '../engine/frames';
import type { CpuState, Ipi, KernelState, MmState, TaskState } from '../engine/state';

const copyIpi = (p: Ipi): Ipi => ({ ...p });

/** A frame: its nested fields (the IPIs waited for, scan targets, the split switch's plan, ...). */
export function copyFrame(f: Frame): Frame {
  const o: Frame = { ...f, waitIpis: f.waitIpis.slice() };
  if (f.targets != null) o.targets = f.targets.slice();
  if (f.sent != null) o.sent = f.sent.slice();
  if (f.scanRead != null) o.scanRead = { ...f.scanRead };
  if (f.plan != null) o.plan = { ...f.plan };
  return o;
}

export function copyCpu(c: CpuState): CpuState {
  return {
    ...c,
    pendingIpis: c.pendingIpis.length === 0 ? [] : c.pendingIpis.map(copyIpi),
    cpuFrame: c.cpuFrame == null ? c.cpuFrame : copyFrame(c.cpuFrame),
    hotplugFrame: c.hotplugFrame == null ? c.hotplugFrame : copyFrame(c.hotplugFrame),
    localTlbGen: c.localTlbGen == null ? c.localTlbGen : { ...c.localTlbGen },
    tempMm: c.tempMm == null ? c.tempMm : { ...c.tempMm },
  };
}

export function copyTask(t: TaskState): TaskState {
  return { ...t, extUsers: t.extUsers.slice(), frames: t.frames.length === 0 ? [] : t.frames.map(copyFrame) };
}

export const copyMm = (m: MmState): MmState => ({ ...m, cpumask: m.cpumask.slice() });

/** A deep copy of a kernel state (equal to cloneJson(s), key order included). */
export function copyKernelState(s: KernelState): KernelState {
  const tasks: KernelState['tasks'] = {};
  for (const id in s.tasks) tasks[id] = copyTask(s.tasks[id]);
  const mms: KernelState['mms'] = {};
  for (const id in s.mms) mms[id] = copyMm(s.mms[id]);
  return { ...s, cpus: s.cpus.map(copyCpu), tasks, taskOrder: s.taskOrder.slice(), mms, mmOrder: s.mmOrder.slice() };
}
