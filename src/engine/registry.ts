/**
 * Engines by name: (arch, strategy, knobs) and named variants. Implemented in src/engine/build.ts.
 */
export { createEngine, listEngines, listVariants, resolveEngineSpec } from './build';
export type { EngineListing, VariantListing } from './build';
