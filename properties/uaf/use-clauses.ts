/**
 * Which C2 clause an event breaks when it uses an mm that free_mm() already freed (kernel-model.md
 * C2.1-C2.4, C2.7): pointing a task or rq->prev_mm at it, loading it, dereferencing it, touching its
 * references or fields.
 */
import type { MmId, TraceEvent } from '../../src/trace/events';

/** A use of `mm` (null: the event's task_mm / task_new fields are checked by the caller). */
export interface Use {
  mm: MmId | null;
  clause: string;
  /** Verb phrase for the message: "loads", "writes to". */
  what: string;
}

/** Which clause a later use of a freed mm breaks, by event kind (null: the event is not a use). */
export function useClause(ev: TraceEvent): Use | null {
  switch (ev.k) {
    case 'task_mm':
    case 'task_new':
      return { mm: null, clause: 'C2.1 task points at a freed mm', what: 'points a task at' };
    case 'prev_mm':
      return { mm: ev.mm, clause: 'C2.2 rq->prev_mm is a freed mm', what: 'sets rq->prev_mm to' };
    case 'load_mm':
      return ev.mm === 'SWITCHING' ? null : { mm: ev.mm, clause: 'C2.3 loaded_mm is a freed mm', what: 'loads' };
    case 'deref':
      if (ev.who === 'nmi') return { mm: ev.mm, clause: 'C2.4 NMI read a freed mm', what: 'reads' };
      if (ev.who === 'walker') return { mm: ev.mm, clause: 'C2.3 page walk through a freed mm', what: 'walks the page tables of' };
      return { mm: ev.mm, clause: 'C2.1 kernel dereference of a freed mm', what: 'dereferences' };
    case 'ref':
    case 'ref_move':
    case 'mmdrop_begin':
      return { mm: ev.mm, clause: 'C2.1 reference on a freed mm', what: 'changes a reference of' };
    case 'mm_free':
      return { mm: ev.mm, clause: 'C2.1 freed twice', what: 'frees again' };
    case 'cpumask':
    case 'mm_membarrier_state':
    case 'tlb_gen':
    case 'local_tlb_gen':
    case 'mm_teardown':
      return { mm: ev.mm, clause: 'C2.1 write to a freed mm', what: 'writes to' };
    case 'hazard':
      return { mm: ev.mm, clause: 'C2.7 hazard pointer to a freed mm', what: `sets rq${ev.target}->${ev.slot} to` };
    case 'membarrier':
      return ev.phase === 'enter' ? { mm: ev.mm, clause: 'C2.1 kernel dereference of a freed mm', what: 'runs membarrier() on' } : null;
    default:
      return null;
  }
}
