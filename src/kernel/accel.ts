/**
 * KVM when it works, TCG otherwise: a smoke boot under KVM (the guest prints one line and powers
 * off) decides once; the answer is cached next to the kernel. On the machines this was built on
 * /dev/kvm existed but KVM boots aborted on an MSR error or hung, so the smoke boot has a timeout.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFileSync } from 'child_process';
import type { KernelPaths } from './config';
import { bootInitramfs } from './initramfs';
import { qemuArgs } from './qemu';

const SMOKE_INIT = '#!/bin/busybox sh\n/bin/busybox echo lazymm-kvm-ok > /dev/ttyS1\n/bin/busybox poweroff -f\n';

export function detectAccel(p: KernelPaths, did: string[]): 'kvm' | 'tcg' {
  const cache = path.join(p.dir, 'accel.json');
  if (fs.existsSync(cache)) return JSON.parse(fs.readFileSync(cache, 'utf8')).accel;
  let accel: 'kvm' | 'tcg' = 'tcg';
  let why = '/dev/kvm cannot be opened';
  try {
    fs.closeSync(fs.openSync('/dev/kvm', 'r+'));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lazymm-kvm-'));
    try {
      const out = path.join(dir, 'ttyS1.txt');
      const initrd = bootInitramfs(p, SMOKE_INIT, dir);
      try {
        execFileSync('qemu-system-x86_64', qemuArgs('kvm', p.vmlinuz, initrd, out), { stdio: 'ignore', timeout: 30_000 });
      } catch { /* judged by the output below */ }
      const ok = fs.existsSync(out) && fs.readFileSync(out, 'utf8').includes('lazymm-kvm-ok');
      accel = ok ? 'kvm' : 'tcg';
      why = ok ? 'a KVM smoke boot succeeded' : 'a KVM smoke boot failed or hung';
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  } catch { /* no usable /dev/kvm */ }
  fs.writeFileSync(cache, JSON.stringify({ accel, why }) + '\n');
  did.push(`accelerator ${accel} (${why})`);
  return accel;
}
