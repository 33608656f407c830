/**
 * IPI delivery on the toy machine. An IPI that interrupts user mode leaves it, runs the handler and
 * returns to user mode in the same step; the return never serializes on the toy arch. The handler,
 * ipi_sync_core(), executes smp_mb() and, with `ipiHandlerSyncs`, sync_core(); without it, it
 * defers the sync to the return to user (as x86's sync_core_before_usermode() may), which on the
 * toy arch means never.
 */
import type { Emit } from './emit';
import type { MembarrierPath, ToyKnobs, ToyState } from './state';

/** The body of ipi_sync_core() on the CPU of `e`. */
export function syncCoreHandler(e: Emit, knobs: ToyKnobs): void {
  e.mb('ipi_sync_core');
  if (knobs.ipiHandlerSyncs) e.syncCore('ipi_sync_core');
}

export function deliverIpi(s: ToyState, e: Emit, knobs: ToyKnobs): void {
  const c = s.cpus[e.cpu];
  const ipi = c.ipis.shift()!;
  const fromUser = c.mode === 'user';
  if (fromUser) e.push({ k: 'user_exit', cpu: e.cpu, fn: 'toy_irq_entry', task: c.curr, via: 'ipi' });
  e.push({ k: 'ipi_handle', cpu: e.cpu, fn: 'ipi_sync_core', id: ipi.id, from: ipi.from, mm: null, local: false });
  syncCoreHandler(e, knobs);
  if (fromUser) e.push({ k: 'user_enter', cpu: e.cpu, fn: 'toy_irq_return', task: c.curr, via: 'sysret' });
  const sender = s.cpus[ipi.from].path as MembarrierPath | null;
  if (sender?.kind === 'membarrier') sender.waiting = sender.waiting.filter((id) => id !== ipi.id);
}
