/**
 * The CPUs whose C6.1-C6.3 state changed since they were last checked: tlb-coherence marks a CPU
 * on the events that change its view and checks the marked ones when the step settles (x86 in
 * ../tlb-coherence.ts, powerpc/arm64 in ./tagged-tlb.ts). Plain data, so it clones and keys.
 */
import type { CpuId, TraceEvent } from '../../src/trace/events';
import type { Violation } from '../property';
import type { KeyContext } from '../lib/state-key';
import type { Mirror } from '../lib/mirror';

export class DirtyCpus {
  private constructor(
    private dirty: boolean[],
    private any: boolean,
  ) {}

  static of(cpus: number): DirtyCpus {
    return new DirtyCpus(new Array<boolean>(cpus).fill(false), false);
  }

  mark(cpu: CpuId | null): void {
    if (cpu === null) return;
    this.dirty[cpu] = true;
    this.any = true;
  }

  /**
   * Marks the CPU whose scheduler, MMU or cpumask view `ev` changed (called after the mirror applied
   * it): the CPU of a load_mm, lazy, temp_mm, switch_to or path event, the target of a cpumask or
   * cpu_online event, the CPU a task_mm's task runs on.
   */
  markChanged(ev: TraceEvent, mirror: Mirror): void {
    switch (ev.k) {
      case 'load_mm':
      case 'lazy':
      case 'temp_mm':
      case 'switch_to':
      case 'path':
        this.mark(ev.cpu);
        return;
      case 'cpumask':
      case 'cpu_online':
        this.mark(ev.target);
        return;
      case 'task_mm':
        this.mark(mirror.task(ev.task).onCpu);
        return;
      default:
    }
  }

  /** Checks (and unmarks) the marked CPUs in order; the first violation found. */
  settle(check: (cpu: CpuId) => Violation | null): Violation | null {
    if (!this.any) return null;
    this.any = false;
    for (let c = 0; c < this.dirty.length; c++) {
      if (!this.dirty[c]) continue;
      this.dirty[c] = false;
      const v = check(c);
      if (v !== null) return v;
    }
    return null;
  }

  clone(): DirtyCpus {
    return new DirtyCpus([...this.dirty], this.any);
  }

  /** The CPUs to check at the next settle, and the step that settle comes with. */
  key(k: KeyContext): string {
    return this.any ? `X${this.dirty.map((d) => (d ? 1 : 0)).join('')}@${k.stepCpu ?? '-'}` : 'x';
  }
}
