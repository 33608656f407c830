/**
 * The property state that the state hash must cover but cannot read: the monitors keep it in
 * closures (properties/*.ts `hooks()`), so the explorer keeps a *shadow* of it, folded from the same
 * events in lockstep with the real checker. Only what can change a future verdict is kept; what
 * only feeds messages (EventRefs, scan decisions, `since`) is left out. Trace indices are kept raw
 * and written relative to what they are compared with when the key is made (./canonical.ts
 * Positions).
 *
 * One field per piece of closure state, named after it:
 * - the MirrorDriver's pending atomic step (`stepCpu`): the next event from another CPU, or a path
 *   begin, *settles* it, which runs refcount-balance's holder checks (if a reference event made
 *   them `due`) and tlb-coherence's C6.1-C6.3 checks of the CPUs it marked `dirty`;
 * - membarrier calls in flight (lib/membarrier-calls.ts, one per property, identical): command, mm,
 *   caller, the index of `enter` and of `mb_start`;
 * - sync-core-before-usermode: the per-mm floor tA (scFloor) of the last successful SYNC_CORE call;
 * - membarrier-ordering: the open windows (tA, covered mms) and the access-interval log (open
 *   intervals per CPU and kind, closed ones kept while a window is open);
 * - refcount-balance: the token ledger (mm -> (token, owner) -> count);
 * - tlb-coherence: the TLB freshness maps (per-CPU local generations, completed flush generations).
 *
 * This is a second reading of the property code, so it can drift when the properties change:
 * test/explore/soundness.test.ts compares merged states' futures and the search with and without
 * merging, and docs/explore.md lists exactly what is covered.
 */
import { MEMBARRIER_STATE, type CpuId, type InitEvent, type MmId, type TaskId, type TraceEvent } from '../trace/events';
import type { Mirror } from '../../properties/lib/mirror';
import { Positions, type Renamings } from './canonical';

/** Which properties are active (their shadow parts are kept and hashed). */
export interface ShadowParts {
  refcount: boolean;
  syncCore: boolean;
  ordering: boolean;
  tlb: boolean;
}

interface CallShadow {
  cmd: string;
  mm: MmId | null;
  task: TaskId;
  enter: number;
  mbStart: number | null;
}

interface Interval {
  task: TaskId;
  mm: MmId;
  kind: 'user' | 'kthread';
  start: number;
  end: number | null;
}

interface Window {
  tA: number;
  covered: string;
}

export class PropertyShadow {
  // The driver's step in progress: the CPU of the last event, or null.
  stepCpu: CpuId | null = null;
  /** refcount-balance: a holder check is due at the next settle. */
  due = false;
  /** tlb-coherence: CPUs whose C6.1-C6.3 state changed since the last settle. */
  dirty: boolean[];
  calls = new Map<number, CallShadow>();
  floors = new Map<MmId, number>();
  windows = new Map<number, Window>();
  open: { user: (Interval | null)[]; kthread: (Interval | null)[] } = { user: [], kthread: [] };
  closed: Interval[][] = [];
  /** mm -> "token\0owner" -> count. */
  ledger = new Map<MmId, Map<string, number>>();
  /** Per CPU: mm -> TLB generation it is up to date with. */
  local: Map<MmId, number>[];
  done = new Map<MmId, number>();
  doneFreed = new Map<MmId, number>();

  constructor(
    readonly parts: ShadowParts,
    init: InitEvent | null,
  ) {
    this.dirty = [];
    this.local = [];
    if (init === null) return; // clone()
    const ncpus = init.cpus.reduce((max, c) => Math.max(max, c.cpu + 1), 0);
    this.dirty = new Array<boolean>(ncpus).fill(false);
    if (parts.ordering) {
      const tasks = new Map(init.tasks.map((t) => [t.task, t]));
      for (const c of init.cpus) {
        const t = tasks.get(c.curr);
        if (t === undefined || t.mm === null) continue;
        if (c.mode === 'user') this.open.user[c.cpu] = { task: t.task, mm: t.mm, kind: 'user', start: 0, end: null };
        else if (t.type === 'kthread') this.open.kthread[c.cpu] = { task: t.task, mm: t.mm, kind: 'kthread', start: 0, end: null };
      }
    }
    if (parts.refcount) this.seedLedger(init);
    if (parts.tlb) {
      this.local = Array.from({ length: ncpus }, () => new Map(init.mms.map((m) => [m.mm, m.tlbGen])));
    }
  }

