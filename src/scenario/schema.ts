import { z } from 'zod';
import { fixedNumber, meanOf, numParam } from './distribution.js';
import { PRESET_NAMES } from './sme-presets.js';

/**
 * The scenario file format (docs/scenario-format.md). Every object is strict: an unknown key is an
 * error with a "did you mean", never silently dropped.
 */
const share = numParam({ min: 0, max: 1 });
const chfPerYear = numParam({ min: 0, max: 1e9 });
const count = numParam({ min: 0, max: 1e6 });
const feeChf = fixedNumber({ min: 0, max: 1e7 });

/** A behaviour probability: a number or distribution in [0, 1], or a mathjs expression (engine/expr). */
const propensity = z.union([share, z.string().min(1)]);

const sectorShares = z
  .strictObject({ R: fixedNumber({ min: 0, max: 1 }), T: fixedNumber({ min: 0, max: 1 }), D: fixedNumber({ min: 0, max: 1 }) })
  .refine((s) => Math.abs(s.R + s.T + s.D - 1) < 1e-9, { message: 'sector shares must sum to 1' });

const Eligibility = z
  .strictObject({
    preset: z.enum(PRESET_NAMES as unknown as [string, ...string[]]),
    maxEmployees: fixedNumber({ min: 0, max: 1e7, integer: true }).optional(),
    maxTurnoverUsd: fixedNumber({ min: 0, max: 1e13 }).optional(),
    financial: z.enum(['none', 'and', 'or']).optional(),
    requireIndependent: z.boolean().optional(),
  })
  .superRefine((e, ctx) => {
    if (e.preset === 'custom' && e.maxEmployees === undefined)
      ctx.addIssue({ code: 'custom', path: ['maxEmployees'], message: 'a custom eligibility rule needs maxEmployees' });
  });

const FeeByGroup = z.strictObject({ developed: feeChf, developing: feeChf });
const SmeFee = z.strictObject({
  /** `unit-fraction`: values are fractions of the Sector Member unit; `chf`: values are CHF. */
  basis: z.enum(['unit-fraction', 'chf']),
  R: FeeByGroup,
  T: FeeByGroup,
  D: FeeByGroup,
});

const Demand = z.strictObject({
  /** New participants per year at full ramp-up when the price equals referenceFeeChf. */
  referenceCount: count,
  referenceFeeChf: fixedNumber({ min: 1, max: 1e7 }),
  /** Price elasticity of demand (≤ 0): count scales with (price / referenceFee) ^ elasticity. */
  elasticity: numParam({ min: -10, max: 0 }),
  rampYears: fixedNumber({ min: 1, max: 50, integer: true }),
  developingShare: share,
  sectorShares,
});

const common = {
  label: z.string().optional(),
  description: z.string().optional(),
};

export const SmeCategoryOption = z.strictObject({
  kind: z.literal('sme-category'),
  ...common,
  eligibility: Eligibility,
  fee: SmeFee,
  incumbentsMaySwitch: z.boolean(),
  switchPropensity: propensity,
  pilotConversionRate: share,
  newEntrants: Demand,
  adminCostPerMember: chfPerYear,
  setupCost: chfPerYear,
});

export const PayAsYouGoOption = z.strictObject({
  kind: z.literal('pay-as-you-go'),
  ...common,
  eligibility: Eligibility,
  basis: z.enum(['meeting', 'day']),
  fee: z.strictObject({ R: feeChf, T: feeChf, D: feeChf }),
  daysPerMeeting: z.strictObject({
    R: fixedNumber({ min: 0.5, max: 30 }),
    T: fixedNumber({ min: 0.5, max: 30 }),
    D: fixedNumber({ min: 0.5, max: 30 }),
  }),
  developingDiscount: fixedNumber({ min: 0, max: 1 }),
  /** Meetings a year assumed for a member whose roster row has no meetings_per_year. */
  attendance: z.strictObject({
    'sector-member': numParam({ min: 0, max: 366 }),
    associate: numParam({ min: 0, max: 366 }),
    'sme-pilot': numParam({ min: 0, max: 366 }),
  }),
  incumbentsMaySwitch: z.boolean(),
  switchPropensity: propensity,
  pilotConversionRate: share,
  newParticipants: Demand.extend({ meetingsPerYear: numParam({ min: 0, max: 366 }) }),
  costPerRegistration: chfPerYear,
  setupCost: chfPerYear,
});

