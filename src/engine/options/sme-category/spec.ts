import { z } from 'zod';
import { chfPerYear, common, Demand, Eligibility, FeeTable, propensity, share } from '../../../scenario/option-parts.js';

/** Option 1 of the report: a new membership category for SMEs at a reduced fee (docs/scenario-format.md). */
export const SmeCategoryOption = z.strictObject({
  kind: z.literal('sme-category'),
  ...common,
  eligibility: Eligibility,
  fee: FeeTable,
  incumbentsMaySwitch: z.boolean(),
  /** Whether an SME member keeps Sector Member rights (default false: SMEs join as Associates, one Study Group; facts 5.2, 3.6). */
  keepsSectorMemberRights: z.boolean().optional(),
  switchPropensity: propensity,
  pilotConversionRate: share,
  newEntrants: Demand,
  adminCostPerMember: chfPerYear,
  setupCost: chfPerYear,
});
export type SmeCategorySpec = z.infer<typeof SmeCategoryOption>;
