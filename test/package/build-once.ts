/**
 * Test helper: makes sure dist/ (what `npm run build` produces, what the package exports) is built
 * from the current sources, building at most once at a time across jest workers (a lock directory
 * in os.tmpdir()). Tests that use the built package (the pack test, the example engine) call it.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
// Outside dist/ so that `npm pack` does not ship it.
const STAMP = path.join(ROOT, 'node_modules', '.cache', 'lazymm-build-stamp');
const SOURCES = ['src', 'properties', 'arbitraries'];
const CONFIGS = ['tsconfig.json', 'tsconfig.build.json', 'package.json', 'fixtures/schema.json'];

/** The newest modification time among the sources the build compiles. */
function newestSource(): number {
  let newest = 0;
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith('.ts') || e.name.endsWith('.json')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  };
  for (const s of SOURCES) walk(path.join(ROOT, s));
  for (const c of CONFIGS) newest = Math.max(newest, fs.statSync(path.join(ROOT, c)).mtimeMs);
  return newest;
}

// dist/ itself must be there too: a deleted dist/ with a newer stamp (or a stamp shared through a
// hard-linked node_modules, as `cp -al` makes) is not a build.
const BUILT = path.join(ROOT, 'dist', 'src', 'trace', 'index.js');
const fresh = (): boolean => fs.existsSync(BUILT) && fs.existsSync(STAMP) && fs.statSync(STAMP).mtimeMs >= newestSource();

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Builds dist/ unless it is newer than every source; throws with tsc's output if the build fails. */
export function ensureBuilt(): void {
  const lock = path.join(os.tmpdir(), `lazymm-build-${createHash('sha1').update(ROOT).digest('hex').slice(0, 12)}.lock`);
  const deadline = Date.now() + 5 * 60_000;
  // Sources edited while building make dist stale again: rebuild once more, then use what there is.
  for (let builds = 0; builds < 2 && !fresh(); ) {
    try {
      fs.mkdirSync(lock);
    } catch {
      if (Date.now() > deadline) throw new Error(`ensureBuilt: ${lock} held for 5 minutes (remove it if no build is running)`);
      sleep(250); // another worker is building
      continue;
    }
    try {
      if (fresh()) return;
      builds++;
      const started = Date.now();
      try {
        execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'pipe' });
      } catch (err) {
        // tsc still emits on type errors. Those are `npm run typecheck`'s to report (and often a
        // colleague's edit in progress); these tests judge the package surface, so go on if it exists.
        const output = (err as { stdout?: Buffer }).stdout?.toString() ?? String(err);
        if (!fs.existsSync(path.join(ROOT, 'dist', 'properties', 'index.js'))) throw new Error(`npm run build fails:\n${output}`);
        console.warn(`ensureBuilt: tsc reported errors (dist was emitted anyway):\n${output}`);
      }
      // As `npm run build`: the built modules read their builtins once (src/package/fast-globals.js).
      (require(path.join(ROOT, 'src', 'package', 'fast-globals.js')) as { rewriteTree(dir: string): number }).rewriteTree(path.join(ROOT, 'dist'));
      fs.mkdirSync(path.dirname(STAMP), { recursive: true });
      fs.writeFileSync(STAMP, `built ${new Date(started).toISOString()}\n`);
      fs.utimesSync(STAMP, new Date(started), new Date(started)); // sources edited during the build make it stale
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
  }
}
