import type { EligibilitySpec } from '../../scenario/option-parts.js';
import { type EligibilityRule, isEligible, PRESETS } from '../../scenario/sme-presets.js';
import type { Population } from '../population.js';
import type { ParamInfo, ThresholdCapability } from './kind.js';
import { formatValue } from './plain.js';

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

/** Where each preset comes from, in words (sme-presets.ts cites the sources). */
const PRESET_SOURCE: Record<string, string> = {
  eu: 'EU definition',
  itu: 'ITU rule of thumb',
  res209: 'criteria recalled, low confidence',
  pp18: 'report to PP-18',
  japan: 'Japanese SME Act, capital test not applied',
  ifc: 'IFC definition, assets test not applied',
};

/** The rule in words: "at most 250 staff and turnover at most USD 50 M, independent". */
export function ruleText(rule: EligibilityRule): string {
  const head = `at most ${formatValue(rule.maxEmployees, 'integer')} staff`;
  const money = `turnover at most ${formatValue(rule.maxTurnoverUsd, 'usd')}`;
  const legs =
    rule.financial === 'none' || rule.maxTurnoverUsd === Infinity
      ? `${head}, headcount only`
      : rule.financial === 'and'
        ? `${head} and ${money}`
        : `${head} or ${money}`;
  return rule.requireIndependent ? `${legs}, independent` : legs;
}

/** "SME test: at most 250 staff and turnover at most USD 50 M, independent — criteria recalled, low confidence". */
export function describeEligibility(spec: EligibilitySpec, name = 'SME test'): string {
  const rule = resolveRule(spec);
  const preset = PRESETS[spec.preset as keyof typeof PRESETS] as EligibilityRule | undefined;
  const source = PRESET_SOURCE[spec.preset];
  const same =
    preset &&
    preset.maxEmployees === rule.maxEmployees &&
    preset.maxTurnoverUsd === rule.maxTurnoverUsd &&
    preset.financial === rule.financial &&
    preset.requireIndependent === rule.requireIndependent;
  const note = !source ? '' : same ? ` — ${source}` : ` — adapted from the ${spec.preset} preset (${source})`;
  return `${name}: ${ruleText(rule)}${note}`;
}

/** The eligibility parameters in the catalogue, under `prefix` ("eligibility", "leakage.eligibility"). */
export function eligibilityParams(spec: EligibilitySpec, prefix: string, what: string, inSummary: boolean): ParamInfo[] {
  const rule = resolveRule(spec);
  const out: ParamInfo[] = [
    {
      path: `${prefix}.maxEmployees`,
      name: `${what} headcount limit`,
      unit: 'staff (inclusive)',
      format: 'integer',
      step: 10,
      min: 0,
      max: 10_000,
      editable: false,
      inSummary,
    },
  ];
  if (rule.financial !== 'none' && rule.maxTurnoverUsd !== Infinity)
    out.push({
      path: `${prefix}.maxTurnoverUsd`,
      name: `${what} turnover limit`,
      unit: 'USD a year',
      format: 'usd',
      step: 5e6,
      min: 0,
      max: 1e10,
      editable: false,
      inSummary,
    });
  return out;
}

/** The eligibility tests for one member, as explain prints them. */
export function ruleChecks(rule: EligibilityRule, employees: number, turnover: number, independent: boolean): string[] {
  const lines = [
    `headcount ${Number.isNaN(employees) ? 'unknown' : employees} ≤ ${rule.maxEmployees}: ${employees <= rule.maxEmployees ? 'yes' : 'no'}`,
  ];
  if (rule.financial !== 'none')
    lines.push(
      `turnover ${Number.isNaN(turnover) ? 'unknown' : `USD ${turnover.toLocaleString('en-GB')}`} ≤ USD ${rule.maxTurnoverUsd.toLocaleString('en-GB')} (${rule.financial === 'and' ? 'required too; unknown passes' : 'qualifies on its own; unknown does not'}): ${turnover <= rule.maxTurnoverUsd ? 'yes' : Number.isNaN(turnover) ? 'unknown' : 'no'}`,
    );
  if (rule.requireIndependent) lines.push(`independent of a larger group: ${independent ? 'yes' : 'no'}`);
  return lines;
}

/**
 * The threshold from which row i passes the rule as the headcount limit rises: −∞ when it passes on
 * turnover alone (an `or` rule), else its headcount (the threshold capability's `entry`).
 */
export function eligibilityEntry(spec: EligibilitySpec, pop: Population, i: number): number {
  const { roster } = pop;
  const rule = resolveRule(spec);
  return isEligible({ ...rule, maxEmployees: -1 }, roster.employees[i]!, roster.turnoverUsd[i]!, roster.independent[i] === 1)
    ? -Infinity
    : roster.employees[i]!;
}

/** The threshold capability of a kind whose offer is gated by one eligibility rule (its maxEmployees). */
export function eligibilityThreshold<S extends { eligibility: EligibilitySpec }>(): ThresholdCapability<S> {
  return {
    path: () => 'eligibility.maxEmployees',
    get: (s) => resolveRule(s.eligibility).maxEmployees,
    set: (s, t) => ({ ...s, eligibility: { ...s.eligibility, maxEmployees: t } }),
    entry: (s, pop, i) => eligibilityEntry(s.eligibility, pop, i),
  };
}
