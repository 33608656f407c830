#!/usr/bin/env node
// Runs the lazymm command: from the compiled package (dist/) when it is installed, otherwise from the
// TypeScript sources of a checkout (ts-node, transpile only).
const path = require('path');
const fs = require('fs');
const compiled = path.join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
if (fs.existsSync(compiled)) {
  require(compiled);
} else {
  require('ts-node').register({ transpileOnly: true, project: path.join(__dirname, '..', 'tsconfig.json') });
  require('../src/cli/main.ts');
}
