/** Running host commands for the kernel set-up and boots, with one-line errors (exit 2). */
import { spawnSync, type SpawnSyncOptions } from 'child_process';

/** A set-up or boot failure the user must fix: printed as one line, exit status 2. */
export class KernelSetupError extends Error {}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: readonly string[], opts: SpawnSyncOptions = {}): RunResult {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...opts });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 127, stdout: '', stderr: `${cmd}: command not found` };
  return { status: r.status, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

/** Runs a command and throws a KernelSetupError with `what` and the command's last stderr line when it fails. */
export function mustRun(what: string, cmd: string, args: readonly string[], opts: SpawnSyncOptions = {}): string {
  const r = run(cmd, args, opts);
  if (r.status !== 0) throw new KernelSetupError(`${what}: ${lastLine(r.stderr) || `${cmd} exited with ${r.status}`}`);
  return r.stdout;
}

export function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('W: '));
  return lines[lines.length - 1] ?? '';
}

export const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;