  /** properties/refcount/init-tokens.ts seedLedger(). */
  private seedLedger(init: InitEvent): void {
    const isStatic = new Set(init.mms.filter((m) => m.static).map((m) => m.mm));
    const listed = new Set(init.refs.filter((r) => r.token !== 'lazy').map((r) => r.mm));
    for (const r of init.refs) if (!isStatic.has(r.mm)) this.add(r.mm, r.token, r.owner);
    for (const m of init.mms) {
      if (m.static || listed.has(m.mm)) continue;
      if (m.users > 0) this.add(m.mm, 'users1', 'mm_users');
      for (const t of init.tasks) if (t.mm === m.mm) this.add(m.mm, t.type === 'kthread' ? 'grab' : 'users', `task:${t.task}`);
    }
  }

  private add(mm: MmId, token: string, owner: string): void {
    let m = this.ledger.get(mm);
    if (m === undefined) this.ledger.set(mm, (m = new Map()));
    const k = `${token}\u0000${owner}`;
    m.set(k, (m.get(k) ?? 0) + 1);
  }

  private remove(mm: MmId, token: string, owner: string): void {
    const m = this.ledger.get(mm);
    const k = `${token}\u0000${owner}`;
    const n = m?.get(k);
    if (m === undefined || n === undefined) return; // the real ledger reports a violation here
    if (n <= 1) m.delete(k);
    else m.set(k, n - 1);
  }

  /**
   * Fold event `i`, after the real checker observed it (so `mirror` shows the state after it, as
   * the properties' `after` hooks see it). Not called for `init`.
   */
  fold(ev: TraceEvent, i: number, mirror: Mirror): void {
    const p = this.parts;
    // MirrorDriver.observe(): settle the previous step first.
    if (this.stepCpu !== null && (ev.cpu !== this.stepCpu || (ev.k === 'path' && ev.phase === 'begin'))) {
      this.stepCpu = null;
      this.due = false;
      this.dirty.fill(false);
    }
    switch (ev.k) {
      case 'ref':
        if (p.refcount) {
          this.due = true;
          if (!mirror.isStatic(ev.mm)) {
            if (ev.delta > 0) this.add(ev.mm, ev.token, ev.owner);
            else this.remove(ev.mm, ev.token, ev.owner);
          }
        }
        break;
      case 'ref_move':
        if (p.refcount) {
          this.due = true;
          if (!mirror.isStatic(ev.mm)) {
            this.remove(ev.mm, ev.token, ev.from);
            this.add(ev.mm, ev.token, ev.to);
          }
        }
        break;
      case 'mm_alloc':
        if (p.refcount) {
          this.ledger.delete(ev.mm);
          this.add(ev.mm, 'users', ev.owner);
          this.add(ev.mm, 'users1', 'mm_users');
        }
        if (p.tlb) {
          for (const c of this.local) c?.delete(ev.mm);
          this.done.delete(ev.mm);
          this.doneFreed.delete(ev.mm);
        }
        break;
      case 'path':
      case 'switch_to':
        if (p.refcount) this.due = true;
        if (p.tlb) this.mark(ev.cpu);
        break;
      case 'task_mm':
        if (p.refcount) this.due = true;
        if (p.tlb) this.mark(mirror.task(ev.task).onCpu);
        break;
      case 'prev_mm':
        if (p.refcount) this.due = true;
        break;
      case 'load_mm':
        if (p.tlb) {
          this.mark(ev.cpu);
          if (ev.flushed && ev.mm !== 'SWITCHING') this.setLocal(ev.cpu, ev.mm, mirror.mm(ev.mm).tlbGen);
        }
        break;
      case 'local_tlb_gen':
        if (p.tlb) this.setLocal(ev.cpu, ev.mm, ev.gen);
        break;
      case 'lazy':
      case 'temp_mm':
        if (p.tlb) this.mark(ev.cpu);
        break;
      case 'cpumask':
      case 'cpu_online':
        if (p.tlb) this.mark(ev.target);
        break;
      case 'flush_done':
        if (p.tlb) {
          if ((this.done.get(ev.mm) ?? -1) < ev.gen) this.done.set(ev.mm, ev.gen);
          if (ev.freedTables && (this.doneFreed.get(ev.mm) ?? -1) < ev.gen) this.doneFreed.set(ev.mm, ev.gen);
        }
        break;
      case 'user_enter':
        if (p.ordering) {
          const mm = mirror.task(ev.task).mm;
          if (mm !== null) this.open.user[ev.cpu] = { task: ev.task, mm, kind: 'user', start: i, end: null };
        }
        break;
      case 'user_exit':
        if (p.ordering) this.endInterval('user', ev.cpu, i);
        break;
      case 'kthread_access':
        if (p.ordering) {
          if (ev.phase === 'begin') this.open.kthread[ev.cpu] = { task: ev.task, mm: ev.mm, kind: 'kthread', start: i, end: null };
          else this.endInterval('kthread', ev.cpu, i);
        }
        break;
      case 'membarrier':
        if (p.syncCore || p.ordering) this.onMembarrier(ev, i, mirror);
        break;
      default:
        break;
    }
    this.stepCpu = ev.cpu;
  }

