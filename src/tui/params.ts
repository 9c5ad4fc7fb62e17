import { type CatalogueEntry, describeParameter, parameterCatalogue } from '../engine/catalogue.js';
import { resolveRule } from '../engine/options/eligibility.js';
import { formatPair, formatValue, type ValueFormat } from '../engine/options/plain.js';
import { meanOf } from '../engine/random/distributions.js';
import { optionName } from '../scenario/option-parts.js';
import { getIn } from '../scenario/paths.js';
import type { EligibilitySpec, Scenario } from '../scenario/schema.js';
import { thresholdOptions } from './explorer-model.js';

export { formatPair, formatValue, type ValueFormat };

/** One editable parameter as the explorer shows it (the option kinds' catalogue, named within its option). */
export interface TuiParam extends CatalogueEntry {
  /** The option's id. */
  option: string;
}

/** The catalogue's name without the option label it carries for tables that mix options. */
function ownName(s: Scenario, e: CatalogueEntry): string {
  const label = e.option ? (s.options[e.option] ? optionName(s.options[e.option]!, e.option) : e.option) : '';
  const suffix = ` (${label})`;
  return label && e.name.endsWith(suffix) ? e.name.slice(0, -suffix.length) : e.name;
}

/**
 * Every parameter of every option that the Parameters view edits, option by option: the kinds'
 * whole catalogue (behaviour, demand, fees, costs, limits), except the employee thresholds, which the
 * Threshold view moves, and values written as expressions.
 */
export function tuiParams(s: Scenario): TuiParam[] {
  const skip = new Set(thresholdOptions(s).map((o) => `options.${o.id}.${o.capability.path(o.spec)}`));
  return parameterCatalogue(s)
    .filter((e): e is CatalogueEntry & { option: string } => e.option !== null && !skip.has(e.path))
    .filter((e) => typeof getIn(s, e.path) !== 'string')
    .map((e) => ({ ...e, name: ownName(s, e) }));
}

/** The parameter at a scenario path, named within its option (a path outside the catalogue is named by itself). */
export function paramAt(s: Scenario, path: string): CatalogueEntry {
  const e = describeParameter(s, path);
  return { ...e, name: ownName(s, e) };
}

/**
 * The value the deterministic run uses: a number as written, a distribution's mean, an eligibility
 * limit left to its preset as the preset sets it; an expression: NaN.
 */
export function valueIn(s: Scenario, path: string): number {
  const v = getIn(s, path);
  if (typeof v === 'number') return v;
  const parent = getIn(s, path.split('.').slice(0, -1).join('.'));
  if (v === undefined && typeof parent === 'object' && parent !== null && 'preset' in parent) {
    const rule = resolveRule(parent as EligibilitySpec) as unknown as Record<string, unknown>;
    const x = rule[path.split('.').pop()!];
    return typeof x === 'number' ? x : Number.NaN;
  }
  if (typeof v === 'object' && v !== null && 'dist' in v) return meanOf(v as Parameters<typeof meanOf>[0]);
  return Number.NaN;
}

/** A unit in words for a value shown in its format (percent already says %; CHF is in the value). */
export function unitText(p: CatalogueEntry): string {
  if (p.format === 'unit-fraction' || p.unit === 'elasticity') return ''; // the value says it
  return p.unit.replace(/^(CHF|USD|share)\b ?/, '');
}
