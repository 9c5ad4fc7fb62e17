import { Cat } from '../../../domain/codes.js';
import { meanOf } from '../../random/distributions.js';
import type { OptionKind, ParamInfo } from '../kind.js';
import { describeNum } from '../plain.js';
import { compileCeasePilot } from './compile.js';
import { CeasePilotOption, type CeasePilotSpec } from './spec.js';

const SHARES = [
  ['joinAssociate', 'Pilot participants joining as Associates'],
  ['joinDelegation', 'Pilot participants joining a national delegation'],
  ['leave', 'Pilot participants leaving'],
] as const;

/** Sum of the three exit shares at their means; draws are renormalised to sum to 1 (compile.ts). */
const sharesSum = (o: CeasePilotSpec) => meanOf(o.joinAssociate) + meanOf(o.joinDelegation) + meanOf(o.leave);

export const ceasePilot: OptionKind<CeasePilotSpec> = {
  kind: 'cease-pilot',
  title: 'Pilot ceased',
  schema: CeasePilotOption,
  validate: (o) =>
    Math.abs(sharesSum(o) - 1) > 1e-9
      ? [{ path: ['leave'], message: `joinAssociate + joinDelegation + leave must sum to 1 (at their means), found ${sharesSum(o)}` }]
      : [],
  compile: compileCeasePilot,
  summary: (s) =>
    `the pilot ends: ${describeNum(s.joinAssociate, 'percent')} of participants join as Associates, ${describeNum(s.joinDelegation, 'percent')} a national delegation, ${describeNum(s.leave, 'percent')} leave`,
  assumptions: () => ['the pilot’s admin cost is saved from the first year'],
  explain: ({ pop, row }) => ({
    lines: [
      pop.roster.category[row] === Cat.SmePilot
        ? 'the pilot ends: joins as Associate, a national delegation, or leaves (shares of the scenario)'
        : 'no individual effect (aggregate leakage only, if eligible)',
    ],
    feeUnderOption: null,
    expectedSwitch: 0,
  }),
  parameters: () =>
    SHARES.map(
      ([path, name]): ParamInfo => ({
        path,
        name,
        unit: 'share of pilot participants',
        format: 'percent',
        step: 0.05,
        min: 0,
        max: 1,
        editable: false,
        inSummary: true,
      }),
    ),
  capabilities: { threshold: null, feeScale: null, combinable: false, replacesPilot: true },
};
