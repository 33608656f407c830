/**
 * One boot of the pinned kernel under qemu: 3 vCPUs, nohz_full=1,2 (context tracking, so
 * user_enter/user_exit fire on CPUs 1-2), trace_clock=counter (one global order across CPUs; the
 * default clock repeats timestamps under TCG). The guest's /init writes its results to the second
 * serial port, which qemu puts in a file; the console (first port) is kept for errors.
 */
import * as fs from 'fs';
import * as path from 'path';
import { spawn } from 'child_process';
import { KernelSetupError } from './sh';

export const CMDLINE = 'console=ttyS0 quiet panic=-1 nohz_full=1,2 trace_clock=counter';

export interface BootResult {
  console: string;
  output: string;
  seconds: number;
  timedOut: boolean;
}

export function qemuArgs(accel: 'kvm' | 'tcg', vmlinuz: string, initrd: string, outFile: string): string[] {
  return [
    '-accel', accel, ...(accel === 'kvm' ? ['-cpu', 'host'] : []), '-smp', '3', '-m', '512M',
    '-kernel', vmlinuz, '-initrd', initrd, '-append', CMDLINE,
    '-display', 'none', '-monitor', 'none', '-serial', 'stdio', '-serial', `file:${outFile}`, '-no-reboot',
  ];
}

/** Boots and waits for the guest to power off (or kills qemu after `timeoutSec`). */
export function boot(accel: 'kvm' | 'tcg', vmlinuz: string, initrd: string, dir: string, timeoutSec: number): Promise<BootResult> {
  const outFile = path.join(dir, 'ttyS1.txt');
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('qemu-system-x86_64', qemuArgs(accel, vmlinuz, initrd, outFile), { stdio: ['ignore', 'pipe', 'pipe'] });
    let consoleText = '';
    child.stdout.on('data', (d: Buffer) => { consoleText += d.toString('latin1'); });
    child.stderr.on('data', (d: Buffer) => { consoleText += d.toString('latin1'); });
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutSec * 1000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new KernelSetupError(`qemu-system-x86_64: ${err.message} (run npm run kernel:setup)`));
    });
    child.on('close', () => {
      clearTimeout(timer);
      const output = fs.existsSync(outFile) ? fs.readFileSync(outFile, 'latin1') : '';
      resolve({ console: consoleText, output, seconds: (Date.now() - t0) / 1000, timedOut });
    });
  });
}
