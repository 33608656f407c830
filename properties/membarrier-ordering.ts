/**
 * membarrier-ordering (kernel-model.md C4 and C4.1, errata Part 3 A1-A3): after an expedited
 * membarrier() returns, every access by another thread of a covered mm is ordered with the caller's
 * accesses: it is either after a full barrier that follows MB1, or before one that precedes MB5.
 *
 * For each call that reached MB5 (a short-circuited call has no barriers and no window), with tA =
 * its `mb_start` and tC = its `mb_end`: covered mms are the call's mm (PRIVATE_EXPEDITED,
 * PRIVATE_EXPEDITED_SYNC_CORE, PRIVATE_EXPEDITED_RSEQ) or every mm with GLOBAL_EXPEDITED_READY at
 * mb_start (GLOBAL_EXPEDITED). For every interval of a covered mm on any CPU c, by a task other
 * than the caller (errata A3: exclude the caller thread, not the caller CPU), that overlaps (tA, tC),
 * kernel-model.md requires an `mb` on c strictly between tA and the interval start, or one after
 * the interval end and before tC. Since user mode executes no `mb`, this is the same as "c executed
 * an `mb` in (tA, tC)"; that form is also right for kthread intervals, which an IPI barrier splits
 * without ending them. Evaluated at `mb_end`.
 *
 * C4.1 (a separate clause, expected to fail on 6.17): see ./membarrier/rq-state.ts.
 * C4.2 (the caller's own MB1 and MB5, scenarios A and B): see ./membarrier/caller-barriers.ts.
 * C4.3 (after an update the scan missed, the barrier must follow it): see ./membarrier/missed-updates.ts.
 * C4.4 (no -EPERM after the registration returned) and C4.6 (no success without the READY bit):
 * see ./membarrier/registered.ts.
 * C4.5 (a short-circuited call had nothing to order): see ./membarrier/short-circuit.ts.
 *
 * Reads: membarrier, membarrier_register, membarrier_scan, mb, user_enter, user_exit, kthread_access,
 * mm_membarrier_state, rq_membarrier_state, rq_curr, switch_to, task_mm.
 */
import { MEMBARRIER_STATE, type InitEvent, type MmId, type TraceEvent } from '../src/trace/events';
import type { Violation } from './property';
import { Explanation, violation, type EventRef } from './lib/explain';
import { MembarrierCalls, type CallRecord } from './lib/membarrier-calls';
import type { Mirror } from './lib/mirror';
import { defineMirrorProperty, type MirrorHooks, type MirrorProperty } from './lib/mirror-property';
import { Positions, renamed, type KeyContext } from './lib/state-key';
import { IntervalLog, type AccessInterval } from './membarrier/intervals';
import { missingPairing } from './membarrier/pairing';
import { checkRqState } from './membarrier/rq-state';
import { checkCallerBarrier } from './membarrier/caller-barriers';
import { checkShortCircuit } from './membarrier/short-circuit';
import { checkRegistered, checkUnregistered, copyRegistrations, noteRegistration, registrationsKey, type Registrations } from './membarrier/registered';
import { missedUpdateBefore, MISSED_UPDATE_CLAUSE, MISSED_UPDATE_WHY, noteUpdate, scannedUpdateCpu, watchSkipped, type MissedUpdates } from './membarrier/missed-updates';

const ID = 'membarrier-ordering';

/** Options of {@link createMembarrierOrdering}. */
export interface MembarrierOrderingOptions {
  /**
   * Check C4.1 (stale rq->membarrier_state for GLOBAL_EXPEDITED). Default true. Current mainline is
   * believed to violate it (errata Part 3 A1), which hides later C4 findings of the same run: turn
   * it off to look for C4 failures past it.
   */
  rqStateClause?: boolean;
  /** Check C4.2 (the caller's own MB1 and MB5). Default true; off only for synthetic traces. */
  callerBarrierClause?: boolean;
  /** Check C4.3 (the barrier follows an update the scan missed). Default true; off only for synthetic traces. */
  missedUpdateClause?: boolean;
  /** Check C4.4 (no -EPERM after the registration returned) and C4.6 (no success without READY). Default true; off only for synthetic traces. */
  registeredClause?: boolean;
  /** Check C4.5 (a short-circuited call had no other CPU accessing a covered mm: user mode, or a kthread in kthread_use_mm()). Default true. */
  shortCircuitClause?: boolean;
}

