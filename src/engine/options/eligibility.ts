import { Cat, isIncumbentPayer } from '../../domain/codes.js';
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

/**
 * The rows an offer under `rule` may reach, ascending: pilot participants, and Sector Members and
 * Associates when incumbents may switch — those of them that meet the rule (isEligible's test, row by
 * row). One tight pass over the roster's columns instead of a call per row; on a 1,000,000-row roster
 * the SME category and pay-as-you-go of pp18-options share one rule, and so one pass (the last few
 * answers are kept per population).
 */
export function eligibleRows(pop: Population, rule: EligibilityRule, incumbentsMaySwitch: boolean): Int32Array {
  const key = `${rule.maxEmployees} ${rule.maxTurnoverUsd} ${rule.financial} ${rule.requireIndependent} ${incumbentsMaySwitch}`;
  let byRule = eligibleMemo.get(pop);
  if (!byRule) {
    byRule = new Map();
    eligibleMemo.set(pop, byRule);
  }
  let rows = byRule.get(key);
  if (!rows) {
    rows = scanEligible(pop, rule, incumbentsMaySwitch);
    if (byRule.size >= 4) byRule.delete(byRule.keys().next().value!);
  } else byRule.delete(key);
  byRule.set(key, rows); // most recently used last
  return rows;
}

const eligibleMemo = new WeakMap<Population, Map<string, Int32Array>>();

function scanEligible(pop: Population, rule: EligibilityRule, incumbentsMaySwitch: boolean): Int32Array {
  const { category, employees, turnoverUsd, independent, size } = pop.roster;
  const { maxEmployees, maxTurnoverUsd, requireIndependent } = rule;
  // isEligible's switch: an unknown test (the schema allows none) passes nobody
  const financial = rule.financial === 'none' ? 0 : rule.financial === 'and' ? 1 : rule.financial === 'or' ? 2 : 3;
  const out = new Int32Array(size);
  let m = 0;
  for (let i = 0; i < size; i++) {
    const cat = category[i]!;
    if (!(incumbentsMaySwitch && isIncumbentPayer(cat)) && cat !== Cat.SmePilot) continue;
    if (requireIndependent && independent[i] !== 1) continue;
    const head = employees[i]! <= maxEmployees; // NaN compares false
    const ok =
      financial === 0
        ? head
        : financial === 1
          ? head && !(turnoverUsd[i]! > maxTurnoverUsd)
          : financial === 2 && (head || turnoverUsd[i]! <= maxTurnoverUsd);
    if (ok) out[m++] = i;
  }
  return out.slice(0, m);
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
