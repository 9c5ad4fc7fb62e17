import type { McResult } from '../engine/montecarlo.js';
import type { YearFigures } from '../engine/options/types.js';
import type { RunResult } from '../engine/run.js';
import type { Interval } from '../engine/summarize-samples.js';
import { participantCost } from './participant-cost.js';
import { RESULT_SCHEMA_VERSION } from './schema-version.js';

/**
 * The `feesim run --json` document (docs/outputs.md lists every field with its unit; `feesim schema
 * --result run` publishes its JSON Schema, results/result-schema.ts). Built from the engine's result:
 * money over the horizon is summed, but counts are stocks (the expected number of participants in a
 * year), so their horizon sums are named participant-years; every per-year entry carries its year;
 * arms appear in rank order everywhere (arms, monteCarlo.arms, breakdowns, payingLess).
 */
export const RUN_DOCUMENT = 'feesim-run';

const COUNTS = [
  'smeParticipants',
  'smeParticipantsDeveloping',
  'incumbentsSwitched',
  'newEntrants',
  'pilotConverted',
  'pilotLost',
] as const;

function counts(y: YearFigures) {
  return Object.fromEntries(COUNTS.map((k) => [k, y[k]])) as Record<(typeof COUNTS)[number], number>;
}

const interval = (i: Interval) => ({ mean: i.mean, p5: i.p5, p50: i.p50, p95: i.p95, probLoss: i.probLoss });

/** Which baseline a comparison is against (docs/model.md §1): the scenario's `baseline.pilot` and its words. */
export interface Against {
  pilot: string;
  description: string;
}

/** The parts of a run document that change with the baseline (the `alsoAgainst` entries). */
export function againstDocument(doc: RunDocument) {
  return { against: doc.against, baseline: doc.baseline, arms: doc.arms, monteCarlo: doc.monteCarlo };
}

export function runDocument(run: RunResult, mc: McResult | undefined, provenance: unknown, against: Against) {
  const years = run.baseline.map((b) => b.year);
  const order = run.arms.map((a) => a.id);
  const inOrder = <T>(rec: Record<string, T>): Record<string, T> =>
    Object.fromEntries(order.filter((id) => id in rec).map((id) => [id, rec[id]!]));
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    document: RUN_DOCUMENT,
    provenance,
    horizon: { firstYear: years[0]!, lastYear: years[years.length - 1]!, years: years.length },
    against,
    baseline: run.baseline.map((b) => ({ year: b.year, feeIncome: b.feeIncome, pilotAdminCost: b.pilotAdminCost })),
    arms: run.arms.map((a, k) => {
      const cost = participantCost(a.total.net, a.additionalParticipantYears);
      return {
        rank: k + 1,
        id: a.id,
        label: a.label,
        summary: a.summary,
        kind: a.kind,
        years: a.years.map((y) => ({
          year: y.year,
          gained: y.gained,
          lost: y.lost,
          adminCosts: y.adminCosts,
          net: y.net,
          ...counts(y),
        })),
        total: { gained: a.total.gained, lost: a.total.lost, adminCosts: a.total.adminCosts, net: a.total.net },
        lastYear: { year: a.years[a.years.length - 1]!.year, ...counts(a.years[a.years.length - 1]!) },
        participantYears: counts(a.total),
        discountedNet: a.discountedNet,
        additionalParticipantYears: a.additionalParticipantYears,
        costPerAdditionalParticipantYear: cost.value,
        costPerAdditionalParticipantYearNote: cost.note,
        ...(a.attribution ? { attribution: a.attribution } : {}),
      };
    }),
    monteCarlo: mc
      ? {
          seed: mc.seed,
          draws: mc.draws,
          nonFinite: mc.nonFinite,
          arms: order.map((id) => {
            const m = mc.arms.find((x) => x.id === id)!;
            return {
              id,
              total: interval(m.total),
              discountedNet: interval(m.discounted),
              years: m.years.map((y, k) => ({ year: years[k]!, ...interval(y) })),
              smeParticipantsLastYear: {
                mean: m.participants.mean,
                p5: m.participants.p5,
                p50: m.participants.p50,
                p95: m.participants.p95,
              },
              probBest: m.probBest,
            };
          }),
        }
      : null,
    breakdowns: inOrder(run.breakdowns),
    payingLess: inOrder(run.payingLess),
  };
}

export type RunDocument = ReturnType<typeof runDocument>;
