/** @jest-config-loader-options {"transpileOnly": true} */
import type { Config } from 'jest';

// Type-checking runs separately (`npm run typecheck`, tsc --noEmit); jest only transpiles.
const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/properties', '<rootDir>/arbitraries', '<rootDir>/fixtures', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // test/browser/ drives Chromium: its own project (jest.browser.config.ts, npm run test:browser).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/browser/'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 120000,
};
export default config;
