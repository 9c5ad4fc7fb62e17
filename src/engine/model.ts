import { pilotYearsOf } from '../domain/baseline-pilot.js';
import { Cat } from '../domain/codes.js';
import type { InputIssue } from '../domain/issues.js';
import { combinationName } from '../scenario/option-parts.js';
import type { Scenario } from '../scenario/schema.js';
import { expectedMemberTotals } from './expected-totals.js';
import { closeYear, type YearContext } from './kernel.js';
import { type DrawKey, memberTotals, unionOfMembers } from './member-choice.js';
import { compileOption } from './options/registry.js';
import { type CompiledOption, emptyYear, type YearFigures } from './options/types.js';
import { ParamSet } from './params.js';
import type { Population } from './population.js';

/** An arm is what gets compared: one option alone, or a combination of options computed jointly. */
export interface Arm {
  id: string;
  label: string;
  kind: CompiledOption['kind'] | 'combination';
  /** Indices into Model.options. */
  options: number[];
  rows: Int32Array;
}

/** A scenario compiled against a population: everything precomputed that does not change per draw. */
export interface Model {
  scenario: Scenario;
  pop: Population;
  params: ParamSet;
  options: CompiledOption[];
  arms: Arm[];
  baseline: {
    pilotCostParam: number;
    trendParams: [cat: number, param: number][];
    /** Years of the horizon the pilot runs in the baseline (Infinity: it continues). */
    pilotYears: number;
    /** Churn parameters per category: [category, joins, leaves]. */
    churnParams: [cat: number, joins: number, leaves: number][];
  };
}

export class ModelError extends Error {
  constructor(readonly issues: InputIssue[]) {
    super(issues.map((i) => i.message).join('; '));
  }
}

export function compileModel(scenario: Scenario, pop: Population, file = 'scenario'): Model {
  const params = new ParamSet();
  const issues: InputIssue[] = [];
  const options = Object.entries(scenario.options).map(([id, spec]) =>
    compileOption(spec, { id, pop, params, scenario, issue: (path, message) => issues.push({ file, path, message }) }),
  );
  if (issues.length) throw new ModelError(issues);
  const arm = (id: string, label: string, kind: Arm['kind'], idx: number[]): Arm => ({
    id,
    label,
    kind,
    options: idx,
    rows: unionOfMembers(idx.map((k) => options[k]!.offer).filter((o) => o !== undefined)),
  });
  const arms = options.map((o, k) => arm(o.id, o.label, o.kind, [k]));
  for (const [id, c] of Object.entries(scenario.combinations ?? {})) {
    // Options of a combination are evaluated in the scenario's option order, whatever order the
    // combination lists them in, so the joint result cannot depend on the listing (nor can ties).
    arms.push(
      arm(
        id,
        combinationName(
          c,
          id,
          c.options.map((oid) => scenario.options[oid] ?? {}),
        ),
        'combination',
        c.options.map((oid) => options.findIndex((o) => o.id === oid)).sort((a, b) => a - b),
      ),
    );
  }
  const trend = scenario.baseline.trend;
  const churn = scenario.baseline.churn;
  return {
    scenario,
    pop,
    params,
    options,
    arms,
    baseline: {
      pilotCostParam: params.add('baseline.pilotAdminCostPerParticipant', scenario.baseline.pilotAdminCostPerParticipant),
      trendParams: [
        [Cat.SectorMember, params.add('baseline.trend.sector-member', trend['sector-member'])],
        [Cat.Associate, params.add('baseline.trend.associate', trend.associate)],
        [Cat.Academia, params.add('baseline.trend.academia', trend.academia)],
      ],
      pilotYears: pilotYearsOf(scenario.baseline.pilot, scenario.horizon.startYear),
      churnParams: churn
        ? (
            [
              [Cat.SectorMember, 'sector-member'],
              [Cat.Associate, 'associate'],
              [Cat.Academia, 'academia'],
            ] as const
          ).map(([cat, k]) => [
            cat,
            params.add(`baseline.churn.${k}.joins`, churn[k].joins),
            params.add(`baseline.churn.${k}.leaves`, churn[k].leaves),
          ])
        : [],
    },
  };
}