  private mark(cpu: CpuId | null): void {
    if (cpu !== null) this.dirty[cpu] = true;
  }

  private setLocal(cpu: CpuId, mm: MmId, gen: number): void {
    (this.local[cpu] ??= new Map()).set(mm, gen);
  }

  /** membarrier-ordering IntervalLog.end(): kept only while a window is open. */
  private endInterval(kind: 'user' | 'kthread', cpu: CpuId, i: number): void {
    const iv = this.open[kind][cpu];
    if (iv === null || iv === undefined) return;
    this.open[kind][cpu] = null;
    if (this.windows.size === 0) return;
    (this.closed[cpu] ??= []).push({ ...iv, end: i });
  }

  private onMembarrier(ev: Extract<TraceEvent, { k: 'membarrier' }>, i: number, mirror: Mirror): void {
    let c = this.calls.get(ev.call);
    if (c === undefined || ev.phase === 'enter') {
      c = { cmd: ev.cmd, mm: ev.mm, task: ev.task, enter: i, mbStart: null };
      this.calls.set(ev.call, c);
    }
    if (ev.phase === 'mb_start') {
      c.mbStart = i;
      if (this.parts.ordering) this.windows.set(ev.call, { tA: i, covered: coveredMms(mirror, c) });
    } else if (ev.phase === 'mb_end') {
      if (this.parts.ordering && this.windows.delete(ev.call) && this.windows.size === 0) {
        for (const list of this.closed) if (list !== undefined) list.length = 0;
      }
    } else if (ev.phase === 'return') {
      this.calls.delete(ev.call);
      if (this.parts.syncCore && c.cmd === 'PRIVATE_EXPEDITED_SYNC_CORE' && (ev.ret ?? 0) === 0 && c.mm !== null) {
        const tA = c.mbStart ?? c.enter;
        const f = this.floors.get(c.mm);
        if (f === undefined || f < tA) this.floors.set(c.mm, tA);
      }
    }
  }

  clone(): PropertyShadow {
    const s = new PropertyShadow(this.parts, null);
    s.stepCpu = this.stepCpu;
    s.due = this.due;
    s.dirty = [...this.dirty];
    for (const [k, c] of this.calls) s.calls.set(k, { ...c });
    s.floors = new Map(this.floors);
    s.windows = new Map(this.windows);
    s.open = { user: this.open.user.map((iv) => (iv ? { ...iv } : iv)), kthread: this.open.kthread.map((iv) => (iv ? { ...iv } : iv)) };
    s.closed = this.closed.map((l) => (l ? l.map((iv) => ({ ...iv })) : l));
    for (const [mm, m] of this.ledger) s.ledger.set(mm, new Map(m));
    s.local = this.local.map((m) => new Map(m));
    s.done = new Map(this.done);
    s.doneFreed = new Map(this.doneFreed);
    return s;
  }

