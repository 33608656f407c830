/**
 * tlb-coherence (kernel-model.md C6.1-C6.4, errata Part 2 E2, E5, E6, E12): on x86 the
 * scheduler's view (current->mm / ->active_mm), the arch's view (cpu_tlbstate.loaded_mm, is_lazy)
 * and mm_cpumask agree whenever a CPU is between kernel paths, and TLB flushes reach every CPU
 * that can still use the stale translations.
 *
 * C6.1-C6.3 are checked for each CPU whose state changed, when the step that changed it settles
 * (./tlb/state-checks.ts); C6.4 at flush_done, user_enter and hardware page walks
 * (./tlb/freshness.ts); C6.5, no IPI-sending flush with IRQs off, at tlb_gen (./tlb/irqs-off-flush.ts).
 * powerpc and arm64 have their own rules (./tlb/tagged-tlb.ts, issue 12 item 7).
 *
 * Reads: load_mm, lazy, cpumask, temp_mm, switch_to, task_mm, path, cpu_online, tlb_gen,
 * flush_done, local_tlb_gen, mm_alloc, user_enter, deref.
 */
import type { CpuId, InitEvent, TraceEvent } from '../src/trace/events';
import type { Violation } from './property';
import type { Mirror } from './lib/mirror';
import type { KeyContext } from './lib/state-key';
import { defineMirrorProperty, type MirrorHooks } from './lib/mirror-property';
import { TlbFreshness } from './tlb/freshness';
import { checkCpuState, TLB_COHERENCE_ID } from './tlb/state-checks';
import { TaggedTlbCoherence } from './tlb/tagged-tlb';
import { DirtyCpus } from './tlb/dirty-cpus';
import { checkIrqsOffFlush, judgesIrqsOffFlush } from './tlb/irqs-off-flush';

/** The tlb-coherence hook object: all its state is in fields (MirrorHooks.clone()/key()). */
class TlbHooks implements MirrorHooks {
  constructor(
    private readonly mirror: Mirror,
    private readonly fresh: TlbFreshness,
    /** C6.5 is judged (x86 with IRQs tracked, no INVLPGB). */
    private readonly irqsOffFlush: boolean,
    /** CPUs whose C6.1-C6.3 state changed since they were last checked. */
    private readonly dirty = DirtyCpus.of(mirror.cpus.length),
  ) {}

  after(ev: TraceEvent, i: number): Violation | null {
    const { mirror, fresh } = this;
    this.dirty.markChanged(ev, mirror);
    switch (ev.k) {
      case 'load_mm':
        if (ev.flushed && ev.mm !== 'SWITCHING') fresh.setLocal(ev.cpu, ev.mm, mirror.mm(ev.mm).tlbGen, { ev, i });
        return null;
      case 'local_tlb_gen':
        fresh.setLocal(ev.cpu, ev.mm, ev.gen, { ev, i });
        return null;
      case 'mm_alloc':
        fresh.forget(ev.mm);
        return null;
      case 'flush_done':
        return fresh.onFlushDone(ev, i);
      case 'user_enter':
        return fresh.onUserEnter(ev, i);
      case 'deref':
        return fresh.onWalk(ev, i);
      case 'tlb_gen':
        return this.irqsOffFlush ? checkIrqsOffFlush(mirror, ev, i) : null;
      default:
        return null;
    }
  }

  settle(_cpu: CpuId, i: number): Violation | null {
    return this.dirty.settle((c) => checkCpuState(this.mirror, c, i));
  }

  clone(mirror: Mirror): TlbHooks {
    return new TlbHooks(mirror, this.fresh.clone(mirror), this.irqsOffFlush, this.dirty.clone());
  }

  /** The CPUs to check at the next settle (and the step it comes with), and the TLB generations. */
  key(k: KeyContext): string {
    return `${this.dirty.key(k)} ${this.fresh.key(k.rename)}`;
  }
}

function hooks(mirror: Mirror, init: InitEvent): MirrorHooks {
  // powerpc radix and arm64: tagged TLBs with broadcast flushes, under their own rules (./tlb/tagged-tlb.ts).
  if (init.arch !== 'x86') return new TaggedTlbCoherence(mirror, init);
  return new TlbHooks(mirror, new TlbFreshness(mirror, init), judgesIrqsOffFlush(init));
}

/** The tlb-coherence property (C6; x86, and powerpc/arm64 under their own rules). */
export const tlbCoherence = defineMirrorProperty({
  id: TLB_COHERENCE_ID,
  title: 'TLB-state coherence and freshness',
  reference:
    'kernel-model.md C6.1-C6.4 (errata Part 2 E2, E5, E6, E12); arch/x86/mm/tlb.c switch_mm_irqs_off(), enter_lazy_tlb(), flush_tlb_func(), native_flush_tlb_multi(); ' +
    'arch/powerpc/mm/book3s64/radix_tlb.c flush_type_needed(), exit_lazy_flush_tlb(); arm64 broadcast TLBI (no mm_cpumask)',
  appliesTo: () => true,
  hooks,
  symmetricKey: true,
});
