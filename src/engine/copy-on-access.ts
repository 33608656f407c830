/**
 * Copy-on-access records (issue 15): a kernel state whose CPU, task and mm records are shared with
 * another state (the explorer's child shares them with its parent, src/explore/kernel-share.ts).
 * The Kctx of the one apply() that runs on such a state copies a record the first time one of its
 * accessors (`cpu()`, `cpus()`, `task()`, `mm()`, `current()`) hands it out, reads included, so a
 * record no step touched stays shared (and its cached hash, src/explore/record-hash.ts, stays
 * valid) while every write lands in a private copy. Engine code must reach records it may write
 * (or hold while something else writes) only through the accessors, and add new tasks and mms with
 * `Kctx.addTask()`/`addMm()`; a direct read of `k.s.cpus` is allowed only for values used at once
 * (another CPU's flags and ids, a count). The explorer's `freezeShared` option freezes every
 * shared record, so a write that bypasses the accessors throws (test/explore/cow.test.ts).
 *
 * Not part of the engine contract: random runs, replays and engine mutants never register a state,
 * and then the accessors return the records as they are.
 */
import type { CpuState, KernelState, MmState, TaskState } from './state';

/** How a shared record is copied (the explorer's shape-aware copies, src/explore/kernel-copy.ts). */
export interface RecordCopier {
  cpu(c: CpuState): CpuState;
  task(t: TaskState): TaskState;
  mm(m: MmState): MmState;
}

const SHARED = new WeakMap<KernelState, RecordCopier>();

/** `s` shares its CPU, task and mm records: the next Kctx built on it copies them on first access. */
export function shareRecords(s: KernelState, copier: RecordCopier): void {
  SHARED.set(s, copier);
}

/**
 * The records of one apply() on a registered state: the registration is taken (the state's later
 * Kctxs, e.g. `enabled()`, see private records: the ones this op copied, or the parent's that no
 * op will write).
 */
export class CopyOnAccess {
  /** CPU records this op copied (or all, after `cpus()`). */
  private readonly cpuOwned: boolean[] = [];
  private allCpus = false;
  private readonly tasks = new Set<string>();
  private readonly mms = new Set<string>();
  private constructor(private readonly s: KernelState, private readonly copier: RecordCopier) {}

  static take(s: KernelState): CopyOnAccess | undefined {
    const copier = SHARED.get(s);
    if (copier === undefined) return undefined;
    SHARED.delete(s);
    return new CopyOnAccess(s, copier);
  }

  cpu(id: number): CpuState {
    const c = this.s.cpus[id];
    if (c === undefined || this.allCpus || this.cpuOwned[id] === true) return c;
    this.cpuOwned[id] = true;
    return (this.s.cpus[id] = this.copier.cpu(c));
  }

  /** Every CPU record, each private to this op (for loops that write any CPU). */
  cpus(): CpuState[] {
    if (!this.allCpus) {
      for (let id = 0; id < this.s.cpus.length; id++) this.cpu(id);
      this.allCpus = true;
    }
    return this.s.cpus;
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