export const ExtendPilotOption = z.strictObject({
  kind: z.literal('extend-pilot'),
  ...common,
  durationYears: fixedNumber({ min: 1, max: 50, integer: true }),
  newApprovalsPerYear: count,
  cap: fixedNumber({ min: 0, max: 1e6, integer: true }),
  adminCostPerParticipant: chfPerYear,
  leakage: z.strictObject({ eligibility: Eligibility, rate: share }),
  conversionAtEnd: share,
  developingShare: share,
  sectorShares,
});

export const CeasePilotOption = z.strictObject({
  kind: z.literal('cease-pilot'),
  ...common,
  joinAssociate: share,
  joinDelegation: share,
  leave: share,
});

export const OptionSchema = z.discriminatedUnion('kind', [SmeCategoryOption, PayAsYouGoOption, ExtendPilotOption, CeasePilotOption]);
export type OptionSpec = z.infer<typeof OptionSchema>;
export type SmeCategorySpec = z.infer<typeof SmeCategoryOption>;
export type PayAsYouGoSpec = z.infer<typeof PayAsYouGoOption>;
export type ExtendPilotSpec = z.infer<typeof ExtendPilotOption>;
export type CeasePilotSpec = z.infer<typeof CeasePilotOption>;
export type EligibilitySpec = z.infer<typeof Eligibility>;
export const OPTION_KINDS = ['sme-category', 'pay-as-you-go', 'extend-pilot', 'cease-pilot'] as const;

const optionId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'option ids are lowercase letters, digits and dashes');

export const ScenarioSchema = z
  .strictObject({
    $schema: z.string().optional(),
    extends: z.string().optional(),
    title: z.string().min(1),
    description: z.string().optional(),
    /** Paths are relative to the scenario file that names them. */
    roster: z.string().min(1),
    feeSchedule: z.string().min(1),
    countries: z.string().min(1),
    horizon: z.strictObject({
      startYear: fixedNumber({ min: 2000, max: 2100, integer: true }),
      years: fixedNumber({ min: 1, max: 30, integer: true }),
      discountRate: fixedNumber({ min: -0.5, max: 1 }),
    }),
    baseline: z.strictObject({
      /** Annual growth of fee income per category (0 = today's income every year). */
      trend: z.strictObject({
        'sector-member': numParam({ min: -1, max: 1 }),
        associate: numParam({ min: -1, max: 1 }),
        academia: numParam({ min: -1, max: 1 }),
      }),
      pilotAdminCostPerParticipant: chfPerYear,
    }),
    options: z.record(optionId, OptionSchema).refine((o) => Object.keys(o).length > 0, { message: 'expected at least one option' }),
    /** Options computed jointly (each member takes at most its cheapest new arrangement). */
    combinations: z.record(optionId, z.strictObject({ label: z.string().optional(), options: z.array(z.string()).min(2) })).optional(),
  })
  .superRefine((s, ctx) => {
    for (const [id, o] of Object.entries(s.options)) {
      if (o.kind === 'cease-pilot' && Math.abs(sharesSum(o) - 1) > 1e-9)
        ctx.addIssue({
          code: 'custom',
          path: ['options', id, 'leave'],
          message: `joinAssociate + joinDelegation + leave must sum to 1 (at their means), found ${sharesSum(o)}`,
        });
    }
    for (const [cid, c] of Object.entries(s.combinations ?? {})) {
      c.options.forEach((oid, k) => {
        const o = s.options[oid];
        if (!o)
          ctx.addIssue({
            code: 'custom',
            path: ['combinations', cid, 'options', k],
            message: `unknown option "${oid}"; options are ${Object.keys(s.options).join(', ')}`,
          });
        else if (o.kind !== 'sme-category' && o.kind !== 'pay-as-you-go')
          ctx.addIssue({
            code: 'custom',
            path: ['combinations', cid, 'options', k],
            message: `only sme-category and pay-as-you-go options can be combined (both replace the pilot); "${oid}" is ${o.kind}`,
          });
      });
      if (new Set(c.options).size !== c.options.length)
        ctx.addIssue({ code: 'custom', path: ['combinations', cid, 'options'], message: 'an option is listed twice' });
      if (s.options[cid]) ctx.addIssue({ code: 'custom', path: ['combinations', cid], message: `"${cid}" is already an option id` });
    }
  });
export type Scenario = z.infer<typeof ScenarioSchema>;

/** Sum of the three exit shares at their means; draws are renormalised to sum to 1 (engine). */
function sharesSum(o: CeasePilotSpec): number {
  return meanOf(o.joinAssociate) + meanOf(o.joinDelegation) + meanOf(o.leave);
}
