import { pilotYearsOf } from '../domain/baseline-pilot.js';
import type { Model } from './model.js';
import type { McSamples } from './montecarlo.js';

/**
 * The same comparison against another pilot in the baseline (`baseline.pilot`, docs/model.md §1),
 * without running anything again. The baseline's pilot enters one place only: the year close
 * (kernel.ts closeYear) credits every arm with saving the pilot's admin cost P in the years the
 * baseline's pilot would run. So against another pilot each arm's net in year y moves by
 * ([y < years_to] − [y < years_from]) × P_draw, the same for every arm; ranks do not change.
 */

/** The model with another pilot in its baseline: same options, roster and parameters. */
export function withBaselinePilot(model: Model, pilot: string): Model {
  return {
    ...model,
    scenario: { ...model.scenario, baseline: { ...model.scenario.baseline, pilot, alsoAgainst: [] } },
    baseline: { ...model.baseline, pilotYears: pilotYearsOf(pilot, model.scenario.horizon.startYear) },
  };
}

/**
 * Per year of the horizon, +1 where `to`'s baseline pilot runs and `from`'s does not, −1 the other way
 * round, 0 where they agree: each option's net against `to` is its net against `from` plus this × P.
 */
export function pilotYearsGained(from: Model, to: Model): number[] {
  return Array.from(
    { length: from.scenario.horizon.years },
    (_, y) => (y < to.baseline.pilotYears ? 1 : 0) - (y < from.baseline.pilotYears ? 1 : 0),
  );
}

/**
 * Monte Carlo draws of `from` as they are against `to`'s baseline pilot: each arm's net in year y plus
 * shift_y × pilots × P_draw, with P_draw the pilot cost the run drew (x.pilotCost). Years the two
 * baselines agree on keep the very same arrays (so their summaries can be reused); the others, and the
 * totals, are new.
 */
export function samplesAgainst(from: Model, to: Model, x: McSamples): McSamples {
  const n = x.draws;
  const rate = from.scenario.horizon.discountRate;
  const pilots = from.pop.pilotRows.length;
  const shift = pilotYearsGained(from, to);
  const cost = x.pilotCost;
  const yearly = x.yearly.map((ys) => ys.map((v, y) => (shift[y] === 0 ? v : moved(v, shift[y]! * pilots, cost, n))));
  const total: Float64Array[] = [];
  const discounted: Float64Array[] = [];
  for (const ys of yearly) {
    const t = new Float64Array(n);
    const dt = new Float64Array(n);
    for (let y = 0; y < ys.length; y++) addYear(t, dt, ys[y]!, (1 + rate) ** y, n);
    total.push(t);
    discounted.push(dt);
  }
  return { draws: n, total, discounted, participants: x.participants, yearly, pilotCost: cost, best: x.best };
}

// The loops over the draws, each alone in a small function: called for every arm and year, they are
// optimised after the first few calls (one-shot loops inline ran mostly unoptimised: ~25 ms at 10,000
// draws, now a few). The arithmetic is the same, in the same order, as the sums they stand for.

/** v[d] + k·pilots·P_d for each draw (kp = k × pilots, as `k * pilots * cost[d]` groups it). */
function moved(v: Float64Array, kp: number, cost: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let d = 0; d < n; d++) out[d] = v[d]! + kp * cost[d]!;
  return out;
}

/** A year's draws added into the arm's totals, and divided by the year's discount factor f into its discounted totals. */
function addYear(total: Float64Array, discounted: Float64Array, v: Float64Array, f: number, n: number): void {
  for (let d = 0; d < n; d++) {
    const x = v[d]!;
    total[d]! += x;
    discounted[d]! += x / f;
  }
}
