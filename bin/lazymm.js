#!/usr/bin/env node
// Runs the lazymm command from its TypeScript sources (no build step needed).
require('ts-node').register({ transpileOnly: true, project: require('path').join(__dirname, '..', 'tsconfig.json') });
require('../src/cli/main.ts');
