import { meanOf } from '../scenario/distribution.js';
import { getIn } from '../scenario/paths.js';
import type { Scenario } from '../scenario/schema.js';

/** How a parameter's value is written (the same vocabulary as the option kinds' catalogue). */
export type ValueFormat = 'percent' | 'chf' | 'usd' | 'integer' | 'number' | 'unit-fraction';

/** One editable parameter as the explorer shows it: full scenario path, human name, unit, format, step, range. */
export interface TuiParam {
  path: string;
  /** The option's id. */
  option: string;
  name: string;
  unit: string;
  format: ValueFormat;
  step: number;
  min: number;
  max: number;
}

type Entry = [rel: string, name: string, unit: string, format: ValueFormat, step: number, min: number, max: number];
const demand = (at: string, who: string): Entry[] => [
  [`${at}.referenceCount`, `${who} a year`, 'at full ramp-up, at the reference fee', 'number', 1, 0, 1e6],
  [`${at}.referenceFeeChf`, 'Reference fee', 'for the demand curve', 'chf', 100, 1, 1e7],
  [`${at}.elasticity`, 'Price elasticity', 'of demand', 'number', 0.1, -10, 0],
  [`${at}.developingShare`, `${who}: developing share`, '', 'percent', 0.05, 0, 1],
];
/** Each option kind's editable parameters (paths inside the option). */
const BY_KIND: Record<string, Entry[]> = {
  'sme-category': [
    ['switchPropensity', 'Switch propensity', 'of eligible incumbents', 'percent', 0.05, 0, 1],
    ['pilotConversionRate', 'Pilot conversion rate', 'of pilot participants', 'percent', 0.05, 0, 1],
    ...demand('newEntrants', 'New SMEs'),
    ['adminCostPerMember', 'Admin cost per SME member', 'a year', 'chf', 50, 0, 1e5],
  ],
  'pay-as-you-go': [
    ['switchPropensity', 'Switch propensity', 'of eligible incumbents', 'percent', 0.05, 0, 1],
    ['pilotConversionRate', 'Pilot conversion rate', 'of pilot participants', 'percent', 0.05, 0, 1],
    ...demand('newParticipants', 'Occasional users'),
    ['newParticipants.meetingsPerYear', 'Meetings a year per participant', '', 'number', 0.5, 0, 366],
    ['developingDiscount', 'Developing-country discount', '', 'percent', 0.05, 0, 1],
    ['costPerRegistration', 'Cost per registration', '', 'chf', 10, 0, 1e5],
  ],
  'extend-pilot': [
    ['newApprovalsPerYear', 'New approvals a year', '', 'number', 1, 0, 1e6],
    ['leakage.rate', 'Leakage rate', 'of incumbents a year', 'percent', 0.005, 0, 1],
    ['conversionAtEnd', 'Conversion at the end', 'of participants', 'percent', 0.05, 0, 1],
    ['adminCostPerParticipant', 'Admin cost per participant', 'a year', 'chf', 50, 0, 1e5],
  ],
  'cease-pilot': [
    ['joinAssociate', 'Join as Associates', 'of participants', 'percent', 0.05, 0, 1],
    ['joinDelegation', 'Join national delegations', 'of participants', 'percent', 0.05, 0, 1],
    ['leave', 'Leave', 'of participants', 'percent', 0.05, 0, 1],
  ],
};

/** Every editable parameter of the scenario's options, option by option, in scenario order. */
export function tuiParams(s: Scenario): TuiParam[] {
  return Object.entries(s.options).flatMap(([id, o]) =>
    (BY_KIND[o.kind] ?? [])
      .filter(([rel]) => getIn(s, `options.${id}.${rel}`) !== undefined)
      .map(([rel, name, unit, format, step, min, max]) => ({
        path: `options.${id}.${rel}`,
        option: id,
        name,
        unit,
        format,
        step,
        min,
        max,
      })),
  );
}

const BASELINE: TuiParam[] = [
  {
    path: 'baseline.pilotAdminCostPerParticipant',
    option: '',
    name: 'Pilot admin cost per participant',
    unit: 'a year',
    format: 'chf',
    step: 50,
    min: 0,
    max: 1e5,
  },
  ...(
    [
      ['sector-member', 'Sector Members'],
      ['associate', 'Associates'],
      ['academia', 'Academia'],
    ] as const
  ).map(
    ([k, who]): TuiParam => ({
      path: `baseline.trend.${k}`,
      option: '',
      name: `Fee income trend (${who})`,
      unit: 'a year',
      format: 'percent',
      step: 0.005,
      min: -1,
      max: 1,
    }),
  ),
];

/** The parameter at a scenario path, or a plain entry named by its path (not in the catalogue). */
export function paramAt(s: Scenario, path: string): TuiParam {
  return (
    tuiParams(s).find((p) => p.path === path) ??
    BASELINE.find((p) => p.path === path) ?? {
      path,
      option: path.split('.')[1] ?? '',
      name: path.replace(/^options\.[^.]+\./, ''),
      unit: '',
      format: 'number',
      step: 1,
      min: -Infinity,
      max: Infinity,
    }
  );
}

/** The value the deterministic run uses: a number as written, a distribution's mean, an expression: NaN. */
export function valueIn(s: Scenario, path: string): number {
  const v = getIn(s, path);
  if (typeof v === 'number') return v;
  if (typeof v === 'object' && v !== null && 'dist' in v) return meanOf(v as Parameters<typeof meanOf>[0]);
  return Number.NaN;
}

const grouped = (x: number, d: number) => x.toLocaleString('en-GB', { maximumFractionDigits: d });
/** One value in its format, with `sig` significant digits where it is not a whole amount. */
export function formatValue(v: number, format: ValueFormat, sig = 3): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'expression' : 'no limit';
  const sigd = (x: number) => {
    if (x === 0) return '0';
    const frac = Math.max(0, sig - 1 - Math.floor(Math.log10(Math.abs(x))));
    return grouped(Number(x.toFixed(Math.min(frac, 10))), Math.min(frac, 10));
  };
  switch (format) {
    case 'percent':
      return `${sigd(v * 100)} %`;
    case 'chf':
      return `CHF ${Math.abs(v) >= 100 ? grouped(Math.round(v), 0) : sigd(v)}`;
    case 'usd':
      return Math.abs(v) >= 1e6 ? `USD ${sigd(v / 1e6)} M` : `USD ${grouped(Math.round(v), 0)}`;
    case 'integer':
      return grouped(Math.round(v), 0);
    case 'unit-fraction':
      return v === 0
        ? 'free'
        : Math.abs(1 / v - Math.round(1 / v)) < 1e-9
          ? `1/${Math.round(1 / v)} of the unit`
          : `${sigd(v)} of the unit`;
    default:
      return sigd(v);
  }
}

/** Two values in their format with enough digits that different values never print alike. */
export function formatPair(a: number, b: number, format: ValueFormat): [string, string] {
  for (let sig = 2; sig < 7; sig++) {
    const x = formatValue(a, format, sig),
      y = formatValue(b, format, sig);
    if (x !== y || a === b) return [x, y];
  }
  return [formatValue(a, format, 7), formatValue(b, format, 7)];
}
