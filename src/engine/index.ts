/**
 * `lazymm/engines`: lazymm's own kernel-model engines by name, and the engine contract (the
 * interface a foreign engine implements, and the ops it accepts). A barrel only: the engines live
 * in ./build.ts, the contract in ./contract.ts, the ops in ./ops.ts.
 */
export { createEngine, listEngines, listVariants, resolveEngineSpec, validateConfig } from './build';
export type { EngineListing, VariantListing } from './build';
export { DEFAULT_CONFIG } from './contract';
export type { Engine, EngineInfo, KnobValue, Knobs, ModelConfig } from './contract';
export { OP_KINDS, formatOp } from './ops';
export type { Op, OpKind } from './ops';
export type { EngineSpec } from '../run/types';
