/** @jest-config-loader-options {"transpileOnly": true} */
import type { Config } from 'jest';

// `npm run test:package`: the packed tarball in a new project (needs the npm cache or registry), kept
// out of `npm test`.
const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/package-scratch'],
  testMatch: ['**/*.pkgtest.ts'],
  transform: { '^.+\\.ts$': ['<rootDir>/test/support/ts-jest-fast-globals.js', { diagnostics: false }] },
  testTimeout: 600000,
};
export default config;
