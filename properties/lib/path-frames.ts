/**
 * Which kernel paths are in flight, from `path` begin/end events.
 *
 * A path runs for a task (`path.task`): syscall-level paths (exit_mm, exec_mmap, kthread_use_mm,
 * membarrier, __mmput, ...) travel with their task when it is switched out mid-path (exit_mm's
 * mmput() may sleep, errata Part 1 E3) and resume on whatever CPU the task runs next; the context
 * switch itself (task = prev) stays on its CPU across switch_to(). So a frame is either *running* on
 * a CPU or *suspended* with its task. "CPU c has a path in flight" means a frame is running on c.
 * Every operation is O(frames on one CPU), which is a handful.
 */
import { SWITCH_PATHS, type CpuId, type PathEvent, type TaskId } from '../../src/trace/events';

/** One `path` begin not yet ended. */
export interface PathFrame {
  fn: string;
  task: TaskId;
  /** The CPU the path began on (named by its `local:<cpu>:<fn>` reference owners). */
  cpu: CpuId;
  /** Index of the begin event. */
  index: number;
  ev: PathEvent;
}

/** The paths in flight: running per CPU, suspended per task (see the file comment). */
export class PathFrames {
  /** Frames running on each CPU, innermost last. */
  private readonly running: PathFrame[][];
  /** Frames of switched-out tasks, innermost last. */
  private readonly suspended = new Map<TaskId, PathFrame[]>();
  /** Open frames (running or suspended) per task. */
  private readonly perTask = new Map<TaskId, number>();
  /** Open frames per CPU they began on. */
  private readonly begunOn: number[];
  private open = 0;

  constructor(cpus: number) {
    this.running = Array.from({ length: cpus }, () => []);
    this.begunOn = new Array<number>(cpus).fill(0);
  }

  /** An independent copy (frames are never mutated once made, so the lists are copied, not the frames). */
  clone(): PathFrames {
    const c = new PathFrames(0);
    const self = c as unknown as { running: PathFrame[][]; begunOn: number[]; suspended: Map<TaskId, PathFrame[]>; perTask: Map<TaskId, number>; open: number };
    self.running = this.running.map((s) => [...s]);
    self.begunOn = [...this.begunOn];
    for (const [t, l] of this.suspended) self.suspended.set(t, [...l]);
    for (const [t, n] of this.perTask) self.perTask.set(t, n);
    self.open = this.open;
    return c;
  }

  /** Number of paths in flight anywhere (running or suspended). */
  get total(): number {
    return this.open;
  }

  /** Whether a path is running on `cpu`. */
  inFlight(cpu: CpuId): boolean {
    return this.stack(cpu).length > 0;
  }

  /** The frames running on `cpu`, innermost last (do not mutate). */
  stack(cpu: CpuId): readonly PathFrame[] {
    return this.running[cpu] ?? [];
  }

  /** Whether `task` has a path in flight (running or suspended). */
  taskInPath(task: TaskId): boolean {
    return (this.perTask.get(task) ?? 0) > 0;
  }

  /** Whether a path that began on `cpu` is still in flight (wherever it runs now). */
  begunOnCpu(cpu: CpuId): boolean {
    return (this.begunOn[cpu] ?? 0) > 0;
  }

  begin(ev: PathEvent, index: number): void {
    this.ensureCpu(ev.cpu);
    this.running[ev.cpu].push({ fn: ev.fn, task: ev.task, cpu: ev.cpu, index, ev });
    this.perTask.set(ev.task, (this.perTask.get(ev.task) ?? 0) + 1);
    this.begunOn[ev.cpu]++;
    this.open++;
  }

  /** Ends the innermost matching frame; returns it, or null when no such path is in flight. */
  end(ev: PathEvent): PathFrame | null {
    this.ensureCpu(ev.cpu);
    const f =
      takeLast(this.running[ev.cpu], ev) ??
      takeLast(this.suspended.get(ev.task), ev) ??
      this.takeElsewhere(ev);
    if (f === null) return null;
    this.perTask.set(f.task, (this.perTask.get(f.task) ?? 1) - 1);
    this.begunOn[f.cpu]--;
    this.open--;
    return f;
  }

  /** switch_to(prev, next) on `cpu`: prev's own paths leave with it, next's come back. */
  switchTo(cpu: CpuId, prev: TaskId, next: TaskId): void {
    this.ensureCpu(cpu);
    const stack = this.running[cpu];
    if (stack.length > 0) {
      const keep: PathFrame[] = [];
      for (const f of stack) {
        if (f.task === prev && !SWITCH_PATHS.has(f.fn)) this.suspend(f);
        else keep.push(f);
      }
      if (keep.length !== stack.length) this.running[cpu] = keep;
    }
    const resumed = this.suspended.get(next);
    if (resumed !== undefined && resumed.length > 0) {
      this.suspended.delete(next);
      // Resumed task frames sit below the switch frames that are still running.
      this.running[cpu] = [...resumed, ...this.running[cpu]];
    }
  }

  private suspend(f: PathFrame): void {
    const list = this.suspended.get(f.task);
    if (list === undefined) this.suspended.set(f.task, [f]);
    else list.push(f);
  }

  private takeElsewhere(ev: PathEvent): PathFrame | null {
    for (const stack of this.running) {
      const f = takeLast(stack, ev);
      if (f !== null) return f;
    }
    return null;
  }

  private ensureCpu(cpu: CpuId): void {
    while (this.running.length <= cpu) {
      this.running.push([]);
      this.begunOn.push(0);
    }
  }
}

function takeLast(stack: PathFrame[] | undefined, ev: PathEvent): PathFrame | null {
  if (stack === undefined) return null;
  for (let j = stack.length - 1; j >= 0; j--) {
    const f = stack[j];
    if (f.fn === ev.fn && f.task === ev.task) {
      stack.splice(j, 1);
      return f;
    }
  }
  return null;
}
