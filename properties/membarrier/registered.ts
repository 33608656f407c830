/**
 * C4.4: a command does not return -EPERM after its registration returned for the caller's mm.
 *
 * man membarrier(2): MEMBARRIER_CMD_PRIVATE_EXPEDITED (and its SYNC_CORE and RSEQ forms) "returns
 * EPERM" when used "without having registered intention first"; a process that registered gets the
 * command. kernel/sched/membarrier.c: membarrier_private_expedited() returns -EPERM when
 * `!(atomic_read(&mm->membarrier_state) & MEMBARRIER_STATE_..._READY)`, and
 * membarrier_register_private_expedited() returns 0 only after `atomic_or(ready_state,
 * &mm->membarrier_state)` (or when that bit was already set). So a call on the mm that enters after
 * a registration of the same command returned must find the bit. The registration is read from its
 * own `membarrier_register` `return` event, not from `mm_membarrier_state`, so a registration that
 * returns without setting the bit is caught. An exec gives the task a new mm, unregistered.
 */
import { MEMBARRIER_READY, type MembarrierCmd, type MembarrierEvent, type MembarrierRegisterEvent, type MmId } from '../../src/trace/events';
import type { Violation } from '../property';
import type { Mirror } from '../lib/mirror';
import { Explanation, violation, type EventRef } from '../lib/explain';
import type { CallRecord } from '../lib/membarrier-calls';
import type { NameRenaming, Renamings } from '../lib/state-key';

export const REGISTERED_CLAUSE = 'C4.4 -EPERM after the registration returned';
export const UNREGISTERED_CLAUSE = 'C4.6 success without the READY bit';

/** Per mm, per registered command, the registration's `return` event. */
export type Registrations = Map<MmId, Map<MembarrierCmd, EventRef>>;

export function copyRegistrations(r: Registrations): Registrations {
  return new Map([...r].map(([mm, cmds]) => [mm, new Map(cmds)]));
}

/** Records a registration at its `return` (the first one of a command counts). */
export function noteRegistration(r: Registrations, ev: MembarrierRegisterEvent, i: number): void {
  if (ev.phase !== 'return') return;
  let cmds = r.get(ev.mm);
  if (cmds === undefined) r.set(ev.mm, (cmds = new Map()));
  if (!cmds.has(ev.cmd)) cmds.set(ev.cmd, { ev, i });
}

/** At a call's `return` (index `i`): -EPERM although the command was registered before it entered. */
export function checkRegistered(property: string, r: Registrations, c: CallRecord, ret: number | undefined, i: number): Violation | null {
  if (ret !== -1 || c.mm === null) return null;
  const reg = r.get(c.mm)?.get(c.cmd);
  if (reg === undefined || reg.i >= c.enter.i) return null;
  const x = new Explanation();
  x.say(`membarrier(${c.cmd}) call ${c.call} by ${c.task} on ${c.mm} entered ${x.ref(c.enter)} and returned -EPERM at event ${i},`);
  x.say(`but the registration of ${c.cmd} for ${c.mm} had returned ${x.ref(reg)}.`);
  x.say('kernel/sched/membarrier.c: the registration returns 0 only after atomic_or(ready_state, &mm->membarrier_state), and the command returns -EPERM only without that READY bit (man membarrier(2): EPERM means "not registered").');
  return violation({ property, clause: REGISTERED_CLAUSE, index: i, mm: c.mm, cpus: [(c.enter.ev as MembarrierEvent).cpu] }, x);
}

/**
 * The key part: the registered commands per mm, and, for each call in flight of a registered
 * command, whether it entered before the registration returned (then -EPERM is allowed).
 */
export function registrationsKey(r: Registrations, inFlight: Iterable<CallRecord>, ids: Renamings, rename?: NameRenaming): string {
  const regs: string[] = [];
  for (const [mm, cmds] of r) for (const cmd of cmds.keys()) regs.push(`${rename === undefined ? mm : rename(mm)}:${cmd}`);
  const early: string[] = [];
  for (const c of inFlight) {
    const reg = c.mm === null ? undefined : r.get(c.mm)?.get(c.cmd);
    if (reg !== undefined && reg.i >= c.enter.i) early.push(`${ids.call.name(c.call)}`);
  }
  return `${regs.sort().join(',')}/${early.sort().join(',')}`;
}

/**
 * C4.6, the converse of C4.4: a PRIVATE command that returns 0 on an mm without its READY bit.
 * membarrier_private_expedited(): "if (!(atomic_read(&mm->membarrier_state) &
 * MEMBARRIER_STATE_PRIVATE_EXPEDITED_READY)) return -EPERM;" (and the SYNC_CORE and RSEQ READY bits
 * for those commands), checked before any short-cut. The switch paths' membarrier barriers are
 * conditioned on the mm's registered state (powerpc membarrier_arch_switch_mm(), x86
 * membarrier_mm_sync_core_before_usermode()), so a command that succeeds unregistered has no
 * pairing to rely on. Judged at the `return`: a READY bit is never cleared from an mm
 * (membarrier_exec_mmap() zeroes the new mm's state, not the old one's), so lacking it at the return
 * means it was lacking at the entry check (found by the force-cond mutant of that check,
 * docs/mutants.md).
 */
export function checkUnregistered(property: string, mirror: Mirror, c: CallRecord, ret: number | undefined, i: number): Violation | null {
  if (ret !== 0 || c.cmd === 'GLOBAL_EXPEDITED' || c.mm === null) return null;
  const ready = MEMBARRIER_READY[c.cmd];
  if ((mirror.mm(c.mm).membarrierState & ready) !== 0) return null;
  const x = new Explanation();
  x.say(`membarrier(${c.cmd}) call ${c.call} by ${c.task} on ${c.mm} entered ${x.ref(c.enter)} and returned 0 at event ${i},`);
  x.say(`but ${c.mm}'s membarrier_state (${mirror.mm(c.mm).membarrierState}) has no ${c.cmd}_READY bit: the command was never registered for this mm.`);
  x.say('kernel/sched/membarrier.c membarrier_private_expedited(): "if (!(atomic_read(&mm->membarrier_state) & MEMBARRIER_STATE_PRIVATE_EXPEDITED_READY)) return -EPERM;" before any short-cut (man membarrier(2): EPERM, "not registered").');
  return violation({ property, clause: UNREGISTERED_CLAUSE, index: i, mm: c.mm, cpus: [(c.enter.ev as MembarrierEvent).cpu] }, x);
}
