/**
 * The kernel modules the gadget scenarios need (dummy_hcd: a USB host controller and a gadget
 * controller wired to each other; usb_f_fs: FunctionFS; gadgetfs: the legacy gadgetfs), taken from the same pinned .deb as the
 * image, with every module they depend on. The .deb has no modules.dep (depmod runs at install), so
 * the dependencies are read from each module's own `.modinfo` ("depends=a,b"), as modinfo does.
 * The modules go to .kernel-cache/<package>/modules/ with `order` (one name a line, dependencies
 * first: the order insmod must follow) and into the base initramfs under /mod.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { KernelPaths } from './config';
import { KernelSetupError, mustRun } from './sh';

/** The modules the scenarios use directly; their dependencies are added. */
export const ROOT_MODULES = ['dummy_hcd', 'usb_f_fs', 'gadgetfs'] as const;

export const modulesDir = (p: KernelPaths): string => path.join(p.dir, 'modules');
export const modulesOrder = (p: KernelPaths): string => path.join(modulesDir(p), 'order');

/** Module names spell '-' and '_' alike (kernel/module: "udc-core" is loaded as udc_core). */
const norm = (name: string) => name.replace(/-/g, '_');

/** The `depends=` of a module's .modinfo (the module names, possibly empty). */
export function moduleDepends(ko: Buffer): string[] {
  const i = ko.indexOf('\0depends=');
  if (i < 0) return [];
  const end = ko.indexOf(0, i + 1);
  const v = ko.subarray(i + '\0depends='.length, end < 0 ? undefined : end).toString('latin1');
  return v.split(',').filter((d) => d !== '');
}

/** Dependencies first (a depth-first post-order from each root), each module once. */
export function loadOrder(roots: readonly string[], depends: (name: string) => string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (m: string, stack: string[]) => {
    if (stack.includes(norm(m))) throw new KernelSetupError(`module dependency cycle: ${[...stack, norm(m)].join(' -> ')}`);
    if (seen.has(norm(m))) return;
    for (const d of depends(m)) visit(d, [...stack, norm(m)]);
    seen.add(norm(m));
    out.push(m);
  };
  for (const r of roots) visit(r, []);
  return out;
}

/** The archive paths of every module in the .deb, by normalized name (`.ko` or `.ko.xz`). */
function debModules(deb: string): Map<string, string> {
  const listing = mustRun(`listing ${path.basename(deb)}`, 'dpkg-deb', ['-c', deb]);
  const out = new Map<string, string>();
  for (const line of listing.split('\n')) {
    const m = /(\.\/lib\/modules\/\S+\/([^/\s]+)\.ko(\.xz)?)$/.exec(line);
    if (m) out.set(norm(m[2]), m[1]);
  }
  return out;
}

const XZ = `import lzma,sys
open(sys.argv[2],'wb').write(lzma.decompress(open(sys.argv[1],'rb').read()))`;

/**
 * Extracts the modules and writes `order`; returns whether it did (false: already there). One pass
 * over the package per level of dependencies (its data archive is 70 MB: one pass per module took
 * five seconds each).
 */
export function ensureModules(p: KernelPaths, roots: readonly string[] = ROOT_MODULES): boolean {
  const dir = modulesDir(p);
  if (fs.existsSync(modulesOrder(p))) return false;
  fs.mkdirSync(dir, { recursive: true });
  const inDeb = debModules(p.deb);
  const file = (name: string) => path.join(dir, `${norm(name)}.ko`);
  const depends = new Map<string, string[]>();
  let wanted = [...roots];
  while (wanted.length > 0) {
    const missing = wanted.filter((m) => !fs.existsSync(file(m)));
    const members = missing.map((m) => {
      const member = inDeb.get(norm(m));
      if (!member) throw new KernelSetupError(`module ${m} is not in ${path.basename(p.deb)} (the scenarios need ${roots.join(', ')} and their dependencies)`);
      return member;
    });
    if (members.length) extract(p.deb, members, dir);
    for (const m of wanted) depends.set(norm(m), moduleDepends(fs.readFileSync(file(m))));
    wanted = [...new Set(wanted.flatMap((m) => depends.get(norm(m))!))].filter((d) => !depends.has(norm(d)));
  }
  const order = loadOrder(roots, (m) => depends.get(norm(m)) ?? []).map(norm);
  fs.writeFileSync(`${modulesOrder(p)}.tmp`, order.join('\n') + '\n');
  fs.renameSync(`${modulesOrder(p)}.tmp`, modulesOrder(p));
  return true;
}

/** The archive members into `dir` as <name>.ko (an .xz one decompressed), in one pass. */
function extract(deb: string, members: readonly string[], dir: string): void {
  const tmp = fs.mkdtempSync(path.join(dir, 'x-'));
  try {
    mustRun(`extracting ${members.map((m) => path.basename(m)).join(', ')}`, 'sh', ['-c', 'd="$1"; t="$2"; shift 2; dpkg-deb --fsys-tarfile "$d" | tar -x -C "$t" "$@"', 'sh', deb, tmp, ...members]);
    for (const m of members) {
      const name = norm(path.basename(m).replace(/\.ko(\.xz)?$/, ''));
      const out = path.join(dir, `${name}.ko`);
      if (m.endsWith('.xz')) mustRun(`decompressing ${path.basename(m)} (python3 lzma)`, 'python3', ['-c', XZ, path.join(tmp, m), out]);
      else fs.renameSync(path.join(tmp, m), out);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The extracted modules in load order (empty when the set-up did not extract them). */
export function moduleFiles(p: KernelPaths): string[] {
  if (!fs.existsSync(modulesOrder(p))) return [];
  return fs.readFileSync(modulesOrder(p), 'utf8').split('\n').filter((l) => l !== '').map((m) => path.join(modulesDir(p), `${m}.ko`));
}
