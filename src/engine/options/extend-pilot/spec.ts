import { z } from 'zod';
import { fixedNumber } from '../../../scenario/distribution.js';
import { chfPerYear, common, count, Eligibility, sectorShares, share } from '../../../scenario/option-parts.js';

/** Option 2 of the report: extend the free pilot (docs/scenario-format.md). */
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
export type ExtendPilotSpec = z.infer<typeof ExtendPilotOption>;