interface Window {
  call: CallRecord;
  tA: number;
  covered: ReadonlySet<MmId>;
  /** C4.3: the CPUs the scan skipped and the first update each made after it. */
  missed: MissedUpdates;
}

function coveredMms(mirror: Mirror, c: CallRecord): Set<MmId> {
  if (c.cmd !== 'GLOBAL_EXPEDITED') return new Set(c.mm === null ? [] : [c.mm]);
  const out = new Set<MmId>();
  for (const m of mirror.mms.values()) {
    if (!m.freed && (m.membarrierState & MEMBARRIER_STATE.GLOBAL_EXPEDITED_READY) !== 0) out.add(m.id);
  }
  return out;
}

/** All the property's mutable state (the closures read it; clone() copies it). */
interface OrderingState {
  calls: MembarrierCalls;
  /** Open windows (between MB1 and MB5) by call id; `call` is the record in `calls`. */
  windows: Map<number, Window>;
  log: IntervalLog;
  /** C4.4: the registrations that returned, per mm and command. */
  registrations: Registrations;
}

function copyState(s: OrderingState): OrderingState {
  const calls = s.calls.clone();
  const windows = new Map<number, Window>();
  for (const [id, w] of s.windows) windows.set(id, { tA: w.tA, covered: new Set(w.covered), missed: new Map(w.missed), call: calls.get(id) ?? { ...w.call, scans: new Map(w.call.scans) } });
  return { calls, windows, log: s.log.clone(), registrations: copyRegistrations(s.registrations) };
}

/** The last scan of a call (C4.2's reference point at MB5), as checkCallerBarrier() reads it. */
function mb5After(c: CallRecord): number {
  let last = -1;
  for (const r of c.scans.values()) if (r.i > last) last = r.i;
  return last >= 0 ? last : (c.mbStart ?? c.enter).i;
}

/**
 * The key: the calls in flight; every CPU's last barrier written relative to the open windows' tA
 * (C4: `lastMb > tA`) and to the calls' C4.2 reference points (`lastMb > enter` before MB1,
 * `lastMb > last scan` before MB5); the intervals relative to the windows' tA (`start > tA`,
 * `end > tA`; tC, the current index, is above all); C4.3's watched CPUs and their first missed
 * update, placed among both (interval starts and the CPUs' last barriers are compared with it);
 * C4.4's registrations and which calls in flight entered before theirs returned.
 */
function stateKey(s: OrderingState, mirror: Mirror, k: KeyContext): string {
  const wins = new Positions();
  for (const [id, w] of s.windows) wins.add(`w:${k.ids.call.name(id)}:${[...w.covered].map((mm) => renamed(k, mm)).sort().join('+')}`, w.tA);
  const mbRefs = new Positions();
  for (const [id, w] of s.windows) mbRefs.add(`w:${k.ids.call.name(id)}`, w.tA);
  const watching: string[] = [];
  for (const [id, w] of s.windows) {
    for (const [cpu, u] of w.missed) {
      const label = `u:${k.ids.call.name(id)}:${cpu}`;
      if (u === null) watching.push(label);
      else {
        wins.add(label, u.i);
        mbRefs.add(label, u.i);
      }
    }
  }
  for (const c of s.calls.inFlight()) {
    if (c.mbStart === null) mbRefs.add(`e:${k.ids.call.name(c.call)}`, c.enter.i);
    else if (c.mbEnd === null) mbRefs.add(`s:${k.ids.call.name(c.call)}`, mb5After(c));
  }
  const mb = mirror.cpus.map((c) => (c === undefined ? '-' : mbRefs.pos(c.lastMb)));
  const ivPos = (i: number) => wins.pos(i);
  return `${s.calls.key(k.ids, k.rename)} W${wins.order()}|${mbRefs.order()}|${mb.join(',')}|${watching.sort().join(',')} ${s.log.key(ivPos, k.rename)} R${registrationsKey(s.registrations, s.calls.inFlight(), k.ids, k.rename)}`;
}

