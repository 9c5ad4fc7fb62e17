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
  validate: (o) => [
    ...(Math.abs(sharesSum(o) - 1) > 1e-9
      ? [{ path: ['leave'], message: `joinAssociate + joinDelegation + leave must sum to 1 (at their means), found ${sharesSum(o)}` }]
      : []),
    ...(o.concentration !== undefined
      ? SHARES.filter(([k]) => typeof o[k] !== 'number').map(([k]) => ({
          path: [k],
          message: 'with concentration (a Dirichlet split), give each share as a number: its mean',
        }))
      : []),
  ],
  compile: compileCeasePilot,
  summary: (s) =>
    `the pilot ends: ${describeNum(s.joinAssociate, 'percent')} of participants join as Associates, ${describeNum(s.joinDelegation, 'percent')} a national delegation, ${describeNum(s.leave, 'percent')} leave${s.concentration === undefined ? '' : ` (on average; Dirichlet split, concentration ${s.concentration})`}`,
  assumptions: () => ['the pilot’s admin cost is saved in every year the baseline’s pilot would run'],
  explain: ({ pop, row }) => ({
    lines: [
      pop.roster.category[row] === Cat.SmePilot
        ? 'the pilot ends: joins as Associate, a national delegation, or leaves (shares of the scenario)'
        : 'no individual effect (aggregate leakage only, if eligible)',
    ],
    feeUnderOption: null,
    expectedSwitch: 0,
  }),
  parameters: (s) => [
    ...SHARES.map(
      ([path, name]): ParamInfo => ({
        path,
        // With a Dirichlet split the engine draws joinDelegation as a share of those not joining as Associates (compile.ts).
        name:
          s.concentration !== undefined && path === 'joinDelegation'
            ? 'Of those not joining as Associates, share joining a national delegation'
            : name,
        unit: 'share of pilot participants',
        format: 'percent',
        step: 0.05,
        min: 0,
        max: 1,
        editable: false,
        inSummary: true,
      }),
    ),
    ...(s.concentration === undefined
      ? []
      : [
          {
            path: 'concentration',
            name: 'Concentration of the Dirichlet split',
            unit: 'pseudo-participants',
            format: 'number' as const,
            step: 1,
            min: 0.01,
            max: 1e6,
            editable: false,
            inSummary: true,
          },
        ]),
  ],
  capabilities: { threshold: null, feeScale: null, combinable: false, replacesPilot: true },
};
