import { SECTOR_NAMES, SECTORS } from '../../../domain/codes.js';
import { adminCostParam, SETUP_COST_PARAM } from '../cost-params.js';
import { demandParams, describeDemand } from '../demand-describe.js';
import { describeEligibility, eligibilityParams, eligibilityThreshold, resolveRule, ruleChecks } from '../eligibility.js';
import type { OptionKind, ParamInfo } from '../kind.js';
import { explainOffer } from '../member-offer.js';
import { describeNum, formatValue } from '../plain.js';
import { describePropensity, PILOT_CONVERSION_PARAM, propensityParams } from '../switching.js';
import { compilePayAsYouGo } from './compile.js';
import { PayAsYouGoOption, type PayAsYouGoSpec } from './spec.js';

/** "CHF 5,300 per ITU-T meeting (ITU-D CHF 2,000), half for developing countries". */
function describePrice(s: PayAsYouGoSpec): string {
  const chf = (v: number) => formatValue(v, 'chf');
  const others = SECTORS.filter((x) => s.fee[x] !== s.fee.T).map((x) => `${SECTOR_NAMES[x]} ${chf(s.fee[x])}`);
  const days =
    s.basis === 'day'
      ? `; ${SECTORS.map((x) => `${formatValue(s.daysPerMeeting[x], 'number')} days a meeting in ${SECTOR_NAMES[x]}`).join(', ')}`
      : '';
  const disc =
    s.developingDiscount === 0
      ? 'no discount for developing countries'
      : s.developingDiscount === 0.5
        ? 'half for developing countries'
        : `${formatValue(s.developingDiscount, 'percent')} off for developing countries`;
  return `${chf(s.fee.T)} per ITU-T ${s.basis}${others.length ? ` (${others.join(', ')})` : ''}, ${disc}${days}`;
}

export const payAsYouGo: OptionKind<PayAsYouGoSpec> = {
  kind: 'pay-as-you-go',
  title: 'Pay-as-you-go',
  schema: PayAsYouGoOption,
  validate: () => [],
  compile: compilePayAsYouGo,
  summary: (s) => `${describeEligibility(s.eligibility)}; ${describePrice(s)}`,
  assumptions: (s) => [
    s.incumbentsMaySwitch
      ? `eligible incumbents for whom it costs less switch with probability ${describePropensity(s.switchPropensity)}`
      : 'incumbents may not switch',
    `pilot participants convert with probability ${describeNum(s.pilotConversionRate, 'percent')}`,
    `members without a recorded attendance attend ${describeNum(s.attendance['sector-member'], 'number')} meetings a year (Sector Members), ${describeNum(s.attendance.associate, 'number')} (Associates), ${describeNum(s.attendance['sme-pilot'], 'number')} (pilot participants)`,
    `${describeDemand(s.newParticipants, 'occasional participants')}, each attending ${describeNum(s.newParticipants.meetingsPerYear, 'number')} meetings a year`,
    `admin cost ${describeNum(s.costPerRegistration, 'chf')} per registration, set-up ${describeNum(s.setupCost, 'chf')}`,
  ],
  explain: (input) => {
    const { spec, pop, row } = input;
    const r = pop.roster;
    return explainOffer(input, ruleChecks(resolveRule(spec.eligibility), r.employees[row]!, r.turnoverUsd[row]!, r.independent[row] === 1));
  },
  parameters: (s) => [
    ...eligibilityParams(s.eligibility, 'eligibility', 'Pay-as-you-go', true),
    ...SECTORS.map(
      (x): ParamInfo => ({
        path: `fee.${x}`,
        name: `Price per ${s.basis} (${SECTOR_NAMES[x]})`,
        unit: `CHF per ${s.basis}`,
        format: 'chf',
        step: 100,
        min: 0,
        max: 1e6,
        editable: false,
        inSummary: true,
      }),
    ),
    {
      path: 'developingDiscount',
      name: 'Developing-country discount',
      unit: 'share of the price',
      format: 'percent',
      step: 0.05,
      min: 0,
      max: 1,
      editable: false,
      inSummary: true,
    },
    ...propensityParams(s.switchPropensity, 'switchPropensity', 'Switch propensity', 'share of eligible incumbents'),
    PILOT_CONVERSION_PARAM,
    ...(['sector-member', 'associate', 'sme-pilot'] as const).map(
      (c): ParamInfo => ({
        path: `attendance.${c}`,
        name: `Meetings a year (${c === 'sector-member' ? 'Sector Members' : c === 'associate' ? 'Associates' : 'pilot participants'})`,
        unit: 'meetings a year',
        format: 'number',
        step: 0.5,
        min: 0,
        max: 366,
        editable: false,
        inSummary: false,
      }),
    ),
    ...demandParams('newParticipants', 'Occasional participants'),
    {
      path: 'newParticipants.meetingsPerYear',
      name: 'Meetings a year (occasional participants)',
      unit: 'meetings a year',
      format: 'number',
      step: 0.5,
      min: 0,
      max: 366,
      editable: false,
      inSummary: false,
    },
    adminCostParam('costPerRegistration', 'Admin cost per registration', { unit: 'CHF', step: 10 }),
    SETUP_COST_PARAM,
  ],
  capabilities: {
    threshold: eligibilityThreshold(),
    feeScale: {
      scale: (s, f) => ({ ...s, fee: { R: s.fee.R * f, T: s.fee.T * f, D: s.fee.D * f } }),
      feesChf: (s) => ({ R: s.fee.R, T: s.fee.T, D: s.fee.D }),
    },
    combinable: true,
    replacesPilot: true,
  },
};
