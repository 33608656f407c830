/** @jest-config-loader-options {"transpileOnly": true} */
import type { Config } from 'jest';

// The browser project (npm run test:browser): report pages loaded in Debian's Chromium through
// playwright-core, and the --html flags that write them. Needs `npm run browser:setup` once.
const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/browser'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['<rootDir>/test/support/ts-jest-fast-globals.js', { diagnostics: false }] },
  testTimeout: 120000,
  // One Chromium at a time on a 2-core machine.
  maxWorkers: 1,
};
export default config;
