/** @jest-config-loader-options {"transpileOnly": true} */
import type { Config } from 'jest';

// `npm run test:kernel`: the tests that boot Debian's kernel under qemu (root, `npm run kernel:setup`
// done). Not part of `npm test`, which stays runnable without root or qemu.
const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/kernel/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['<rootDir>/test/support/ts-jest-fast-globals.js', { diagnostics: false }] },
  testTimeout: 900000,
};
export default config;
