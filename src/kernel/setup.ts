/**
 * `npm run kernel:setup`: everything `lazymm kernel run` needs, idempotently (each step is skipped
 * when its output exists): the host packages (apt-get), the pinned kernel package (apt-get download
 * into .kernel-cache/<package>_<version>/), its image, the offsets derived from its BTF, the static
 * workloads, the gadget scenarios' kernel modules from the same package (./modules.ts), the base
 * initramfs (busybox + workloads + modules), and whether KVM works (else TCG).
 */
import * as fs from 'fs';
import * as path from 'path';
import { HOST_PACKAGES, KERNEL_PACKAGE, KERNEL_RELEASE, KERNEL_VERSION, WORKLOAD_SRC, kernelPaths, type KernelPaths } from './config';
import { STRUCTS, deriveOffsets, hasAllOffsets, type Offsets } from './offsets';
import { KernelSetupError, isRoot, mustRun, run } from './sh';
import { buildBaseInitramfs } from './initramfs';
import { detectAccel } from './accel';
import { ensureModules } from './modules';

export interface SetupResult {
  paths: KernelPaths;
  offsets: Offsets;
  accel: 'kvm' | 'tcg';
  /** What was done (empty when everything was there already). */
  did: string[];
}

export function installedPackages(names: readonly string[]): string[] {
  return names.filter((n) => {
    const r = run('dpkg-query', ['-W', '-f=${Status}', n]);
    return r.status === 0 && r.stdout.includes('install ok installed');
  });
}

function ensureHostPackages(did: string[]): void {
  const missing = HOST_PACKAGES.filter((p) => !installedPackages([p]).length);
  if (missing.length === 0) return;
  if (!isRoot()) throw new KernelSetupError(`host packages ${missing.join(', ')} are not installed and installing them needs root (run npm run kernel:setup as root)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
  let r = install();
  if (r.status !== 0) {
    mustRun('apt-get update', 'apt-get', ['update', '-qq'], { env });
    r = install();
  }
  if (r.status !== 0) throw new KernelSetupError(`apt-get install ${missing.join(' ')} failed: ${r.stderr.trim().split('\n').pop()}`);
  did.push(`installed ${missing.join(', ')}`);
}

function ensureKernelPackage(p: KernelPaths, did: string[]): void {
  if (fs.existsSync(p.deb)) return;
  fs.mkdirSync(p.dir, { recursive: true });
  const spec = `${KERNEL_PACKAGE}=${KERNEL_VERSION}`;
  let r = run('apt-get', ['download', '-qq', spec], { cwd: p.dir });
  if (r.status !== 0 && isRoot()) {
    run('apt-get', ['update', '-qq']);
    r = run('apt-get', ['download', '-qq', spec], { cwd: p.dir });
  }
  if (r.status !== 0 || !fs.existsSync(p.deb)) throw new KernelSetupError(`kernel package ${spec} is not available from the package registry (apt-get download failed: ${r.stderr.trim().split('\n').pop()})`);
  did.push(`downloaded ${spec}`);
}

function ensureImage(p: KernelPaths, did: string[]): void {
  if (fs.existsSync(p.vmlinuz)) return;
  const tmp = `${p.vmlinuz}.tmp`;
  mustRun(`extracting the kernel image from ${path.basename(p.deb)}`, 'sh', ['-c', `dpkg-deb --fsys-tarfile "$1" | tar -xO ./boot/vmlinuz-${KERNEL_RELEASE} > "$2"`, 'sh', p.deb, tmp]);
  fs.renameSync(tmp, p.vmlinuz);
  did.push('extracted vmlinuz');
}

/** The xz stream inside the bzImage decompressed to an ELF vmlinux (python3's lzma). */
const DECOMPRESS = `import lzma,sys
d=open(sys.argv[1],'rb').read()
i=d.find(b'\\xfd7zXZ\\x00')
if i<0: sys.exit('no xz stream in the kernel image')
open(sys.argv[2],'wb').write(lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(d[i:]))`;

function ensureOffsets(p: KernelPaths, did: string[]): Offsets {
  if (fs.existsSync(p.offsets)) {
    const cached = JSON.parse(fs.readFileSync(p.offsets, 'utf8')).offsets as Partial<Offsets>;
    if (hasAllOffsets(cached)) return cached;
  }
  const vmlinux = path.join(p.dir, 'vmlinux');
  mustRun('decompressing the kernel image (python3 lzma)', 'python3', ['-c', DECOMPRESS, p.vmlinuz, vmlinux]);
  try {
    const listings = new Map(STRUCTS.map((s) => [s, mustRun(`pahole -C ${s}`, 'pahole', ['-F', 'btf', '-C', s, vmlinux])]));
    const offsets = deriveOffsets(listings);
    const record = { kernel: `${KERNEL_PACKAGE} ${KERNEL_VERSION}`, source: 'pahole -F btf (the kernel image\'s BTF)', offsets };
    fs.writeFileSync(p.offsets, JSON.stringify(record, null, 2) + '\n');
    did.push('derived offsets with pahole');
    return offsets;
  } finally {
    fs.rmSync(vmlinux, { force: true });
  }
}

/** gcc -O2 -static -pthread, for every kernel/workloads/*.c newer than its binary (or than a header). */
export function ensureWorkloads(p: KernelPaths, did: string[]): string[] {
  fs.mkdirSync(p.workloads, { recursive: true });
  const sources = fs.readdirSync(WORKLOAD_SRC).filter((f) => f.endsWith('.c')).sort();
  // Any header may be included by any workload (lazymm-wl.h, ge-common.h, gadget-aio.h...).
  const headers = fs.readdirSync(WORKLOAD_SRC).filter((f) => f.endsWith('.h'));
  const headerTime = Math.max(0, ...headers.map((h) => fs.statSync(path.join(WORKLOAD_SRC, h)).mtimeMs));
  const built: string[] = [];
  for (const src of sources) {
    const name = src.replace(/\.c$/, '');
    const out = path.join(p.workloads, name);
    const from = path.join(WORKLOAD_SRC, src);
    const stale = !fs.existsSync(out) || fs.statSync(out).mtimeMs < Math.max(fs.statSync(from).mtimeMs, headerTime);
    if (stale) {
      mustRun(`gcc ${src}`, 'gcc', ['-O2', '-static', '-pthread', '-Wall', '-o', out, from]);
      did.push(`built ${name}`);
    }
    built.push(name);
  }
  return built;
}

export function setup(): SetupResult {
  const did: string[] = [];
  const p = kernelPaths();
  ensureHostPackages(did);
  ensureKernelPackage(p, did);
  ensureImage(p, did);
  const offsets = ensureOffsets(p, did);
  if (ensureModules(p)) did.push('extracted the gadget modules');
  const workloads = ensureWorkloads(p, did);
  if (buildBaseInitramfs(p, workloads)) did.push('built the base initramfs');
  const accel = detectAccel(p, did);
  return { paths: p, offsets, accel, did };
}

if (require.main === module) {
  const t0 = Date.now();
  try {
    const r = setup();
    console.log(`lazymm kernel:setup: ${KERNEL_PACKAGE} ${KERNEL_VERSION} ready in ${r.paths.dir} (${r.accel.toUpperCase()}); ${r.did.length ? r.did.join('; ') : 'nothing to do'} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (err) {
    console.error(`lazymm kernel:setup: ${(err as Error).message}`);
    process.exit(err instanceof KernelSetupError ? 2 : 1);
  }
}
