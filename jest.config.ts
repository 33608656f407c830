/** @jest-config-loader-options {"transpileOnly": true} */
import type { Config } from 'jest';

// Type-checking runs separately (`npm run typecheck`, tsc --noEmit); jest only transpiles.
const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/properties', '<rootDir>/arbitraries', '<rootDir>/fixtures', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 120000,
};
export default config;