  /**
   * The key of the shadow, with the index-valued parts of `mirror` (lastMb, lastSerialize). Ids
   * are renamed; trace indices are written only as their order relative to the *reference points*
   * they are ever compared with (./canonical.ts Positions):
   * - membarrier-ordering compares lastMb and interval starts/ends only with the tA of an open
   *   window (`lastMb > tA`, `start > tA`, `end > tA`; tC is the current index, above all);
   * - sync-core-before-usermode compares lastSerialize only with the floors and with the tA of a
   *   SYNC_CORE call in flight, and those with each other (the floor is the max of the tAs).
   * Any later index is above every one of them, so this order decides every later comparison.
   */
  key(ids: Renamings, mirror: Mirror): string {
    const p = this.parts;
    // The pending step matters only if its settle will check something (refcount's due holder
    // check, tlb-coherence's dirty CPUs); otherwise settling it is a no-op.
    const due = p.refcount && this.due;
    const dirty = p.tlb && this.dirty.includes(true);
    const out: string[] = [`s${due || dirty ? (this.stepCpu ?? '-') : '-'}`];
    if (p.refcount) {
      out.push(due ? 'D' : 'd');
      const mms = [...this.ledger.keys()].sort();
      for (const mm of mms) {
        const m = this.ledger.get(mm) as Map<string, number>;
        if (m.size === 0) continue;
        out.push(`L${mm}:${[...m].map(([k, n]) => `${k}*${n}`).sort().join(',')}`);
      }
    }
    if (p.tlb) {
      out.push(`X${this.dirty.map((d) => (d ? 1 : 0)).join('')}`);
      this.local.forEach((m, cpu) => out.push(`G${cpu}:${sortedEntries(m)}`));
      out.push(`F${sortedEntries(this.done)}`, `R${sortedEntries(this.doneFreed)}`);
    }
    if (p.syncCore || p.ordering) {
      const calls = [...this.calls].map(([id, c]) => `${ids.call.name(id)}=${c.cmd}/${c.mm}/${c.task}/${c.mbStart === null ? 'e' : 'm'}`);
      out.push(`C${calls.sort().join(',')}`);
    }
    if (p.syncCore) {
      const refs = new Positions();
      for (const [mm, tA] of this.floors) refs.add(`f:${mm}`, tA);
      for (const [id, c] of this.calls) {
        if (c.cmd === 'PRIVATE_EXPEDITED_SYNC_CORE') refs.add(`c:${ids.call.name(id)}`, c.mbStart ?? c.enter);
      }
      const ser = mirror.cpus.map((c) => (c === undefined ? '-' : refs.pos(c.lastSerialize)));
      out.push(`S${refs.order()}|${ser.join(',')}`);
    }
    if (p.ordering) {
      const refs = new Positions();
      for (const [id, w] of this.windows) refs.add(`w:${ids.call.name(id)}:${w.covered}`, w.tA);
      const none = this.windows.size === 0;
      const pos = (i: number) => (none ? '' : refs.pos(i));
      const mb = mirror.cpus.map((c) => (c === undefined ? '-' : pos(c.lastMb)));
      out.push(`W${refs.order()}|${mb.join(',')}`);
      const iv = (x: Interval | null | undefined) => (x ? `${x.kind}/${x.task}/${x.mm}/${pos(x.start)}/${x.end === null ? '-' : pos(x.end)}` : '-');
      for (const kind of ['user', 'kthread'] as const) out.push(`O${kind}:${this.open[kind].map(iv).join(',')}`);
      out.push(`K${this.closed.map((l) => (l ? l.map(iv).join(';') : '')).join('|')}`);
    }
    return out.join(' ');
  }
}

function sortedEntries(m: Map<string, number>): string {
  return [...m].map(([k, v]) => `${k}=${v}`).sort().join(',');
}

/** membarrier-ordering coveredMms(): the call's mm, or every GLOBAL_EXPEDITED_READY live mm. */
function coveredMms(mirror: Mirror, c: CallShadow): string {
  if (c.cmd !== 'GLOBAL_EXPEDITED') return c.mm ?? '';
  const out: string[] = [];
  for (const m of mirror.mms.values()) {
    if (!m.freed && (m.membarrierState & MEMBARRIER_STATE.GLOBAL_EXPEDITED_READY) !== 0) out.push(m.id);
  }
  return out.sort().join('+');
}
