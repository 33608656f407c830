/**
 * The differential criterion of variant checks, as runCheck applies it (arbitraries/check.ts): a
 * variant's violation of P counts only if its base engine, replaying the same ops, does not violate
 * P. The explorer applies the same rule so that its minimum is the minimum of what `lazymm check`
 * can report for the variant.
 */
import type { ModelConfig } from '../engine/contract';
import type { Op } from '../engine/ops';
import type { EngineSpec } from '../run/types';
import type { Violation } from '../../properties/property';
import { differentialCriterion } from '../../arbitraries/differential-criterion';
import { defaultDifferentialBase, variantNeedsAlignedReplay } from '../../arbitraries/variant-check';

export type OwnViolation = (config: ModelConfig, ops: readonly Op[], violation: Violation) => boolean;

/**
 * The criterion for `spec`: against `base` when given, against the variant's default base when
 * `base` is undefined (runCheck's default), none when `base` is null or the spec has no variant.
 */
export function ownViolationFor(spec: EngineSpec, base: EngineSpec | null | undefined, alignReplay?: boolean): { base: EngineSpec | null; own: OwnViolation | null } {
  const b = base === undefined ? (defaultDifferentialBase(spec) ?? null) : base;
  if (b === null) return { base: null, own: null };
  const align = alignReplay ?? (spec.variant !== undefined && variantNeedsAlignedReplay(spec.variant));
  return { base: b, own: differentialCriterion(b, align) };
}
