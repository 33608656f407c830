/** @jest-config-loader-options {"transpileOnly": true} */
import type { Config } from 'jest';

// `npm run test:explore-long`: explorer soundness checks on configurations too large for `npm test`
// (tens of seconds each on a 2-core machine): state merging against the plain tree, partial-order
// reduction against the unreduced search. CI runs it as its own project (.ci/run).
const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/explore-long'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['<rootDir>/test/support/ts-jest-fast-globals.js', { diagnostics: false }] },
  testTimeout: 900000,
};
export default config;
