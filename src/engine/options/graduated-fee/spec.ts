import { z } from 'zod';
import { fixedNumber } from '../../../scenario/distribution.js';
import { chfPerYear, common, Demand, FeeTable, propensity, share } from '../../../scenario/option-parts.js';

/** One size band: its limits (inclusive) and its fee. */
const Band = z.strictObject({
  /** Largest headcount in the band (inclusive). */
  maxEmployees: fixedNumber({ min: 0, max: 1e7, integer: true }),
  /** Optional turnover limit in USD (inclusive); an unknown turnover passes. */
  maxTurnoverUsd: fixedNumber({ min: 0, max: 1e13 }).optional(),
  fee: FeeTable,
  /** Share of the new entrants that join in this band (the shares of all bands sum to 1). */
  entrantShare: fixedNumber({ min: 0, max: 1 }),
});
export type BandSpec = z.infer<typeof Band>;

const bandId = z.string().regex(/^[a-z][a-z0-9-]*$/, 'band names are lowercase letters, digits and dashes, starting with a letter');

/**
 * A fee scale by size instead of one SME fee (docs/model.md §6a). Bands are a mapping, listed from the
 * smallest: a member belongs to the first band whose limits it meets. The last band's headcount limit
 * is the option's employee threshold (the threshold explorer, sweeps and solvers move it).
 */
export const GraduatedFeeOption = z.strictObject({
  kind: z.literal('graduated-fee'),
  ...common,
  bands: z.record(bandId, Band).refine((b) => Object.keys(b).length > 0, { message: 'expected at least one band' }),
  /** Exclude members that are part of a larger group. */
  requireIndependent: z.boolean(),
  incumbentsMaySwitch: z.boolean(),
  switchPropensity: propensity,
  pilotConversionRate: share,
  newEntrants: Demand,
  adminCostPerMember: chfPerYear,
  setupCost: chfPerYear,
});
export type GraduatedFeeSpec = z.infer<typeof GraduatedFeeOption>;
