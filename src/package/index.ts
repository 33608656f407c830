/**
 * The package root (`require('lazymm')`): every entry as a namespace. Prefer the subpath entries
 * (`lazymm/properties`, `lazymm/arbitraries`, `lazymm/trace`, `lazymm/engines`, `lazymm/fixtures`,
 * `lazymm/trace-io`, `lazymm/suite`), which load only what they need.
 */
export * as properties from '../../properties';
export * as arbitraries from '../../arbitraries';
export * as trace from '../trace';
export * as engines from '../engine';
export * as fixtures from '../fixtures';
export * as traceIo from '../trace-io';
export * as suite from '../suite';
