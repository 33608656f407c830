/**
 * jest for the example, run as a user of lazymm would run it: `lazymm/*` imports resolve to the
 * built package (dist/, via package.json `exports`), never to lazymm's sources. Build lazymm first
 * (`npm run build` at the repository root; test/suite/example-suite.test.ts does it when needed).
 *
 *   npx jest -c examples/toy-sync-core/jest.config.js
 */
const path = require('node:path');
const { moduleNameMapper } = require('./lazymm-paths');

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/suite'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': [require.resolve('ts-jest'), { diagnostics: false, tsconfig: path.join(__dirname, 'tsconfig.json') }] },
  moduleNameMapper: moduleNameMapper(),
  testTimeout: 120000,
};
