import { z } from 'zod';
import { RESULT_SCHEMA_VERSION } from './schema-version.js';

/**
 * JSON Schemas of the result documents (`feesim schema --result <kind>`), written with zod and
 * published as JSON Schema (draft 2020-12). The run document is described field by field (closed
 * objects: an unknown field is an error); the sweep, tornado and solve documents name their required
 * fields. docs/outputs.md gives each field's unit. Tests validate real outputs against these with ajv.
 */
const chf = (d: string) => z.number().describe(`${d} (CHF)`);
const count = (d: string) => z.number().describe(`${d} (expected count)`);
const share = (d: string) => z.number().min(0).max(1).describe(`${d} (share, 0–1)`);
const sha = z.string().regex(/^[0-9a-f]{64}$/);

export const ProvenanceSchema = z
  .strictObject({
    provenanceVersion: z.literal(1),
    tool: z.strictObject({ name: z.string(), version: z.string() }),
    root: z.enum(['package', 'scenario-folder']).describe('what paths are relative to'),
    command: z.string().describe('the feesim command that regenerates this output, run from the root'),
    argv: z.array(z.string()),
    scenarios: z.array(
      z.strictObject({
        file: z.string(),
        title: z.string(),
        resolvedSha256: sha.describe('sha256 of the resolved scenario (after extends and --set), as JSON'),
        inputs: z.array(
          z.strictObject({
            role: z.enum(['scenario', 'extends', 'roster', 'fee-schedule', 'country-table']),
            path: z.string(),
            sha256: sha,
          }),
        ),
      }),
    ),
    overrides: z.array(z.string()).describe('--set overrides in the order applied'),
    roster: z.strictObject({ synthetic: z.boolean(), label: z.string(), memberships: z.number().int() }),
    seed: z.number().int().nullable(),
    draws: z.number().int().nullable(),
    view: z.string().optional(),
    sides: z
      .array(
        z.strictObject({
          side: z.enum(['A', 'B']),
          name: z.string(),
          command: z.string(),
          argv: z.array(z.string()),
          overrides: z.array(z.string()),
        }),
      )
      .optional()
      .describe('explorer A/B exports: the feesim run command of A and of B'),
    contentSha256: z.string().optional().describe('explorer exports: sha256 of the content as written (feesim verify)'),
  })
  .describe('What produced this output (docs/outputs.md, "Provenance")');

const countFields = {
  smeParticipants: count('SME participants (SME category, converted or continuing pilot participants, new entrants) in the year'),
  smeParticipantsDeveloping: count('of which from developing countries'),
  incumbentsSwitched: count('incumbent members who moved to the cheaper arrangement, in the year'),
  newEntrants: count('members who joined because of the option, in the year'),
  pilotConverted: count('pilot participants who continue in the arrangement, in the year'),
  pilotLost: count('pilot participants who left, in the year'),
};
const participantYearFields = Object.fromEntries(
  Object.entries(countFields).map(([k, v]) => [
    k,
    z
      .number()
      .describe(
        `${v.description?.replace(' in the year', '').replace(' (expected count)', '')}: sum over the horizon of the yearly counts (participant-years)`,
      ),
  ]),
) as { [K in keyof typeof countFields]: z.ZodNumber };

const Year = z.strictObject({
  year: z.number().int(),
  gained: chf('income gained against the baseline'),
  lost: chf('income lost against the baseline'),
  adminCosts: chf('administrative costs of the option minus the baseline pilot cost'),
  net: chf('gained − lost − adminCosts'),
  ...countFields,
});
const Interval = z.strictObject({
  mean: z.number(),
  p5: z.number(),
  p50: z.number(),
  p95: z.number(),
  probLoss: share('share of draws below zero'),
});

const Against = z
  .strictObject({
    pilot: z.string().describe('baseline.pilot: "continues" or "ends <year>"'),
    description: z.string().describe('the baseline in words, as the tables name it'),
  })
  .describe('the baseline this comparison is against (docs/model.md §1)');
const BaselineYears = z.array(
  z.strictObject({ year: z.number().int(), feeIncome: chf('fee income'), pilotAdminCost: chf('pilot admin cost') }),
);

const Arms = z
  .array(
    z.strictObject({
      rank: z.number().int().min(1).describe('1 = best horizon net impact'),
      id: z.string(),
      label: z.string().describe("the option's name"),
      summary: z.string().describe('rule summary generated from the settings run'),
      kind: z.string(),
      years: z.array(Year),
      total: z.strictObject({
        gained: chf('horizon sum'),
        lost: chf('horizon sum'),
        adminCosts: chf('horizon sum'),
        net: chf('horizon sum: the net impact'),
      }),
      lastYear: z.strictObject({ year: z.number().int(), ...countFields }).describe('the counts in the last year of the horizon (stocks)'),
      participantYears: z.strictObject(participantYearFields),
      discountedNet: chf('net impact discounted to the first year'),
      additionalParticipantYears: z
        .number()
        .describe('participant-years beyond the baseline pilot, switched incumbents excluded; negative: participation removed'),
      costPerAdditionalParticipantYear: z.number().nullable().describe('CHF: −net ÷ additionalParticipantYears; null below the floor'),
      costPerAdditionalParticipantYearNote: z.string().nullable(),
      attribution: z
        .array(z.strictObject({ option: z.string(), net: chf('Shapley share'), discountedNet: chf('Shapley share') }))
        .optional(),
    }),
  )
  .describe('ranked by horizon net impact, best first');
