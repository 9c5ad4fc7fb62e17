import { z } from 'zod';
import { fixedNumber, numParam } from '../../../scenario/distribution.js';
import { chfPerYear, common, Demand, Eligibility, feeChf, propensity, share } from '../../../scenario/option-parts.js';

/** Option 3 of the report: pay-as-you-go participation per meeting or day (docs/scenario-format.md). */
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
export type PayAsYouGoSpec = z.infer<typeof PayAsYouGoOption>;