function makeHooks(options: MembarrierOrderingOptions) {
  const rqState = options.rqStateClause ?? true;
  const callerBarriers = options.callerBarrierClause ?? true;
  const missedUpdates = options.missedUpdateClause ?? true;
  const registered = options.registeredClause ?? true;
  const shortCircuit = options.shortCircuitClause ?? true;
  const hooks = (mirror: Mirror, init: InitEvent, from?: OrderingState): MirrorHooks & { state: OrderingState } => {
    const state: OrderingState = from === undefined ? { calls: new MembarrierCalls(), windows: new Map(), log: new IntervalLog(), registrations: new Map() } : copyState(from);
    const { calls, windows, log, registrations } = state;
    if (from === undefined) {
      for (const c of init.cpus) {
        const t = mirror.task(c.curr);
        if (c.mode === 'user' && t.mm !== null) log.begin('user', c.cpu, t.id, t.mm, { ev: init, i: 0 });
        else if (t.type === 'kthread' && t.mm !== null) log.begin('kthread', c.cpu, t.id, t.mm, { ev: init, i: 0 });
      }
    }

    function explain(w: Window, iv: AccessInterval, tC: number, i: number, update: EventRef | null): Violation {
      const x = new Explanation();
      const c = w.call;
      const cpu = mirror.cpu(iv.cpu);
      const what = iv.kind === 'user' ? 'ran user code' : 'accessed user memory through kthread_use_mm()';
      x.say(`membarrier(${c.cmd}) call ${c.call} by ${c.task}: entry barrier MB1 ${x.ref(c.mbStart)}, exit barrier MB5 ${x.ref(c.mbEnd)}.`);
      x.say(`On cpu${iv.cpu}, ${iv.task} (${iv.mm}) ${what} from ${x.ref(iv.start)} to ${iv.end === null ? 'past the end of the call' : x.ref(iv.end)},`);
      const floor = update === null ? `event ${w.tA}` : x.ref(update);
      x.say(`overlapping the window, and cpu${iv.cpu} executed no full barrier between ${floor} and event ${tC}`);
      x.say(`(its last barrier is ${cpu.lastMbEv === null ? 'none' : x.ev(cpu.lastMbEv, cpu.lastMb)}).`);
      const scan = c.scans.get(iv.cpu);
      x.say(scan ? `The scan ${x.ref(scan)}.` : `The call never scanned cpu${iv.cpu}.`);
      const p = update === null ? missingPairing(iv, w.tA, tC) : { clause: MISSED_UPDATE_CLAUSE, why: MISSED_UPDATE_WHY };
      x.say(p.why);
      return violation({ property: ID, clause: p.clause, index: i, mm: iv.mm, cpus: [iv.cpu] }, x);
    }

    /**
     * At MB5: every CPU with an overlapping interval of another thread had a barrier in (tA, tC);
     * C4.3: after the update the scan missed, if the interval started after one.
     */
    function evaluate(w: Window, i: number): Violation | null {
      for (const cpu of mirror.cpus) {
        if (cpu.lastMb > w.tA && (!missedUpdates || !w.missed.has(cpu.id))) continue;
        for (const iv of log.overlapping(cpu.id, w.tA, i)) {
          if (iv.task === w.call.task || !w.covered.has(iv.mm)) continue;
          const update = missedUpdates ? missedUpdateBefore(w.missed, iv) : null;
          if (cpu.lastMb > Math.max(w.tA, update?.i ?? -1)) continue;
          // No barrier at all since MB1 is C4's own finding; a barrier only before the update is C4.3's.
          return explain(w, iv, i, i, cpu.lastMb > w.tA ? update : null);
        }
      }
      return null;
    }

    return {
      state,
      clone: (m: Mirror) => hooks(m, init, state),
      key: (k: KeyContext) => stateKey(state, mirror, k),
      before(ev: TraceEvent, i: number): Violation | null {
        if (!missedUpdates || windows.size === 0) return null;
        const cpu = scannedUpdateCpu(mirror, ev);
        if (cpu !== null) noteUpdate([...windows.values()].map((w) => w.missed), cpu, { ev, i });
        return null;
      },
      after(ev: TraceEvent, i: number): Violation | null {
        switch (ev.k) {
          case 'user_enter': {
            const mm = mirror.task(ev.task).mm;
            if (mm !== null) log.begin('user', ev.cpu, ev.task, mm, { ev, i });
            return rqState ? checkRqState(ID, mirror, ev.cpu, i, { ev, i }) : null;
          }
          case 'user_exit':
            log.end('user', ev.cpu, { ev, i }, windows.size > 0);
            return null;
          case 'kthread_access':
            if (ev.phase === 'begin') log.begin('kthread', ev.cpu, ev.task, ev.mm, { ev, i });
            else log.end('kthread', ev.cpu, { ev, i }, windows.size > 0);
            return null;
          case 'rq_membarrier_state':
            return rqState ? checkRqState(ID, mirror, ev.cpu, i, { ev, i }) : null;
          case 'mm_membarrier_state': {
            if (!rqState) return null;
            for (const cpu of mirror.cpus) {
              if (mirror.task(cpu.current).mm !== ev.mm) continue;
              const v = checkRqState(ID, mirror, cpu.id, i, { ev, i });
              if (v !== null) return v;
            }
            return null;
          }
          case 'membarrier_register':
            noteRegistration(registrations, ev, i);
            return null;
          case 'membarrier':
          case 'membarrier_scan': {
            const c = calls.observe(ev, i);
            // The scanning CPU itself is "in program order with respect to the caller thread"
            // (membarrier_global_expedited() skips it): only a skipped remote CPU is watched.
            if (c !== null && ev.k === 'membarrier_scan' && !ev.selected && ev.target !== ev.cpu) {
              const w = windows.get(c.call);
              if (w !== undefined) watchSkipped(w.missed, ev.target);
            }
            if (c === null || ev.k !== 'membarrier') return null;
            if (ev.phase === 'mb_start') {
              windows.set(c.call, { call: c, tA: i, covered: coveredMms(mirror, c), missed: new Map() });
              return callerBarriers ? checkCallerBarrier(ID, mirror, c, 'mb_start', ev.cpu, i) : null;
            }
            if (ev.phase === 'return') {
              calls.forget(c.call);
              return (
                (registered ? (checkRegistered(ID, registrations, c, ev.ret, i) ?? checkUnregistered(ID, mirror, c, ev.ret, i)) : null) ??
                (shortCircuit ? checkShortCircuit(ID, mirror, log, c, ev, i, coveredMms(mirror, c)) : null)
              );
            }
            if (ev.phase !== 'mb_end') return null;
            const w = windows.get(c.call);
            if (w === undefined) return null;
            const v = (callerBarriers ? checkCallerBarrier(ID, mirror, c, 'mb_end', ev.cpu, i) : null) ?? evaluate(w, i);
            windows.delete(c.call);
            if (windows.size === 0) log.discardClosed();
            return v;
          }
          default:
            return null;
        }
      },
    };
  };
  return hooks;
}

/** The membarrier-ordering property with `options` (see {@link MembarrierOrderingOptions}). */
export function createMembarrierOrdering(options: MembarrierOrderingOptions = {}): MirrorProperty {
  return defineMirrorProperty({
    id: ID,
    title: 'membarrier {PRIVATE,GLOBAL}_EXPEDITED memory ordering',
    reference:
      'kernel-model.md C4, C4.1 (errata Part 3 A1-A3); kernel/sched/membarrier.c ordering scenarios A-E, membarrier_private_expedited(), membarrier_global_expedited(); kernel/sched/core.c context_switch() membarrier_switch_mm()',
    appliesTo: () => true,
    hooks: makeHooks(options),
    symmetricKey: true,
  });
}

/** membarrier-ordering with every clause, C4.1 included. */
export const membarrierOrdering = createMembarrierOrdering();
