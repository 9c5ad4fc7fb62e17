import { Cat } from '../../../domain/codes.js';
import { adminCostParam } from '../cost-params.js';
import { describeEligibility, eligibilityParams } from '../eligibility.js';
import type { OptionKind } from '../kind.js';
import { describeNum, formatValue } from '../plain.js';
import { compileExtendPilot } from './compile.js';
import { ExtendPilotOption, type ExtendPilotSpec } from './spec.js';

export const extendPilot: OptionKind<ExtendPilotSpec> = {
  kind: 'extend-pilot',
  title: 'Extended pilot',
  schema: ExtendPilotOption,
  validate: () => [],
  compile: compileExtendPilot,
  summary: (s) =>
    `the free pilot runs ${s.durationYears} more year${s.durationYears === 1 ? '' : 's'}, up to ${formatValue(s.cap, 'integer')} participants; then ${describeNum(s.conversionAtEnd, 'percent')} join as Associates`,
  assumptions: (s) => [
    `${describeNum(s.newApprovalsPerYear, 'number')} new participants approved a year, ${describeNum(s.developingShare, 'percent')} from developing countries`,
    `${describeNum(s.leakage.rate, 'percent')} a year of small paying members leave for the free pilot (${describeEligibility(s.leakage.eligibility, 'leakage test')})`,
    `admin cost ${describeNum(s.adminCostPerParticipant, 'chf')} per participant a year`,
  ],
  explain: ({ pop, row }) => ({
    lines: [
      pop.roster.category[row] === Cat.SmePilot
        ? 'stays in the extended pilot, free of charge, until it ends'
        : 'no individual effect (aggregate leakage only, if eligible)',
    ],
    feeUnderOption: null,
    expectedSwitch: 0,
  }),
  parameters: (s) => [
    {
      path: 'durationYears',
      name: 'Pilot extension',
      unit: 'years',
      format: 'integer',
      step: 1,
      min: 1,
      max: 50,
      editable: false,
      inSummary: true,
    },
    {
      path: 'cap',
      name: 'Pilot cap',
      unit: 'participants',
      format: 'integer',
      step: 5,
      min: 0,
      max: 10_000,
      editable: false,
      inSummary: true,
    },
    {
      path: 'newApprovalsPerYear',
      name: 'New pilot approvals a year',
      unit: 'per year',
      format: 'number',
      step: 1,
      min: 0,
      max: 1000,
      editable: false,
      inSummary: false,
    },
    {
      path: 'leakage.rate',
      name: 'Leakage to the free pilot',
      unit: 'share a year',
      format: 'percent',
      step: 0.005,
      min: 0,
      max: 1,
      editable: false,
      inSummary: false,
    },
    ...eligibilityParams(s.leakage.eligibility, 'leakage.eligibility', 'Leakage', false),
    {
      path: 'conversionAtEnd',
      name: 'Conversion at the end',
      unit: 'share of participants',
      format: 'percent',
      step: 0.05,
      min: 0,
      max: 1,
      editable: true,
      inSummary: true,
    },
    {
      path: 'developingShare',
      name: 'Developing-country share (new participants)',
      unit: 'share',
      format: 'percent',
      step: 0.05,
      min: 0,
      max: 1,
      editable: false,
      inSummary: false,
    },
    adminCostParam('adminCostPerParticipant', 'Admin cost per pilot participant'),
  ],
  capabilities: { threshold: null, feeScale: null, combinable: false, replacesPilot: false },
};
