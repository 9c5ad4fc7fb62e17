import { z } from 'zod';

/** What the model computes to compare with an observed figure (docs/model.md, "Back-test"). */
export const MEASURES = ['sme-entities', 'industry-entities', 'industry-and-exempt', 'sme-share'] as const;
export type Measure = (typeof MEASURES)[number];

/** data/observed.yaml: published outcomes, each with its source and confidence. */
export const ObservedSchema = z.strictObject({
  observed: z
    .array(
      z.strictObject({
        id: z.string().min(1),
        figure: z.string().min(1),
        /** When it was published, YYYY-MM. */
        date: z.string().regex(/^\d{4}-\d{2}$/, 'expected YYYY-MM'),
        /** Horizon year the model is read at; absent: today's roster, before any option. */
        year: z.number().int().min(2000).max(2100).optional(),
        value: z.number().nonnegative(),
        qualifier: z.enum(['exactly', 'over', 'around', 'under']),
        measure: z.enum(MEASURES),
        quote: z.string().min(1),
        source: z.string().min(1),
        confidence: z.enum(['H', 'M', 'L']),
      }),
    )
    .min(1),
});
export type Observed = z.infer<typeof ObservedSchema>['observed'][number];
