import type { EligibilitySpec } from '../../scenario/schema.js';
import { type EligibilityRule, PRESETS } from '../../scenario/sme-presets.js';

/** A preset with the scenario's explicit fields laid over it. */
export function resolveRule(spec: EligibilitySpec): EligibilityRule {
  const base: EligibilityRule =
    spec.preset === 'custom'
      ? { maxEmployees: 0, maxTurnoverUsd: Infinity, financial: 'none', requireIndependent: false }
      : PRESETS[spec.preset as keyof typeof PRESETS];
  return {
    maxEmployees: spec.maxEmployees ?? base.maxEmployees,
    maxTurnoverUsd: spec.maxTurnoverUsd ?? base.maxTurnoverUsd,
    financial: spec.financial ?? (spec.preset === 'custom' && spec.maxTurnoverUsd !== undefined ? 'and' : base.financial),
    requireIndependent: spec.requireIndependent ?? base.requireIndependent,
  };
}
