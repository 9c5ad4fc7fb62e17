import { z } from 'zod';
import { common, share } from '../../../scenario/option-parts.js';

/** Option 4 of the report: cease the pilot (docs/scenario-format.md). */
export const CeasePilotOption = z.strictObject({
  kind: z.literal('cease-pilot'),
  ...common,
  joinAssociate: share,
  joinDelegation: share,
  leave: share,
});
export type CeasePilotSpec = z.infer<typeof CeasePilotOption>;
