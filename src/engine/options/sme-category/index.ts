import { adminCostParam, SETUP_COST_PARAM } from '../cost-params.js';
import { demandParams, describeDemand } from '../demand-describe.js';
import { describeEligibility, eligibilityParams, eligibilityThreshold, resolveRule, ruleChecks } from '../eligibility.js';
import { describeFeeTable, feeAtFieldScale, feeTableParams } from '../fee-table.js';
import type { OptionKind } from '../kind.js';
import { explainOffer } from '../member-offer.js';
import { describeNum } from '../plain.js';
import { describePropensity, PILOT_CONVERSION_PARAM, propensityParams } from '../switching.js';
import { compileSmeCategory } from './compile.js';
import { SmeCategoryOption, type SmeCategorySpec } from './spec.js';

export const smeCategory: OptionKind<SmeCategorySpec> = {
  kind: 'sme-category',
  title: 'SME category',
  schema: SmeCategoryOption,
  validate: () => [],
  compile: compileSmeCategory,
  summary: (s) => `${describeEligibility(s.eligibility)}; fee ${describeFeeTable(s.fee)}`,
  assumptions: (s) => [
    s.incumbentsMaySwitch
      ? `eligible incumbents who would pay less switch with probability ${describePropensity(s.switchPropensity)}`
      : 'incumbents may not switch',
    `pilot participants convert with probability ${describeNum(s.pilotConversionRate, 'percent')}`,
    describeDemand(s.newEntrants, 'new SMEs'),
    `admin cost ${describeNum(s.adminCostPerMember, 'chf')} per member a year, set-up ${describeNum(s.setupCost, 'chf')}`,
  ],
  explain: (input) => {
    const { spec, pop, row } = input;
    const r = pop.roster;
    return explainOffer(input, ruleChecks(resolveRule(spec.eligibility), r.employees[row]!, r.turnoverUsd[row]!, r.independent[row] === 1));
  },
  parameters: (s) => [
    ...eligibilityParams(s.eligibility, 'eligibility', 'SME', true),
    ...feeTableParams(s.fee, 'fee', 'SME fee'),
    ...propensityParams(s.switchPropensity, 'switchPropensity', 'Switch propensity', 'share of eligible incumbents'),
    PILOT_CONVERSION_PARAM,
    ...demandParams('newEntrants', 'New SMEs'),
    adminCostParam('adminCostPerMember', 'Admin cost per SME member'),
    SETUP_COST_PARAM,
  ],
  capabilities: {
    threshold: eligibilityThreshold(),
    feeScale: feeAtFieldScale(),
    combinable: true,
    replacesPilot: true,
  },
};
