/**
 * sync-core-before-usermode (kernel-model.md C3.1-C3.3, errata Part 3 A5/A6): once
 * membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE) on mm M has returned 0, every CPU that runs
 * user code of M has executed a core-serializing instruction after the call's entry barrier.
 *
 * For a call C: tA = index of its `mb_start` (MB1), or of its `enter` when it has none (a
 * short-circuited call still promised serialization). At C's return, scFloor[M] = max(scFloor[M], tA)
 * and every CPU in user mode whose current task's mm is M must have a `serialize` after tA (the
 * running threads: the IPI must have reached and serialized them, the caller's CPU included). Later,
 * at every `user_enter` on CPU c of a task of M, c's last `serialize` must be after scFloor[M] (the
 * switch path must have serialized, C3.2). The engine emits an IRET's or PTI CR3 write's `serialize`
 * before the `user_enter` it belongs to.
 *
 * C3.4 (./sync-core/text-poke-batch.ts) is the kernel's other core-serialization promise: x86
 * smp_text_poke_batch_finish() returns only after every online CPU serialized after the poke.
 *
 * Reads: membarrier, membarrier_scan, serialize, user_enter, user_exit, switch_to, load_mm, task_mm;
 * for C3.4 path (smp_text_poke_batch_finish), cpumask / load_mm / temp_mm of unuse_temporary_mm, cpu_online.
 */
import type { CpuId, InitEvent, MmId, TraceEvent, UserEnterEvent } from '../src/trace/events';
import type { Violation } from './property';
import { Explanation, violation } from './lib/explain';
import { MembarrierCalls, returnValue, type CallRecord } from './lib/membarrier-calls';
import type { Mirror } from './lib/mirror';
import { defineMirrorProperty, type MirrorHooks } from './lib/mirror-property';
import { Positions, renamed, type KeyContext } from './lib/state-key';
import { TextPokeBatches } from './sync-core/text-poke-batch';

const ID = 'sync-core-before-usermode';

interface Floor {
  tA: number;
  call: CallRecord;
}

/** All the property's mutable state (the closures below read it; clone() copies it). */
interface SyncCoreState {
  calls: MembarrierCalls;
  /** scFloor per mm, with the call that raised it (messages). */
  floors: Map<MmId, Floor>;
  /** smp_text_poke_batch_finish() paths in flight (C3.4). */
  pokes: TextPokeBatches;
}

function copyState(s: SyncCoreState): SyncCoreState {
  const floors = new Map<MmId, Floor>();
  for (const [mm, f] of s.floors) floors.set(mm, { tA: f.tA, call: { ...f.call, scans: new Map(f.call.scans) } });
  return { calls: s.calls.clone(), floors, pokes: s.pokes.clone() };
}

/**
 * The key: the calls in flight, and the floors, the tA of SYNC_CORE calls in flight and every CPU's
 * last serialize written as positions among them (the only comparisons the property makes:
 * `lastSerialize > tA`, and the floor is the max of the tAs).
 */
function stateKey(s: SyncCoreState, mirror: Mirror, k: KeyContext): string {
  const refs = new Positions();
  for (const [mm, f] of s.floors) refs.add(`f:${renamed(k, mm)}`, f.tA);
  for (const c of s.calls.inFlight()) {
    if (c.cmd === 'PRIVATE_EXPEDITED_SYNC_CORE') refs.add(`c:${k.ids.call.name(c.call)}`, (c.mbStart ?? c.enter).i);
  }
  const ser = mirror.cpus.map((c) => (c === undefined ? '-' : refs.pos(c.lastSerialize)));
  return `${s.calls.key(k.ids, k.rename)} S${refs.order()}|${ser.join(',')} P${s.pokes.key(mirror)}`;
}

