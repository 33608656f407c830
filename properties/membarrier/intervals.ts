/**
 * Access intervals per CPU for the membarrier ordering property (kernel-model.md C4): user
 * intervals [user_enter, user_exit] of a task, and kthread intervals [kthread_access begin, end]
 * (scenario E: a kthread between kthread_use_mm() and kthread_unuse_mm() accesses user memory).
 * An interval's mm is the task's mm when it began. Open intervals extend to infinity.
 *
 * Closed intervals are kept only while some membarrier window is open (they cannot matter once no
 * call is between MB1 and MB5), so memory stays bounded by the windows' length.
 */
import type { CpuId, MmId, TaskId } from '../../src/trace/events';
import type { EventRef } from '../lib/explain';
import type { NameRenaming } from '../lib/state-key';

/** User mode, or a kthread between kthread_use_mm() and kthread_unuse_mm(). */
export type IntervalKind = 'user' | 'kthread';

/** A stretch of time in which a task on a CPU may access a user address space. */
export interface AccessInterval {
  cpu: CpuId;
  task: TaskId;
  mm: MmId;
  kind: IntervalKind;
  start: EventRef;
  /** null while still open. */
  end: EventRef | null;
}

/** The open and the recently closed intervals of every CPU. */
export class IntervalLog {
  private readonly open: Record<IntervalKind, (AccessInterval | null)[]> = { user: [], kthread: [] };
  private readonly closed: AccessInterval[][] = [];

  /** An independent copy (intervals are copied: end() mutates them). */
  clone(): IntervalLog {
    const c = new IntervalLog();
    const copy = (iv: AccessInterval | null | undefined) => (iv === null || iv === undefined ? iv : { ...iv });
    c.open.user = this.open.user.map(copy) as (AccessInterval | null)[];
    c.open.kthread = this.open.kthread.map(copy) as (AccessInterval | null)[];
    this.closed.forEach((l, cpu) => {
      if (l !== undefined) c.closed[cpu] = l.map((iv) => ({ ...iv }));
    });
    return c;
  }

  /** The open and closed intervals, their start and end indices written by `pos` (task, mm, kind kept; renamed by `rename` under symmetry reduction). */
  key(pos: (i: number) => string, rename?: NameRenaming): string {
    const r = (name: string) => (rename === undefined ? name : rename(name));
    const iv = (x: AccessInterval | null | undefined) => (x ? `${x.kind}/${r(x.task)}/${r(x.mm)}/${pos(x.start.i)}/${x.end === null ? '-' : pos(x.end.i)}` : '-');
    let out = '';
    for (const kind of ['user', 'kthread'] as const) out += `O${kind}:${this.open[kind].map(iv).join(',')} `;
    const closed: string[] = [];
    this.closed.forEach((l, cpu) => {
      if (l !== undefined && l.length > 0) closed.push(`${cpu}:${l.map(iv).join(';')}`);
    });
    return `${out}K${closed.join('|')}`;
  }

  begin(kind: IntervalKind, cpu: CpuId, task: TaskId, mm: MmId, start: EventRef): void {
    this.open[kind][cpu] = { cpu, task, mm, kind, start, end: null };
  }

  /** Closes the open interval of `kind` on `cpu`; keeps it when `keep` (a window is open). */
  end(kind: IntervalKind, cpu: CpuId, end: EventRef, keep: boolean): void {
    const iv = this.open[kind][cpu];
    if (iv === null || iv === undefined) return;
    this.open[kind][cpu] = null;
    if (!keep) return;
    iv.end = end;
    (this.closed[cpu] ??= []).push(iv);
  }

  /** The kthread interval open on `cpu` (a kthread between kthread_use_mm() and kthread_unuse_mm() running there), if any. */
  openKthread(cpu: CpuId): AccessInterval | null {
    return this.open.kthread[cpu] ?? null;
  }

  /** Drops every closed interval (no window is open any more). */
  discardClosed(): void {
    for (const list of this.closed) if (list !== undefined) list.length = 0;
  }

  /** The intervals on `cpu` that overlap the open window (tA, tC), oldest first. */
  overlapping(cpu: CpuId, tA: number, tC: number): AccessInterval[] {
    const out: AccessInterval[] = [];
    for (const iv of this.closed[cpu] ?? []) {
      if (iv.end !== null && iv.end.i > tA && iv.start.i < tC) out.push(iv);
    }
    for (const kind of ['user', 'kthread'] as const) {
      const iv = this.open[kind][cpu];
      if (iv !== null && iv !== undefined && iv.start.i < tC) out.push(iv);
    }
    return out;
  }
}
