/**
 * sync-core-before-usermode C3.4 (x86): smp_text_poke_batch_finish() returns only after every online
 * CPU executed a core-serializing instruction after the poke.
 *
 * arch/x86/kernel/alternative.c smp_text_poke_batch_finish() writes each batch in three pokes and
 * after each calls smp_text_poke_sync_each_cpu(): `on_each_cpu(do_sync_core, NULL, 1)`, whose
 * handler is `sync_core()` ("...all CPUs [must] have observed the modification", the comment above
 * it); the SDM's cross-modifying-code rule (Vol. 3A 9.1.3: the other processors execute a
 * serializing instruction before they execute the modified code) is what it provides. A batch that
 * returns with a CPU not serialized since the write lets that CPU run stale or torn instructions.
 *
 * In the trace: the path `smp_text_poke_batch_finish` (the engine's text_poke op with sync; a lone
 * text_poke() is the path `text_poke` and promises nothing). The write is inside __text_poke(),
 * between use_temporary_mm() and unuse_temporary_mm(), and has no event of its own, so the reference
 * point is the first event of the path's unuse_temporary_mm() (its mm_cpumask clear: after the write,
 * before the CR3 write that serializes the poking CPU itself): a serialize must follow it. A CPU
 * that went offline or came online since then is not judged (on_each_cpu() covers the CPUs online
 * when it runs; a CPU brought up later fetches the new text fresh).
 */
import type { CpuId, TaskId, TraceEvent } from '../../src/trace/events';
import { Explanation, violation, type EventRef } from '../lib/explain';
import type { Mirror } from '../lib/mirror';
import type { Violation } from '../property';
import { Positions } from '../lib/state-key';

export const TEXT_POKE_BATCH_PATH = 'smp_text_poke_batch_finish';
export const TEXT_POKE_BATCH_CLAUSE = 'C3.4 text_poke batch returned before every online CPU serialized';

/** One batch in flight on a CPU (text_mutex: at most one in the whole machine). */
interface Batch {
  cpu: CpuId;
  task: TaskId;
  begin: EventRef;
  /** The first event of unuse_temporary_mm() (after the poke's write), once seen. */
  written: EventRef | null;
  /** CPUs whose online state changed since `written`. */
  hotplugged: CpuId[];
}

/** The batches in flight (C3.4's whole state: a plain value, copied by clone()). */
export class TextPokeBatches {
  private readonly open: Batch[];

  constructor(from?: TextPokeBatches) {
    this.open = from === undefined ? [] : from.open.map((b) => ({ ...b, hotplugged: [...b.hotplugged] }));
  }

  clone(): TextPokeBatches {
    return new TextPokeBatches(this);
  }

  /** The key: each batch's CPU, whether it wrote, and per CPU whether it serialized or was hotplugged since. */
  key(mirror: Mirror): string {
    return this.open
      .map((b) => {
        if (b.written === null) return `${b.cpu}:-`;
        const refs = new Positions();
        refs.add('w', b.written.i);
        const cpus = mirror.cpus.map((c) => (b.hotplugged.includes(c.id) ? 'h' : refs.pos(c.lastSerialize)));
        return `${b.cpu}:${cpus.join(',')}`;
      })
      .join(';');
  }

  /** Feeds one event (after the mirror applied it); a violation at a batch's end. */
  observe(mirror: Mirror, ev: TraceEvent, i: number): Violation | null {
    if (ev.k === 'path' && ev.fn === TEXT_POKE_BATCH_PATH) {
      if (ev.phase === 'begin') {
        this.open.push({ cpu: ev.cpu, task: ev.task, begin: { ev, i }, written: null, hotplugged: [] });
        return null;
      }
      const at = this.open.findIndex((b) => b.cpu === ev.cpu && b.task === ev.task);
      if (at < 0) return null;
      const [b] = this.open.splice(at, 1);
      return check(mirror, b, ev, i);
    }
    if ((ev.k === 'cpumask' || ev.k === 'load_mm' || ev.k === 'temp_mm') && ev.fn === 'unuse_temporary_mm') {
      const b = this.open.find((o) => o.cpu === ev.cpu);
      if (b !== undefined && b.written === null) b.written = { ev, i };
      return null;
    }
    if (ev.k === 'cpu_online') {
      for (const b of this.open) if (b.written !== null && !b.hotplugged.includes(ev.target)) b.hotplugged.push(ev.target);
    }
    return null;
  }
}

function check(mirror: Mirror, b: Batch, end: TraceEvent, i: number): Violation | null {
  const written = b.written;
  if (written === null) return null;
  const missed = mirror.cpus.filter((c) => c.online && !b.hotplugged.includes(c.id) && c.lastSerialize <= written.i);
  if (missed.length === 0) return null;
  const x = new Explanation();
  x.say(`${x.ev(end, i)}: smp_text_poke_batch_finish() on cpu${b.cpu} (begun at ${x.ref(b.begin)}) returns, but the poke written before ${x.ref(written)}`);
  x.say(`was not followed by a core-serializing instruction on ${missed.map((c) => `cpu${c.id} (last serialize: ${c.lastSerializeEv === null ? 'none' : x.ev(c.lastSerializeEv, c.lastSerialize)})`).join(', ')}.`);
  x.say(`smp_text_poke_sync_each_cpu() must run do_sync_core() on every online CPU and wait for it (on_each_cpu(..., 1)) before the batch returns, or a CPU may execute stale or torn instructions (cross-modifying code).`);
  return violation({ property: 'sync-core-before-usermode', clause: TEXT_POKE_BATCH_CLAUSE, index: i, mm: null, cpus: missed.map((c) => c.id) }, x);
}
