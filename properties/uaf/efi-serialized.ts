/**
 * C2.12: EFI runtime calls do not overlap: no CPU switches to efi_mm while another CPU (or the same
 * one) is still inside an EFI call on it.
 *
 * arch/x86/platform/efi/efi_64.c keeps the mm to return to in one global, `efi_prev_mm`: "Makes the
 * calling thread switch to/from efi_mm context. ... It should be ensured that there are no
 * concurrent calls to this function." (efi_enter_mm() before v6.16; since e7021e2fe0b4
 * `efi_prev_mm = use_temporary_mm(&efi_mm)`, the same global). What ensures it is
 * drivers/firmware/efi/runtime-wrappers.c: "According to section 7.1 of the UEFI spec, Runtime
 * Services are not fully reentrant" -- every call runs under `efi_runtime_lock`. Two calls at once
 * overwrite efi_prev_mm, and the first efi_leave_mm() switches its CPU to the other CPU's mm (a
 * foreign, possibly freed mm). The model keeps the saved mm per CPU, so that consequence is not in
 * the trace; this clause states the kernel's precondition instead. arm64's efi_virtmap_load() runs
 * under the same lock (and its one EFI runtime stack, arch/arm64/kernel/efi.c, relies on it too).
 *
 * The trace shows an EFI call as a `temp_mm` loading efi_mm (efi_enter_mm, use_temporary_mm or
 * efi_virtmap_load) and a `temp_mm` with mm null when it leaves; the mirror keeps each CPU's.
 */
import { EFI_MM, type TraceEvent } from '../../src/trace/events';
import type { Violation } from '../property';
import { Explanation } from '../lib/explain';
import type { Mirror } from '../lib/mirror';
import { uafFail } from './report';

export const EFI_SERIALIZED_CLAUSE = 'C2.12 concurrent EFI runtime calls';

/** Before a `temp_mm` that loads efi_mm: no CPU is still inside an EFI call. */
export function checkEfiSerialized(mirror: Mirror, ev: TraceEvent, i: number): Violation | null {
  if (ev.k !== 'temp_mm' || ev.mm !== EFI_MM) return null;
  const busy = mirror.cpus.filter((c) => c.tempMm?.temp === EFI_MM).map((c) => c.id);
  if (busy.length === 0) return null;
  const x = new Explanation();
  x.say(`${x.ev(ev, i)} starts an EFI runtime call on cpu${ev.cpu} (${ev.fn}) while cpu${busy.join(', cpu')} has not left ${busy.length === 1 ? 'its' : 'their'} EFI call yet (efi_mm still its temporary mm).`);
  x.say('EFI runtime calls are serialized by efi_runtime_lock (drivers/firmware/efi/runtime-wrappers.c: "Runtime Services are not fully reentrant");');
  x.say('arch/x86/platform/efi/efi_64.c keeps the mm to return to in the single global efi_prev_mm: "It should be ensured that there are no concurrent calls to this function."');
  return uafFail(EFI_SERIALIZED_CLAUSE, i, EFI_MM, [ev.cpu, ...busy.filter((c) => c !== ev.cpu)], x);
}
