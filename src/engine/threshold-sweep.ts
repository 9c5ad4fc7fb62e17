import { Cat, Dev } from '../domain/codes.js';
import { compileModel, type Model } from './model.js';
import { fromMicro, toMicro } from './money.js';
import { parameterDraws } from './montecarlo.js';
import type { ThresholdCapability } from './options/kind.js';
import { takeUpProbability } from './options/member-offer.js';
import { kindOf, type OptionSpec } from './options/registry.js';
import { emptyTotals, emptyYear, type MemberTotals, type YearFigures } from './options/types.js';
import type { Population } from './population.js';
import { memberUniform, seedKey } from './random/streams.js';

/** The employee threshold of an option, or an error naming the kinds that have one. */
export function thresholdOf(scenario: Model['scenario'], optionId: string): ThresholdCapability<OptionSpec> {
  const spec = scenario.options[optionId];
  const cap = spec ? kindOf(spec).capabilities.threshold : null;
  if (!spec || !cap) throw new Error(`option "${optionId}" has no employee threshold`);
  return cap;
}

/** The scenario a threshold sweep runs: the one option alone, at threshold t. */
export function sweepScenario(scenario: Model['scenario'], optionId: string, t: number): Model['scenario'] {
  const spec = scenario.options[optionId]!;
  return { ...scenario, options: { [optionId]: thresholdOf(scenario, optionId).set(spec, t) }, combinations: undefined };
}

export interface ThresholdPoint {
  threshold: number;
  net: Float64Array;
  discountedNet: Float64Array;
  participants: Float64Array;
  eligibleIncumbents: number;
  lost: Float64Array;
}

/**
 * Net impact of one option at many employee thresholds, without re-simulating per step: members are
 * sorted once by the threshold at which they become eligible, their contributions (expected, or drawn
 * per Monte Carlo draw) are accumulated along that order in integer micro-units (money.ts), and each
 * threshold reads its running total. Because the sums are exact integers, every point equals a single
 * run at that threshold with the same seed bit for bit.
 *
 * Returns one Float64Array per threshold with one value per draw (length 1 when deterministic).
 */
