import { z } from 'zod';
import { fixedNumber, numParam } from './distribution.js';
import { PRESET_NAMES } from './sme-presets.js';

/**
 * Building blocks of option specs, shared by the option kinds (engine/options/<kind>/spec.ts).
 * Every object is strict: an unknown key is an error with a "did you mean", never silently dropped.
 */
export const share = numParam({ min: 0, max: 1 });
export const chfPerYear = numParam({ min: 0, max: 1e9 });
export const count = numParam({ min: 0, max: 1e6 });
export const feeChf = fixedNumber({ min: 0, max: 1e7 });

/**
 * The rights-aware switch propensity (docs/model.md §8, "What switchers give up"): an incumbent that
 * gives up nothing switches with probability `base`; a Sector Member whose new arrangement keeps only
 * one Study Group switches with `base × sectorMemberFactor^(class ÷ the Sector's minimum class) ×
 * perExtraSector^(Sectors − 1)`.
 */
export const RightsAwarePropensity = z.strictObject({
  model: z.literal('rights-aware'),
  /** Take-up of a member that gives up no rights (an Associate, or an arrangement keeping Sector Member rights). */
  base: share,
  /** Factor for a Sector Member at its Sector's minimum class that gives up Sector Member rights. */
  sectorMemberFactor: share,
  /** Factor for each further Sector the entity is a member of. */
  perExtraSector: share,
});
export type RightsAwareSpec = z.infer<typeof RightsAwarePropensity>;

/**
 * A behaviour probability: a number or distribution in [0, 1], a mathjs expression (engine/expr), or
 * the rights-aware model.
 */
export const propensity = z.union([share, z.string().min(1), RightsAwarePropensity]);

export const sectorShares = z
  .strictObject({ R: fixedNumber({ min: 0, max: 1 }), T: fixedNumber({ min: 0, max: 1 }), D: fixedNumber({ min: 0, max: 1 }) })
  .refine((s) => Math.abs(s.R + s.T + s.D - 1) < 1e-9, { message: 'sector shares must sum to 1' });

export const Eligibility = z
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
export type EligibilitySpec = z.infer<typeof Eligibility>;

export const FeeByGroup = z.strictObject({ developed: feeChf, developing: feeChf });
/** A fee per Sector and development group. */
export const FeeTable = z.strictObject({
  /** `unit-fraction`: values are fractions of the Sector Member unit; `chf`: values are CHF. */
  basis: z.enum(['unit-fraction', 'chf']),
  R: FeeByGroup,
  T: FeeByGroup,
  D: FeeByGroup,
});
export type FeeTableSpec = z.infer<typeof FeeTable>;

export const Demand = z.strictObject({
  /** New participants per year at full ramp-up when the price equals referenceFeeChf. */
  referenceCount: count,
  referenceFeeChf: fixedNumber({ min: 1, max: 1e7 }),
  /** Price elasticity of demand (≤ 0): count scales with (price / referenceFee) ^ elasticity. */
  elasticity: numParam({ min: -10, max: 0 }),
  rampYears: fixedNumber({ min: 1, max: 50, integer: true }),
  developingShare: share,
  sectorShares,
});

/** Fields every option kind has. `label` is a name, never a claim about parameters (see `summary`). */
export const common = {
  label: z.string().optional(),
  description: z.string().optional(),
  /**
   * The option's number among the options of the report to PP-18, §5.1 (1 new SME category, 2 extend
   * the pilot, 3 review other options — pay-as-you-go is one of them —, 4 cease the pilot). Shown
   * before the name ("3. Pay-as-you-go per meeting"), so numbers follow the report, not the file.
   */
  reportOption: z.int().min(1).max(4).optional(),
};

/** The name shown for an option: its report number (if any), then its label (or id). */
export function optionName(spec: { label?: string | undefined; reportOption?: number | undefined }, id: string): string {
  const name = spec.label ?? id;
  return spec.reportOption === undefined ? name : `${spec.reportOption}. ${name}`;
}

/** A combination's name: the report numbers of its options joined by "+" ("1+3. …"), when they all have one. */
export function combinationName(
  combination: { label?: string | undefined },
  id: string,
  members: { reportOption?: number | undefined }[],
): string {
  const name = combination.label ?? id;
  const nums = members.map((m) => m.reportOption);
  return nums.every((n) => n !== undefined) ? `${[...new Set(nums)].sort().join('+')}. ${name}` : name;
}
