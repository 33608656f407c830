/**
 * Writing report pages: never visible half written (the bytes go to a temporary file in the same
 * directory, which then takes the final name), and file names derived from case names.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** `x86/refcount+no-lazy-mmgrab refcount-balance` -> `x86-refcount-no-lazy-mmgrab-refcount-balance.html`. */
export function reportFileName(name: string): string {
  const kebab = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `${kebab || 'report'}.html`;
}

/** Writes `html` to `file` (creating its directory); returns `file`. */
export function writeReportFile(file: string, html: string): string {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.lazymm-tmp-${randomBytes(6).toString('hex')}-${path.basename(file)}`);
  try {
    fs.writeFileSync(tmp, html);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  return file;
}

/** Names unique within one directory: a second `a.html` becomes `a-2.html`. */
export class FileNames {
  private readonly used = new Set<string>();

  take(name: string): string {
    const file = reportFileName(name);
    let candidate = file;
    for (let n = 2; this.used.has(candidate); n++) candidate = file.replace(/\.html$/, `-${n}.html`);
    this.used.add(candidate);
    return candidate;
  }
}