export function thresholdSweep(
  scenario: Model['scenario'],
  pop: Population,
  optionId: string,
  thresholds: readonly number[],
  opts: { draws?: number; seed?: number; valuesByDraw?: Float64Array[]; drawOffset?: number } = {},
): ThresholdPoint[] {
  const cap = thresholdOf(scenario, optionId);
  const tMax = Math.max(...thresholds);
  // The model at the largest threshold holds every member offered at any smaller one.
  const model = compileModel(sweepScenario(scenario, optionId, tMax), pop);
  const option = model.options[0]!;
  const offer = option.offer!;
  const spec = model.scenario.options[optionId]!;
  const { roster, fee, memberKey } = pop;
  // Threshold from which each offered member is eligible (−∞: eligible on turnover alone).
  const rows = [...offer.members];
  const from = new Map<number, number>();
  for (const i of rows) from.set(i, cap.entry(spec, pop, i));
  rows.sort((a, b) => from.get(a)! - from.get(b)! || a - b);
  const entry = Float64Array.from(rows, (i) => from.get(i)!);
  // Steps between which no member becomes eligible give the same result: group them into segments,
  // each ending at a count of eligible rows (the same for every draw), and compute each segment once.
  const order = thresholds.map((t, k) => [t, k] as const).sort((a, b) => a[0] - b[0]);
  const segEnd: number[] = [];
  const segOf = new Int32Array(thresholds.length);
  {
    let j = 0;
    for (const [t, k] of order) {
      while (j < rows.length && entry[j]! <= t) j++;
      if (segEnd[segEnd.length - 1] !== j) segEnd.push(j);
      segOf[k] = segEnd.length - 1;
    }
  }
  const draws = opts.draws ?? 0;
  const nOut = Math.max(1, draws);
  const Y = scenario.horizon.years;
  const rate = scenario.horizon.discountRate;
  const G = segEnd.length;
  const seg = Array.from({ length: G }, () => ({
    net: new Float64Array(nOut),
    discountedNet: new Float64Array(nOut),
    participants: new Float64Array(nOut),
    lost: new Float64Array(nOut),
  }));
  const incumbentsUpTo = (end: number) => {
    let n = 0;
    for (let j = 0; j < end; j++) if (roster.category[rows[j]!] !== Cat.SmePilot) n++;
    return n;
  };
  // Parameter draws can be passed in (the TUI keeps them across threshold steps: same seed, same draws).
  // With drawOffset the sweep computes draws offset … offset + draws − 1 of a longer run (the TUI works
  // in chunks); valuesByDraw must then hold those draws' parameter values.
  const offset = opts.drawOffset ?? 0;
  if (offset && !opts.valuesByDraw) throw new Error('thresholdSweep: drawOffset needs valuesByDraw');
  const next = opts.valuesByDraw
    ? (d: number) => opts.valuesByDraw![d]!
    : draws
      ? parameterDraws(model, opts.seed ?? 0)
      : () => model.params.means();
  const key = seedKey(opts.seed ?? 0);
  const pilotCostParam = model.baseline.pilotCostParam;
  const acc = new Float64Array(7);
  const years: YearFigures[] = Array.from({ length: Y }, emptyYear);
  const discount = Array.from({ length: Y }, (_, y) => (1 + rate) ** y);
  const mt: MemberTotals = emptyTotals();
  const { newPayment, adminUnits } = offer;
  const category = roster.category,
    devOf = roster.dev;
  for (let d = 0; d < nOut; d++) {
    const values = next(d);
    const add = option.forDraw(values);
    const pilotCost = pop.pilotRows.length * values[pilotCostParam]!;
    acc.fill(0);
    let j = 0;
    for (let g = 0; g < G; g++) {
      for (const end = segEnd[g]!; j < end; j++) {
        const i = rows[j]!;
        const pay = newPayment[i]!;
        const cat = category[i]!;
        const pilot = cat === Cat.SmePilot;
        const p = takeUpProbability(offer, cat, i, values);
        const taken = draws ? (memberUniform(key, memberKey[i]!, offset + d) < p ? 1 : 0) : p;
        if (taken === 0) continue;
        const dev = devOf[i] !== Dev.Developed;
        if (pilot) {
          acc[1]! += toMicro(taken * pay);
          acc[4]! += toMicro(taken);
          if (dev) acc[5]! += toMicro(taken);
        } else {
          acc[0]! += toMicro(taken * (fee[i]! - pay));
          acc[2]! += toMicro(taken);
          if (dev) acc[3]! += toMicro(taken);
        }
        acc[6]! += toMicro(taken * adminUnits[i]!);
      }
      mt.lost = fromMicro(acc[0]!);
      mt.gained = fromMicro(acc[1]!);
      mt.switched = fromMicro(acc[2]!);
      mt.switchedDeveloping = fromMicro(acc[3]!);
      mt.converted = fromMicro(acc[4]!);
      mt.convertedDeveloping = fromMicro(acc[5]!);
      mt.adminUnits = fromMicro(acc[6]!);
      let total = 0;
      let disc = 0;
      for (let y = 0; y < Y; y++) {
        const out = years[y]!;
        clearYear(out);
        add(mt, y, out);
        out.pilotLost += pop.pilotRows.length - out.pilotConverted; // as model.ts evaluateOptions
        out.adminCosts -= pilotCost;
        out.net = out.gained - out.lost - out.adminCosts;
        total += out.net;
        disc += out.net / discount[y]!; // the same operations, in the same order, as run.ts discounted()
      }
      const r = seg[g]!;
      r.net[d] = total;
      r.discountedNet[d] = disc;
      r.participants[d] = years[Y - 1]!.smeParticipants;
      r.lost[d] = mt.lost;
    }
  }
  // Steps in one segment share the segment's arrays (read-only for callers).
  return thresholds.map((t, k) => ({ threshold: t, eligibleIncumbents: incumbentsUpTo(segEnd[segOf[k]!]!), ...seg[segOf[k]!]! }));
}

function clearYear(o: YearFigures): void {
  o.gained = 0;
  o.lost = 0;
  o.adminCosts = 0;
  o.net = 0;
  o.smeParticipants = 0;
  o.smeParticipantsDeveloping = 0;
  o.incumbentsSwitched = 0;
  o.newEntrants = 0;
  o.pilotConverted = 0;
  o.pilotLost = 0;
}
