import { z } from 'zod';
import { fixedNumber } from '../../../scenario/distribution.js';
import { common, share } from '../../../scenario/option-parts.js';

/** Option 4 of the report: cease the pilot (docs/scenario-format.md). */
export const CeasePilotOption = z.strictObject({
  kind: z.literal('cease-pilot'),
  ...common,
  joinAssociate: share,
  joinDelegation: share,
  leave: share,
  /**
   * Dirichlet concentration of the split (docs/model.md §6): the three shares, given as numbers (the
   * means), are drawn jointly from Dirichlet(concentration × shares). Absent: each share is drawn on its
   * own and the three are renormalised to sum to 1.
   */
  concentration: fixedNumber({ min: 0.01, max: 1e6 }).optional(),
});
export type CeasePilotSpec = z.infer<typeof CeasePilotOption>;
