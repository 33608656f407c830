/**
 * The guest's root file system: a base archive (busybox-static, the workloads and the gadget
 * scenarios' kernel modules under /mod with their load order in /mod/order, built once by the
 * set-up) and, per boot, a small archive with /init; the kernel unpacks concatenated archives in
 * order, so the boot's initramfs is the two files one after the other.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { KernelPaths } from './config';
import { moduleFiles, modulesOrder } from './modules';
import { mustRun } from './sh';

const BUSYBOX = '/bin/busybox';

export const baseInitramfs = (p: KernelPaths): string => path.join(p.workloads, '..', 'base.cpio.gz');

/** `find . | busybox cpio -o -H newc | gzip` of directory `root` into `out`. */
function cpioGz(root: string, out: string): void {
  mustRun('building the initramfs (busybox cpio)', 'sh', ['-c', `cd "$1" && find . | ${BUSYBOX} cpio -o -H newc 2>/dev/null | gzip -1 > "$2"`, 'sh', root, out]);
}

/** Builds the base archive when a workload or a module is newer than it; returns whether it did. */
export function buildBaseInitramfs(p: KernelPaths, workloads: readonly string[]): boolean {
  const out = baseInitramfs(p);
  const modules = moduleFiles(p);
  const inputs = [...workloads.map((w) => path.join(p.workloads, w)), ...(modules.length ? [modulesOrder(p)] : [])];
  const newest = Math.max(...inputs.map((f) => fs.statSync(f).mtimeMs), 0);
  if (fs.existsSync(out) && fs.statSync(out).mtimeMs >= newest) return false;
  if (!fs.existsSync(BUSYBOX)) throw new Error(`${BUSYBOX} is missing (package busybox-static)`);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lazymm-root-'));
  try {
    for (const d of ['bin', 'proc', 'sys', 'dev', 'tmp', 'wl', 'mod']) fs.mkdirSync(path.join(root, d));
    fs.copyFileSync(BUSYBOX, path.join(root, 'bin', 'busybox'));
    fs.chmodSync(path.join(root, 'bin', 'busybox'), 0o755);
    for (const w of workloads) {
      fs.copyFileSync(path.join(p.workloads, w), path.join(root, 'wl', w));
      fs.chmodSync(path.join(root, 'wl', w), 0o755);
    }
    for (const m of modules) fs.copyFileSync(m, path.join(root, 'mod', path.basename(m)));
    if (modules.length) fs.copyFileSync(modulesOrder(p), path.join(root, 'mod', 'order'));
    cpioGz(root, `${out}.tmp`);
    fs.renameSync(`${out}.tmp`, out);
    return true;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** The boot's initramfs: the base archive followed by one holding `init` (a busybox sh script). */
export function bootInitramfs(p: KernelPaths, init: string, dir: string): string {
  const root = path.join(dir, 'init-root');
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(path.join(root, 'init'), init, { mode: 0o755 });
  const initGz = path.join(dir, 'init.cpio.gz');
  cpioGz(root, initGz);
  const out = path.join(dir, 'initrd.gz');
  fs.writeFileSync(out, Buffer.concat([fs.readFileSync(baseInitramfs(p)), fs.readFileSync(initGz)]));
  return out;
}