const MonteCarlo = z
  .strictObject({
    seed: z.number().int(),
    draws: z.number().int(),
    nonFinite: z.number().int(),
    arms: z.array(
      z.strictObject({
        id: z.string(),
        total: Interval.describe('horizon net impact (CHF)'),
        discountedNet: Interval.describe('discounted net impact (CHF)'),
        years: z.array(z.strictObject({ year: z.number().int(), ...Interval.shape }).describe('net impact in the year (CHF)')),
        smeParticipantsLastYear: z.strictObject({ mean: z.number(), p5: z.number(), p50: z.number(), p95: z.number() }),
        probBest: share('share of draws in which this option has the best horizon net'),
      }),
    ),
  })
  .nullable();

export const RunDocumentSchema = z.strictObject({
  schemaVersion: z.literal(RESULT_SCHEMA_VERSION),
  document: z.literal('feesim-run'),
  provenance: ProvenanceSchema,
  horizon: z.strictObject({ firstYear: z.number().int(), lastYear: z.number().int(), years: z.number().int() }),
  against: Against,
  baseline: BaselineYears,
  arms: Arms,
  monteCarlo: MonteCarlo,
  breakdowns: z.record(
    z.string(),
    z.array(z.strictObject({ sector: z.string(), category: z.string(), dev: z.string(), gained: chf('horizon'), lost: chf('horizon') })),
  ),
  payingLess: z.record(
    z.string(),
    z.array(
      z.strictObject({
        id: z.string(),
        name: z.string(),
        sector: z.string(),
        category: z.string(),
        employees: z.number(),
        feeToday: chf('a year'),
        feeUnderOption: chf('a year'),
        saving: chf('a year'),
        propensity: share('probability of switching'),
        expectedLoss: chf('a year'),
        classUnits: z.number().nullable().describe('Sector Member class today, in contributory units (null for an Associate)'),
        movesTo: z.string().describe('the arrangement the member would move to'),
        givesUp: z.string().describe('what the member gives up by switching (docs/model.md §8)'),
      }),
    ),
  ),
  alsoAgainst: z
    .array(z.strictObject({ against: Against, baseline: BaselineYears, arms: Arms, monteCarlo: MonteCarlo }))
    .describe('the same comparison against each further baseline of the scenario (baseline.alsoAgainst), same draws and seed'),
});

const head = { schemaVersion: z.literal(RESULT_SCHEMA_VERSION), provenance: ProvenanceSchema };
const SweepRow = z.looseObject({
  value: z.number(),
  valueText: z.string(),
  arm: z.string(),
  label: z.string(),
  summary: z.string(),
  eligibleIncumbents: z.number(),
  net: chf('horizon net impact'),
  discountedNet: chf('discounted'),
  participants: count('SME participants in the last year'),
});
export const SweepDocumentSchema = z.looseObject({
  ...head,
  document: z.literal('feesim-sweep'),
  sweep: z.looseObject({ path: z.string(), name: z.string(), format: z.string(), method: z.string(), rows: z.array(SweepRow) }),
});
export const SweepGridDocumentSchema = z.looseObject({
  ...head,
  document: z.literal('feesim-sweep-grid'),
  param: z.string(),
  param2: z.string(),
  values: z.array(z.number()),
  values2: z.array(z.number()),
  grid: z.array(z.looseObject({ value2: z.number(), rows: z.array(SweepRow) })),
});
export const TornadoDocumentSchema = z.looseObject({
  ...head,
  document: z.literal('feesim-tornado'),
  tornado: z.array(
    z.looseObject({
      id: z.string(),
      base: chf('net impact with every assumption at its median'),
      bars: z.array(
        z.looseObject({
          param: z.string(),
          name: z.string(),
          format: z.string(),
          low: z.number().describe('P10 of the parameter'),
          high: z.number().describe('P90 of the parameter'),
          lowText: z.string(),
          highText: z.string(),
          netAtLow: chf('net impact at P10'),
          netAtHigh: chf('net impact at P90'),
          swing: chf('|netAtHigh − netAtLow|'),
        }),
      ),
    }),
  ),
});
const Solution = z.looseObject({ threshold: z.number().nullable(), net: z.number(), method: z.string() });
export const SolveDocumentSchema = z.looseObject({
  ...head,
  document: z.literal('feesim-solve'),
  option: z.string(),
  breakEvenThreshold: Solution.extend({ toleranceChf: z.number() }).optional(),
  revenueNeutralFee: z
    .looseObject({
      factor: z.number().nullable(),
      feeChf: z.record(z.string(), z.number()).nullable().optional(),
      net: z.number(),
      method: z.string(),
    })
    .optional(),
  maxParticipationThreshold: Solution.extend({ floorChf: z.number() }).optional(),
});

export const RESULT_SCHEMAS = {
  run: RunDocumentSchema,
  sweep: SweepDocumentSchema,
  'sweep-grid': SweepGridDocumentSchema,
  tornado: TornadoDocumentSchema,
  solve: SolveDocumentSchema,
} as const;
export type ResultKind = keyof typeof RESULT_SCHEMAS;

export function resultJsonSchema(kind: ResultKind): Record<string, unknown> {
  return {
    title: `feesim ${kind} document (schemaVersion ${RESULT_SCHEMA_VERSION})`,
    ...(z.toJSONSchema(RESULT_SCHEMAS[kind], { unrepresentable: 'any' }) as Record<string, unknown>),
  };
}
