#!/usr/bin/env node
/**
 * The `prepare` script: builds dist/ when npm prepares lazymm as a git dependency
 * (`npm install git+https://...`). npm then installs the clone's dependencies with
 * _PACOTE_NO_PREPARE_ set (which runs this script) and packs the clone running only `prepare`, never
 * `prepack`; without a build the installed package would have no dist/.
 *
 * Anywhere else (`npm install` or `npm ci` in a checkout, CI) it does nothing: the build there is
 * `npm run build`, and `npm pack` runs it through `prepack`. So `npm ci` never compiles anything.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
if (!process.env._PACOTE_NO_PREPARE_ || fs.existsSync(path.join(root, 'dist', 'properties', 'index.js'))) process.exit(0);
try {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
} catch {
  // tsc emits despite type errors; the package is usable if its entries were emitted.
  if (!fs.existsSync(path.join(root, 'dist', 'properties', 'index.js'))) process.exit(1);
}
// As `npm run build`: the built modules read their builtins once (./fast-globals.js).
require('./fast-globals').rewriteTree(path.join(root, 'dist'));
