/** @jest-config-loader-options {"transpileOnly": true} */
import type { Config } from 'jest';

// Type-checking runs separately (`npm run typecheck`, tsc --noEmit); jest only transpiles.
const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/properties', '<rootDir>/arbitraries', '<rootDir>/fixtures', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // test/browser/ drives Chromium: its own project (jest.browser.config.ts, npm run test:browser).
  // test/explore-long/: searches too long for npm test (jest.explore-long.config.ts, npm run test:explore-long).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/browser/', '<rootDir>/test/explore-long/'],
  transform: { '^.+\\.ts$': ['<rootDir>/test/support/ts-jest-fast-globals.js', { diagnostics: false }] },
  testTimeout: 120000,
  // Two workers on the 2-core machines npm test runs on: many suites wait on child processes (tsc,
  // jest, the packed CLI), so the second worker pays. Measured on an idle 2-core machine with 888
  // tests: 157 s with 2 workers against 257 s with jest's default (cores - 1 = 1, in band).
  maxWorkers: 2,
};
export default config;
