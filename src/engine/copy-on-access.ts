/**
 * Copy-on-access records (issue 15): a kernel state whose task and mm records are shared with
 * another state (the explorer's child shares them with its parent, src/explore/kernel-share.ts).
 * The Kctx of the one apply() that runs on such a state copies a record the first time one of its
 * accessors (`task()`, `mm()`, `current()`) hands it out, reads included, so a record no step
 * touched stays shared (and its cached hash, src/explore/record-hash.ts, stays valid) while every
 * write lands in a private copy. CPU records are not shared (the explorer copies them, and engine
 * code walks `k.s.cpus` directly). Engine code must reach task and mm records only through the
 * accessors, and add new ones with `Kctx.addTask()`/`addMm()`; the explorer's `freezeShared` option
 * freezes every shared record, so a write that bypasses them throws (test/explore/cow.test.ts).
 *
 * Not part of the engine contract: random runs, replays and engine mutants never register a state,
 * and then the accessors return the records as they are.
 */
import type { KernelState, MmState, TaskState } from './state';

/** How a shared record is copied (the explorer's shape-aware copies, src/explore/kernel-copy.ts). */
export interface RecordCopier {
  task(t: TaskState): TaskState;
  mm(m: MmState): MmState;
}

const SHARED = new WeakMap<KernelState, RecordCopier>();

/** `s` shares its task and mm records: the next Kctx built on it copies them on first access. */
export function shareRecords(s: KernelState, copier: RecordCopier): void {
  SHARED.set(s, copier);
}

/**
 * The records of one apply() on a registered state: the registration is taken (the state's later
 * Kctxs, e.g. `enabled()`, see private records: the ones this op copied, or the parent's that no
 * op will write).
 */
export class CopyOnAccess {
  private readonly tasks = new Set<string>();
  private readonly mms = new Set<string>();
  private constructor(private readonly s: KernelState, private readonly copier: RecordCopier) {}

  static take(s: KernelState): CopyOnAccess | undefined {
    const copier = SHARED.get(s);
    if (copier === undefined) return undefined;
    SHARED.delete(s);
    return new CopyOnAccess(s, copier);
  }

  task(id: string): TaskState {
    const t = this.s.tasks[id];
    if (t === undefined || this.tasks.has(id)) return t;
    this.tasks.add(id);
    return (this.s.tasks[id] = this.copier.task(t));
  }

  mm(id: string): MmState {
    const m = this.s.mms[id];
    if (m === undefined || this.mms.has(id)) return m;
    this.mms.add(id);
    return (this.s.mms[id] = this.copier.mm(m));
  }

  /** A record created by this op: private already. */
  ownTask(id: string): void {
    this.tasks.add(id);
  }
  ownMm(id: string): void {
    this.mms.add(id);
  }
}
