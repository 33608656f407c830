/**
 * The swap-arg sites of a file survive the process (node_modules/.cache/lazymm-mutants, as the
 * loader's transpiled files do): the type checker's program costs about a second per process, and
 * every test file and CLI run that lists mutants would pay it. The key is the content of every
 * source the program reads (src/engine, src/trace, src/run), of the finder itself
 * (./arguments.ts, ./kinds.ts, ./program.ts, ./ast.ts) and of the file's given text, so any edit recomputes.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ts } from './ast';
import type { Edit } from './types';

/** What is kept of a site: the replaced expression's span, its replacement and account. */
export interface StoredSite {
  start: number;
  end: number;
  tag: string;
  what: string;
  edits: Edit[];
}

const DISK_CACHE = path.resolve(__dirname, '..', '..', 'node_modules', '.cache', 'lazymm-mutants');
const FINDER = ['arguments', 'kinds', 'program', 'typed-cache', 'ast'];

function tsFiles(dir: string, recurse: boolean): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return recurse ? tsFiles(p, true) : [];
    return /\.(ts|js)$/.test(e.name) && !/\.test\.(ts|js)$/.test(e.name) ? [p] : [];
  }).sort();
}

const sourcesMemo = new Map<string, string>();
/** One hash of every source the typed program of `engineDir` can read, and of the finder. */
function sourcesHash(engineDir: string): string {
  let h = sourcesMemo.get(engineDir);
  if (h) return h;
  const hash = createHash('sha1').update(ts.version);
  const src = path.dirname(engineDir);
  const finder = FINDER.flatMap((f) => ['.ts', '.js'].map((x) => path.join(__dirname, f + x)).filter((p) => fs.existsSync(p)));
  for (const f of [...tsFiles(engineDir, true), ...tsFiles(path.join(src, 'trace'), false), ...tsFiles(path.join(src, 'run'), false), ...finder]) {
    hash.update('\0').update(path.relative(src, f)).update('\0').update(fs.readFileSync(f));
  }
  sourcesMemo.set(engineDir, (h = hash.digest('hex')));
  return h;
}

/** `compute()`'s sites of `file` with text `text`, from the disk cache when the sources are unchanged. */
export function cachedSites(engineDir: string, file: string, text: string, compute: () => StoredSite[]): StoredSite[] {
  const key = createHash('sha1').update(sourcesHash(engineDir)).update('\0').update(file).update('\0').update(text).digest('hex');
  const cached = path.join(DISK_CACHE, `swap-arg-${key}.json`);
  try {
    return JSON.parse(fs.readFileSync(cached, 'utf8')) as StoredSite[];
  } catch {
    const sites = compute();
    try {
      fs.mkdirSync(DISK_CACHE, { recursive: true });
      fs.writeFileSync(`${cached}.${process.pid}`, JSON.stringify(sites));
      fs.renameSync(`${cached}.${process.pid}`, cached);
    } catch {
      // A read-only checkout: no cache.
    }
    return sites;
  }
}
