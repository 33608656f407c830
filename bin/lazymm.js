#!/usr/bin/env node
// Runs the lazymm command: from the compiled package (dist/) when it is installed, otherwise from the
// TypeScript sources of a checkout (ts-node, transpile only).
//
// In a checkout that has run `npm run build` once, dist/ can fall behind the sources it was built
// from; running it would measure or check yesterday's engine without a word. So when the checkout's
// sources (the directories tsconfig.build.json compiles) are newer than dist/, the sources are run
// and stderr says why. An installed package has no sources (package.json "files"), so it always runs
// dist/.
const path = require('path');
const fs = require('fs');
const root = path.join(__dirname, '..');
const compiled = path.join(root, 'dist', 'src', 'cli', 'main.js');
const SOURCE_DIRS = ['src', 'properties', 'arbitraries'];

/** The newest modification time of a .ts file under `dir` (0 if none). */
function newestTs(dir) {
  let newest = 0;
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestTs(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

function distIsStale() {
  if (!fs.existsSync(path.join(root, 'src', 'cli', 'main.ts'))) return false;
  const built = fs.statSync(compiled).mtimeMs;
  return SOURCE_DIRS.some((d) => newestTs(path.join(root, d)) > built);
}

if (fs.existsSync(compiled) && !distIsStale()) {
  require(compiled);
} else {
  if (fs.existsSync(compiled)) process.stderr.write('lazymm: dist/ is older than the sources; running the sources (npm run build to refresh dist/)\n');
  require('ts-node').register({ transpileOnly: true, project: path.join(root, 'tsconfig.json') });
  require('../src/cli/main.ts');
}
