/**
 * `lazymm/suite`: generating jest suites for foreign engines (what `lazymm generate-suite` does),
 * for programmatic use.
 */
export { generateSuiteCommand, GENERATE_SUITE_FLAGS, GENERATE_SUITE_USAGE, DEFAULT_SUITE_DIR } from './generate-suite-command';
export { initOf, outcomeOf, planSuite, relativeModule, writeSuite } from './generate-suite';
export type { FileOutcome, FileResult, SuiteFile } from './generate-suite';
export { EngineModuleError, engineOf, isEngine, loadEngineModule } from './load-engine-module';
export { hashOf, stamp, stampState } from './content-hash';
export type { HeaderStyle, StampState } from './content-hash';
