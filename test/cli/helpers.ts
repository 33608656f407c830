/** Runs the lazymm command in-process and captures what it printed. */
import { main } from '../../src/cli/main';
import type { CliIo } from '../../src/cli/io';
import { fixKnobsFor } from '../../src/cli/findings';

export interface Ran {
  code: number;
  out: string;
  err: string;
}

export function captureIo(): { io: CliIo; result: () => { out: string; err: string } } {
  let out = '';
  let err = '';
  return {
    io: { out: (s) => void (out += s), err: (s) => void (err += s) },
    result: () => ({ out, err }),
  };
}

/** A synchronous command (every command but check-trace). */
export function lazymm(...argv: string[]): Ran {
  const { io, result } = captureIo();
  const code = main(argv, io);
  if (typeof code !== 'number') throw new Error(`lazymm ${argv[0]} is asynchronous: use lazymmAsync`);
  return { code, ...result() };
}

/** Any command, awaited. */
export async function lazymmAsync(...argv: string[]): Promise<Ran> {
  const { io, result } = captureIo();
  const code = await main(argv, io);
  return { code, ...result() };
}

/** The fix knobs of the open findings on x86 (so x86/refcount passes a short check), from src/findings.ts. */
export const X86_FIXES = Object.entries(fixKnobsFor('x86')).flatMap(([k, v]) => ['--knob', `${k}=${String(v)}`]);