/**
 * Baseline (docs/model.md §1): today's paying roster and fees with the trend, plus churn (net joins a
 * year × the category's average fee, accumulating), and the pilot's admin cost while it runs.
 */
export function baselineYears(model: Model, values: Float64Array): { year: number; feeIncome: number; pilotAdminCost: number }[] {
  const { pop, scenario } = model;
  const { byCat, payers } = feesByCategory(pop);
  const pilotCost = pop.pilotRows.length * values[model.baseline.pilotCostParam]!;
  return Array.from({ length: scenario.horizon.years }, (_, y) => ({
    year: scenario.horizon.startYear + y,
    feeIncome: model.baseline.trendParams.reduce((s, [cat, p]) => {
      const trend = byCat[cat]! * (1 + values[p]!) ** y;
      const churn = model.baseline.churnParams.find(([c]) => c === cat);
      // net joins × the average fee; a category cannot lose more members than it has (a small roster with
      // the shipped churn, which is sized for ITU's whole membership, would otherwise pay negative fees)
      const net = churn && payers[cat]! > 0 ? (y * (values[churn[1]]! - values[churn[2]]!) * byCat[cat]!) / payers[cat]! : 0;
      return s + Math.max(0, trend + net);
    }, 0),
    pilotAdminCost: y < model.baseline.pilotYears ? pilotCost : 0,
  }));
}

/**
 * The fees paid today per category, and how many members pay one, summed in roster order once per
 * population: every deterministic run and each further baseline asks for them (a pass over every row).
 */
function feesByCategory(pop: Population): { byCat: Float64Array; payers: Float64Array } {
  let sums = categorySums.get(pop);
  if (!sums) {
    const byCat = new Float64Array(5);
    const payers = new Float64Array(5);
    const { category, size } = pop.roster;
    const fee = pop.fee;
    for (let i = 0; i < size; i++) {
      const c = category[i]!;
      const f = fee[i]!;
      byCat[c]! += f;
      if (f > 0) payers[c]! += 1;
    }
    sums = { byCat, payers };
    categorySums.set(pop, sums);
  }
  return sums;
}

const categorySums = new WeakMap<Population, { byCat: Float64Array; payers: Float64Array }>();

/**
 * Evaluates a set of options jointly for every year of the horizon, against the baseline.
 * `draw` switches member outcomes from expected values to a Monte Carlo draw (the reference path;
 * montecarlo.ts runs the same kernel from a member plan).
 */
export function evaluateOptions(
  model: Model,
  optionIdx: readonly number[],
  rows: Int32Array,
  values: Float64Array,
  draw?: DrawKey,
): YearFigures[] {
  const opts = optionIdx.map((k) => model.options[k]!);
  const offered = opts.filter((o) => o.offer);
  const offers = offered.map((o) => o.offer!);
  // at expected values, the same evaluation recurs within a run: answered once (expected-totals.ts)
  const mts = !offers.length
    ? []
    : draw
      ? memberTotals(model.pop, offers, values, rows, draw)
      : expectedMemberTotals(model.pop, offers, values, rows);
  const ctx = yearContext(model, offered.length > 0, values);
  const adders = opts.map((o) => o.forDraw(values));
  const optionTotals = opts.map((o) => (o.offer ? mts[offered.indexOf(o)] : undefined));
  return Array.from({ length: model.scenario.horizon.years }, (_, y) => closeYear(adders, optionTotals, y, ctx, emptyYear()));
}

/** The baseline part of a year close for one evaluation (kernel.ts closeYear). */
export function yearContext(model: Model, endsPilot: boolean, values: Float64Array): YearContext {
  const pilots = model.pop.pilotRows.length;
  return { endsPilot, pilots, pilotCost: pilots * values[model.baseline.pilotCostParam]!, pilotYears: model.baseline.pilotYears };
}

export function evaluateArm(model: Model, arm: Arm, values: Float64Array, draw?: DrawKey): YearFigures[] {
  return evaluateOptions(model, arm.options, arm.rows, values, draw);
}
