import { adminCostParam, SETUP_COST_PARAM } from '../cost-params.js';
import { demandParams, describeDemand } from '../demand-describe.js';
import { describeFeeTable, feeTableChf, feeTableParams, scaleFeeTable } from '../fee-table.js';
import type { OptionKind, ParamInfo } from '../kind.js';
import { explainOffer } from '../member-offer.js';
import { describeNum, formatValue } from '../plain.js';
import { describePropensity, PILOT_CONVERSION_PARAM, propensityParams } from '../switching.js';
import { bandList, bandOf, fitsBand, thresholdEntry } from './bands.js';
import { compileGraduatedFee } from './compile.js';
import { GraduatedFeeOption, type GraduatedFeeSpec } from './spec.js';

/** "micro (at most 10 staff)", "medium (at most 250 staff and turnover at most USD 50 M)". */
function bandLimits(b: GraduatedFeeSpec['bands'][string]): string {
  const head = `at most ${formatValue(b.maxEmployees, 'integer')} staff`;
  return b.maxTurnoverUsd === undefined ? head : `${head} and turnover at most ${formatValue(b.maxTurnoverUsd, 'usd')}`;
}

const lastBand = (s: GraduatedFeeSpec) => {
  const names = Object.keys(s.bands);
  return names[names.length - 1]!;
};

const COMMON_PARAMS: ParamInfo[] = [
  PILOT_CONVERSION_PARAM,
  ...demandParams('newEntrants', 'New members'),
  adminCostParam('adminCostPerMember', 'Admin cost per member'),
  SETUP_COST_PARAM,
];

export const graduatedFee: OptionKind<GraduatedFeeSpec> = {
  kind: 'graduated-fee',
  title: 'Graduated fee by size',
  schema: GraduatedFeeOption,
  validate: (s) => {
    const out: { path: (string | number)[]; message: string }[] = [];
    const bands = bandList(s);
    for (let b = 1; b < bands.length - 1; b++)
      if (!(bands[b]![1].maxEmployees > bands[b - 1]![1].maxEmployees))
        out.push({
          path: ['bands', bands[b]![0], 'maxEmployees'],
          message: `bands are listed from the smallest: expected more than ${bands[b - 1]![1].maxEmployees} (band "${bands[b - 1]![0]}"), found ${bands[b]![1].maxEmployees}`,
        });
    const sum = bands.reduce((a, [, b]) => a + b.entrantShare, 0);
    if (Math.abs(sum - 1) > 1e-9)
      out.push({ path: ['bands', lastBand(s), 'entrantShare'], message: `the bands' entrant shares must sum to 1, found ${sum}` });
    return out;
  },
  compile: compileGraduatedFee,
  summary: (s) =>
    `fee by size, each member in the first band it fits: ${bandList(s)
      .map(([name, b]) => `${name} (${bandLimits(b)}) ${describeFeeTable(b.fee)}`)
      .join('; ')}${s.requireIndependent ? '; independent members only' : ''}`,
  assumptions: (s) => [
    s.incumbentsMaySwitch
      ? `eligible incumbents whose band fee is lower than today's switch with probability ${describePropensity(s.switchPropensity)}`
      : 'incumbents may not switch',
    `pilot participants convert at their band's fee with probability ${describeNum(s.pilotConversionRate, 'percent')}`,
    `${describeDemand(s.newEntrants, 'new members')}, split ${bandList(s)
      .map(([name, b]) => `${formatValue(b.entrantShare, 'percent')} ${name}`)
      .join(', ')}, each band at its own fee`,
    `admin cost ${describeNum(s.adminCostPerMember, 'chf')} per member a year, set-up ${describeNum(s.setupCost, 'chf')}`,
  ],
  explain: (input) => {
    const { spec, pop, row } = input;
    const r = pop.roster;
    const e = r.employees[row]!,
      t = r.turnoverUsd[row]!;
    const checks = bandList(spec).map(
      ([name, b]) => `band ${name} (${bandLimits(b)}): ${fitsBand(b, e, t) ? 'fits' : Number.isNaN(e) ? 'headcount unknown' : 'no'}`,
    );
    if (spec.requireIndependent) checks.push(`independent of a larger group: ${r.independent[row] === 1 ? 'yes' : 'no'}`);
    const b = bandOf(spec, pop, row);
    if (b >= 0) checks.push(`band: ${bandList(spec)[b]![0]}`);
    return explainOffer(input, checks);
  },
  parameters: (s) =>
    bandList(s)
      .flatMap(([name, b]): ParamInfo[] => [
        {
          path: `bands.${name}.maxEmployees`,
          name: `Headcount limit, band ${name}`,
          unit: 'staff (inclusive)',
          format: 'integer',
          step: 10,
          min: 0,
          max: 10_000,
          editable: false,
          inSummary: true,
        },
        ...(b.maxTurnoverUsd === undefined
          ? []
          : [
              {
                path: `bands.${name}.maxTurnoverUsd`,
                name: `Turnover limit, band ${name}`,
                unit: 'USD a year',
                format: 'usd' as const,
                step: 5e6,
                min: 0,
                max: 1e10,
                editable: false,
                inSummary: true,
              },
            ]),
        ...feeTableParams(b.fee, `bands.${name}.fee`, `Fee, band ${name}`),
      ])
      .concat(propensityParams(s.switchPropensity, 'switchPropensity', 'Switch propensity', 'share of eligible incumbents'), COMMON_PARAMS),
  capabilities: {
    threshold: {
      path: (s) => `bands.${lastBand(s)}.maxEmployees`,
      get: (s) => s.bands[lastBand(s)]!.maxEmployees,
      set: (s, t) => {
        const last = lastBand(s);
        return { ...s, bands: { ...s.bands, [last]: { ...s.bands[last]!, maxEmployees: t } } };
      },
      entry: thresholdEntry,
    },
    feeScale: {
      scale: (s, f) => ({
        ...s,
        bands: Object.fromEntries(bandList(s).map(([name, b]) => [name, { ...b, fee: scaleFeeTable(b.fee, f) }])),
      }),
      feesChf: (s, unit) =>
        Object.fromEntries(
          bandList(s).flatMap(([name, b]) => Object.entries(feeTableChf(b.fee, unit)).map(([k, v]) => [`${name}.${k}`, v])),
        ),
    },
    combinable: true,
    replacesPilot: true,
  },
};