function hooks(mirror: Mirror, init: InitEvent, from?: SyncCoreState): MirrorHooks & { state: SyncCoreState } {
  const state: SyncCoreState = from === undefined ? { calls: new MembarrierCalls(), floors: new Map(), pokes: new TextPokeBatches() } : copyState(from);
  const { calls, floors, pokes } = state;

  function citeCall(x: Explanation, c: CallRecord): string {
    const steps = [c.enter, c.mbStart, c.ret].filter((r) => r !== null).map((r) => x.ref(r));
    return `membarrier(SYNC_CORE) call ${c.call} by ${c.task} on ${c.mm} (${steps.join(', ')})`;
  }

  /** How the task got onto the CPU: the switch_to, the last mm load, the last kernel entry. */
  function citeArrival(x: Explanation, cpu: CpuId, task: string): string {
    const c = mirror.cpu(cpu);
    return (
      `${task} got onto cpu${cpu} by ${x.ref(c.lastSwitchTo, 'no switch_to (it was there at boot)')}; ` +
      `cpu${cpu}'s last mm load is ${x.ref(c.lastLoadMm, 'none')} and its last kernel entry ${x.ref(c.lastUserExit, 'none')}.`
    );
  }

  function lastSerialize(x: Explanation, cpu: CpuId): string {
    const c = mirror.cpu(cpu);
    return c.lastSerializeEv === null ? 'none' : x.ev(c.lastSerializeEv, c.lastSerialize);
  }

  /** At the return: raise the floor, and check the CPUs already running user code of M (C3.1). */
  function onReturn(c: CallRecord, i: number): Violation | null {
    if (c.cmd !== 'PRIVATE_EXPEDITED_SYNC_CORE' || returnValue(c) !== 0 || c.mm === null) return null;
    const tA = (c.mbStart ?? c.enter).i;
    const f = floors.get(c.mm);
    if (f === undefined || f.tA < tA) floors.set(c.mm, { tA, call: c });
    for (const cpu of mirror.cpus) {
      if (cpu.mode !== 'user' || mirror.task(cpu.current).mm !== c.mm || cpu.lastSerialize > tA) continue;
      const x = new Explanation();
      x.say(`${citeCall(x, c)} returned while cpu${cpu.id} runs ${cpu.current} of ${c.mm} in user mode`);
      x.say(`(since ${x.ref(cpu.lastUserEnter, 'boot')}), and cpu${cpu.id}'s last serialize is ${lastSerialize(x, cpu.id)}, not after the entry barrier at event ${tA}.`);
      const scan = c.scans.get(cpu.id);
      x.say(scan ? `The scan ${x.ref(scan)} decided its IPI;` : `The call did not scan cpu${cpu.id};`);
      x.say(`a thread already in user mode must be interrupted by an IPI that serializes (ipi_sync_core()). ${citeArrival(x, cpu.id, cpu.current)}`);
      return violation({ property: ID, clause: 'C3.1 running thread not serialized', index: i, mm: c.mm, cpus: [cpu.id] }, x);
    }
    return null;
  }

  /** At a later entry to user mode: the CPU serialized after scFloor (C3.1/C3.2). */
  function onUserEnter(ev: UserEnterEvent, i: number): Violation | null {
    const mm = mirror.task(ev.task).mm;
    const f = mm === null ? undefined : floors.get(mm);
    const cpu = mirror.cpu(ev.cpu);
    if (f === undefined || cpu.lastSerialize > f.tA) return null;
    const x = new Explanation();
    x.say(`${citeCall(x, f.call)} promised that threads of ${mm} run user code only after a core-serializing instruction that follows event ${f.tA}.`);
    x.say(`But ${x.ev(ev, i)} enters user mode and cpu${ev.cpu}'s last serialize is ${lastSerialize(x, ev.cpu)}.`);
    x.say(citeArrival(x, ev.cpu, ev.task));
    const scan = f.call.scans.get(ev.cpu);
    if (scan !== undefined && scan.ev.k === 'membarrier_scan') {
      x.say(scan.ev.selected
        ? `The call IPI'd cpu${ev.cpu} (${x.ref(scan)}); its handler must sync_core() right away, even when it interrupts kernel mode (C3.3).`
        : `The call did not IPI cpu${ev.cpu} (${x.ref(scan)}), so the path back to user mode had to serialize.`);
    }
    const sw = cpu.lastSwitchTo;
    if (sw !== null && sw.i > f.tA && sw.ev.k === 'switch_to' && mirror.task(sw.ev.prev).type !== 'user') {
      x.say(`The switch from the kernel thread ${sw.ev.prev} (C3.2) did not serialize: when the mm switch writes no CR3, a kthread -> user switch back to the lazy mm relies on finish_task_switch()'s membarrier_mm_sync_core_before_usermode().`);
    }
    if (ev.via === 'sysret') x.say(`SYSRET does not serialize.`);
    return violation({ property: ID, clause: 'C3.1 user entry without core serialization', index: i, mm, cpus: [ev.cpu] }, x);
  }

  return {
    state,
    clone: (m: Mirror) => hooks(m, init, state),
    key: (k: KeyContext) => stateKey(state, mirror, k),
    after(ev: TraceEvent, i: number): Violation | null {
      const poke = pokes.observe(mirror, ev, i);
      if (poke !== null) return poke;
      if (ev.k === 'user_enter') return onUserEnter(ev, i);
      const c = calls.observe(ev, i);
      if (c === null || ev.k !== 'membarrier' || ev.phase !== 'return') return null;
      calls.forget(c.call);
      return onReturn(c, i);
    },
  };
}

/** The sync-core-before-usermode property (C3). */
export const syncCoreBeforeUsermode = defineMirrorProperty({
  id: ID,
  title: 'membarrier SYNC_CORE: core serialization before user mode (and after a text_poke batch)',
  reference:
    'kernel-model.md C3.1-C3.3 (errata Part 3 A5, A6); kernel/sched/membarrier.c ipi_sync_core(), include/linux/sched/mm.h membarrier_mm_sync_core_before_usermode(), Documentation/features/sched/membarrier-sync-core/arch-support.txt; C3.4: arch/x86/kernel/alternative.c smp_text_poke_sync_each_cpu()',
  appliesTo: () => true,
  hooks,
  symmetricKey: true,
});
