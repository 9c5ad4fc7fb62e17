import { optionName } from '../scenario/option-parts.js';
import type { Model } from './model.js';
import { adminCostParam } from './options/cost-params.js';
import type { ParamInfo } from './options/kind.js';
import { kindOf } from './options/registry.js';

/** A parameter of a scenario with its full path and a human name that says which option it belongs to. */
export interface CatalogueEntry extends Omit<ParamInfo, 'path'> {
  /** Full scenario path (`options.<id>.switchPropensity`, `baseline.trend.associate`). */
  path: string;
  /** The option's id, or null for a baseline parameter. */
  option: string | null;
}

const CATEGORIES_WITH_FEES = [
  ['sector-member', 'Sector Members'],
  ['associate', 'Associates'],
  ['academia', 'Academia'],
] as const;

const BASELINE: ParamInfo[] = [
  adminCostParam('pilotAdminCostPerParticipant', 'Pilot admin cost per participant'),
  ...CATEGORIES_WITH_FEES.map(
    ([k, who]): ParamInfo => ({
      path: `trend.${k}`,
      name: `Fee income trend (${who})`,
      unit: 'growth a year',
      format: 'percent',
      step: 0.005,
      min: -1,
      max: 1,
      editable: false,
      inSummary: false,
    }),
  ),
  // baseline churn (docs/model.md §1): memberships joining and leaving a year
  ...CATEGORIES_WITH_FEES.flatMap(([k, who]): ParamInfo[] =>
    (['joins', 'leaves'] as const).map((d) => ({
      path: `churn.${k}.${d}`,
      name: `${who} ${d === 'joins' ? 'joining' : 'leaving'} a year (baseline churn)`,
      unit: 'memberships a year',
      format: 'number',
      step: 1,
      min: 0,
      max: 1e5,
      editable: false,
      inSummary: false,
    })),
  ),
];

/** Every catalogued parameter of a scenario: the baseline's, then each option's (from its kind). */
export function parameterCatalogue(scenario: Model['scenario']): CatalogueEntry[] {
  return [
    ...BASELINE.map((p) => ({ ...p, path: `baseline.${p.path}`, option: null })),
    ...Object.entries(scenario.options).flatMap(([id, o]) =>
      kindOf(o)
        .parameters(o)
        .map((p) => ({ ...p, path: `options.${id}.${p.path}`, name: `${p.name} (${optionName(o, id)})`, option: id })),
    ),
  ];
}

/**
 * The catalogue entry of a scenario path; a path not in the catalogue (a rarely edited field) gets
 * its path as name and a plain number format.
 */
export function describeParameter(scenario: Model['scenario'], path: string): CatalogueEntry {
  const hit = parameterCatalogue(scenario).find((p) => p.path === path);
  if (hit) return hit;
  const option = path.startsWith('options.') ? (path.split('.')[1] ?? null) : null;
  return {
    path,
    name: path,
    unit: '',
    format: 'number',
    step: 1,
    min: -Infinity,
    max: Infinity,
    editable: false,
    inSummary: false,
    option,
  };
}
