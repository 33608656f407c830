#!/usr/bin/env node
/**
 * `npm run browser:setup`: installs Debian's chromium for the browser tests (npm run test:browser),
 * unless it is already there. Idempotent; needs root (apt-get) only when chromium is missing.
 * LAZYMM_CHROMIUM names another Chromium binary (then nothing is installed).
 */
'use strict';
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');

const chromium = process.env.LAZYMM_CHROMIUM || '/usr/bin/chromium';
const version = () => spawnSync(chromium, ['--version'], { encoding: 'utf8' }).stdout.trim();

if (fs.existsSync(chromium)) {
  console.log(`browser:setup: ${version() || chromium} is installed`);
  process.exit(0);
}
if (process.env.LAZYMM_CHROMIUM) {
  console.error(`browser:setup: LAZYMM_CHROMIUM=${chromium} does not exist`);
  process.exit(1);
}
if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
  console.error('browser:setup: chromium is not installed, and installing it needs root: run `sudo npm run browser:setup`, or as root `apt-get install -y --no-install-recommends chromium` (Debian), or set LAZYMM_CHROMIUM to a Chromium binary');
  process.exit(1);
}
const apt = (...args) => {
  // Wait for another apt-get holding the dpkg lock instead of failing at once.
  const r = spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=600', ...args], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.error || r.status !== 0) {
    console.error(`browser:setup: apt-get ${args.join(' ')} failed${r.error ? `: ${r.error.message}` : ` (exit ${r.status})`}`);
    process.exit(1);
  }
};
apt('update', '-qq');
apt('install', '-y', '--no-install-recommends', 'chromium');
if (!fs.existsSync(chromium)) {
  console.error(`browser:setup: apt-get installed chromium but ${chromium} does not exist`);
  process.exit(1);
}
console.log(`browser:setup: installed ${version()}`);
