/**
 * The real kernel lazymm checks its model against (docs/real-kernel.md): Debian's own 6.1 build,
 * pinned to one package version because every struct and per-CPU offset is derived from that build.
 * Everything fetched or built lives under a git-ignored cache keyed by the package version.
 */
import * as path from 'path';

export const KERNEL_PACKAGE = 'linux-image-6.1.0-57-amd64';
export const KERNEL_VERSION = '6.1.192-3';
/** The kernel release (uname -r) inside the package, for the path of its image. */
export const KERNEL_RELEASE = '6.1.0-57-amd64';
/** Host packages the set-up installs with apt-get (qemu, the initramfs shell, pahole). */
export const HOST_PACKAGES = ['qemu-system-x86', 'busybox-static', 'dwarves'] as const;

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const CACHE_ROOT = path.join(REPO_ROOT, '.kernel-cache');

export interface KernelPaths {
  dir: string;
  deb: string;
  vmlinuz: string;
  offsets: string;
  workloads: string;
}

/** Where the pinned kernel's files go (one directory per package version). */
export function kernelPaths(cacheRoot = CACHE_ROOT): KernelPaths {
  const dir = path.join(cacheRoot, `${KERNEL_PACKAGE}_${KERNEL_VERSION}`);
  return {
    dir,
    deb: path.join(dir, `${KERNEL_PACKAGE}_${KERNEL_VERSION}_amd64.deb`),
    vmlinuz: path.join(dir, 'vmlinuz'),
    offsets: path.join(dir, 'offsets.json'),
    workloads: path.join(cacheRoot, 'workloads'),
  };
}

export const WORKLOAD_SRC = path.join(REPO_ROOT, 'kernel', 'workloads');
