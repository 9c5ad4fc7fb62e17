import { z } from 'zod';
import { BASELINE_PILOT, BASELINE_PILOT_EXPECTED } from '../domain/baseline-pilot.js';
import { COMBINABLE_KINDS, kindOf, OPTION_KINDS, OPTION_SCHEMAS, type OptionSpec } from '../engine/options/registry.js';
import { fixedNumber, numParam } from './distribution.js';

/**
 * The scenario file format (docs/scenario-format.md). Every object is strict: an unknown key is an
 * error with a "did you mean", never silently dropped. Option specs come from the option kinds'
 * registry (engine/options/registry.ts); their building blocks from option-parts.ts.
 */
const chfPerYear = numParam({ min: 0, max: 1e9 });

export const OptionSchema = z.discriminatedUnion('kind', OPTION_SCHEMAS) as unknown as z.ZodType<OptionSpec>;
export type { EligibilitySpec } from './option-parts.js';
export type { OptionSpec };
export { OPTION_KINDS };

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
      /**
       * The pilot in the baseline (docs/model.md §1): `continues` (the report's framing: the pilot running
       * as today) or `ends <year>` (from January of that year the pilot costs nothing and its participants
       * pay nothing).
       */
      pilot: z.string().regex(BASELINE_PILOT, BASELINE_PILOT_EXPECTED).optional(),
      /** Further baselines the comparison is also shown against (`feesim run` prints one table each). */
      alsoAgainst: z.array(z.string().regex(BASELINE_PILOT, BASELINE_PILOT_EXPECTED)).optional(),
      /** Joins and departures a year per category (memberships); they change the baseline's income. */
      churn: z
        .strictObject({
          'sector-member': z.strictObject({ joins: numParam({ min: 0, max: 1e5 }), leaves: numParam({ min: 0, max: 1e5 }) }),
          associate: z.strictObject({ joins: numParam({ min: 0, max: 1e5 }), leaves: numParam({ min: 0, max: 1e5 }) }),
          academia: z.strictObject({ joins: numParam({ min: 0, max: 1e5 }), leaves: numParam({ min: 0, max: 1e5 }) }),
        })
        .optional(),
    }),
    options: z.record(optionId, OptionSchema).refine((o) => Object.keys(o).length > 0, { message: 'expected at least one option' }),
    /** Options computed jointly (each member takes at most its cheapest new arrangement). */
    combinations: z.record(optionId, z.strictObject({ label: z.string().optional(), options: z.array(z.string()).min(2) })).optional(),
  })
  .superRefine((s, ctx) => {
    for (const [id, o] of Object.entries(s.options))
      for (const p of kindOf(o).validate(o)) ctx.addIssue({ code: 'custom', path: ['options', id, ...p.path], message: p.message });
    for (const [cid, c] of Object.entries(s.combinations ?? {})) {
      c.options.forEach((oid, k) => {
        const o = s.options[oid];
        if (!o)
          ctx.addIssue({
            code: 'custom',
            path: ['combinations', cid, 'options', k],
            message: `unknown option "${oid}"; options are ${Object.keys(s.options).join(', ')}`,
          });
        else if (!kindOf(o).capabilities.combinable)
          ctx.addIssue({
            code: 'custom',
            path: ['combinations', cid, 'options', k],
            message: `only ${COMBINABLE_KINDS.join(', ')} options can be combined (each replaces the pilot with an offer to members); "${oid}" is ${o.kind}`,
          });
      });
      if (new Set(c.options).size !== c.options.length)
        ctx.addIssue({ code: 'custom', path: ['combinations', cid, 'options'], message: 'an option is listed twice' });
      if (s.options[cid]) ctx.addIssue({ code: 'custom', path: ['combinations', cid], message: `"${cid}" is already an option id` });
    }
  });
export type Scenario = z.infer<typeof ScenarioSchema>;
