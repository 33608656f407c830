/**
 * The explorer's child of a kernel state with its records shared (issue 15, copy-on-write): the
 * top-level object and its record tables are copied, every CPU, task and mm record is the
 * parent's, registered so that the Kctx of the apply() that runs on the child copies a record on
 * first access (src/engine/copy-on-access.ts). Records no op touched stay
 * shared between parent and child, and so does their cached hash (./record-hash.ts). Key order is
 * kept (JSON text and hash of the child equal to those of copyKernelState()).
 *
 * `freeze` (ExploreOptions.freezeShared, tests): the parent is deep-frozen before it is shared,
 * so an engine write that reaches a shared record without going through Kctx's accessors throws
 * (strict mode) instead of leaking into every state that shares it.
 */
import { shareRecords, type RecordCopier } from '../engine/copy-on-access';
import type { KernelState } from '../engine/state';
import { copyCpu, copyMm, copyTask } from './kernel-copy';

const COPIER: RecordCopier = { cpu: copyCpu, task: copyTask, mm: copyMm };

export function shareKernelState(s: KernelState, freeze = false): KernelState {
  if (freeze) deepFreeze(s);
  const child: KernelState = {
    ...s,
    cpus: s.cpus.slice(),
    tasks: { ...s.tasks },
    taskOrder: s.taskOrder.slice(),
    mms: { ...s.mms },
    mmOrder: s.mmOrder.slice(),
  };
  shareRecords(child, COPIER);
  return child;
}

/** Object.freeze of `v` and everything reachable from it (a frozen object's contents are frozen already). */
export function deepFreeze(v: unknown): void {
  if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return;
  Object.freeze(v);
  for (const k in v as Record<string, unknown>) deepFreeze((v as Record<string, unknown>)[k]);
}
