import { EngineError } from '../domain/issues.js';
import { compileModel, evaluateArm, type Model } from './model.js';
import { kindOf } from './options/registry.js';
import type { Population } from './population.js';
import { sumYears } from './run.js';
import { thresholdSweep } from './threshold-sweep.js';

/**
 * Thresholds at which eligibility can change: 0, every offered member's headcount, and the upper
 * bound. Net impact and participation are step functions of the threshold that only move there, so
 * scanning these candidates is exact.
 */
function candidateThresholds(pop: Population, upper: number): number[] {
  const set = new Set<number>([0, upper]);
  for (let i = 0; i < pop.roster.size; i++) {
    const e = pop.roster.employees[i]!;
    if (e >= 0 && e <= upper) set.add(e);
  }
  return [...set].sort((a, b) => a - b);
}

export interface ThresholdAnswer {
  threshold: number | null;
  net: number;
  participants: number;
  method: string;
}

/** The largest threshold (≤ upper) whose horizon net loss stays within `tolerance` CHF. */
export function breakEvenThreshold(
  scenario: Model['scenario'],
  pop: Population,
  optionId: string,
  tolerance: number,
  upper = 10_000,
): ThresholdAnswer {
  const cands = candidateThresholds(pop, upper);
  const pts = thresholdSweep(scenario, pop, optionId, cands);
  // Net impact need not be monotone (pilot participants become eligible and convert), so every
  // candidate is checked and the largest one within tolerance wins.
  let answer = -1;
  for (let k = 0; k < pts.length; k++) if (-pts[k]!.net[0]! <= tolerance) answer = k;
  if (answer < 0)
    return {
      threshold: null,
      net: pts[0]!.net[0]!,
      participants: pts[0]!.participants[0]!,
      method: 'no threshold ≥ 0 keeps the loss within the tolerance',
    };
  // between candidate k and k+1 nothing changes, so the largest threshold is next candidate − 1
  const threshold = answer + 1 < cands.length ? cands[answer + 1]! - 1 : cands[answer]!;
  return {
    threshold,
    net: pts[answer]!.net[0]!,
    participants: pts[answer]!.participants[0]!,
    method: `exact: net evaluated at every headcount where eligibility changes (${cands.length} candidates up to ${upper}), expected values`,
  };
}

/** The threshold with the most SME participants (last year) whose horizon net stays ≥ floor. */
export function maxParticipationThreshold(
  scenario: Model['scenario'],
  pop: Population,
  optionId: string,
  floor: number,
  upper = 10_000,
): ThresholdAnswer {
  const cands = candidateThresholds(pop, upper);
  const pts = thresholdSweep(scenario, pop, optionId, cands);
  let best = -1;
  pts.forEach((p, k) => {
    if (p.net[0]! >= floor && (best < 0 || p.participants[0]! > pts[best]!.participants[0]! + 1e-9)) best = k;
  });
  if (best < 0) return { threshold: null, net: NaN, participants: NaN, method: 'no threshold meets the revenue floor' };
  return {
    threshold: cands[best]!,
    net: pts[best]!.net[0]!,
    participants: pts[best]!.participants[0]!,
    method: `exact: every headcount where eligibility changes (${cands.length} candidates up to ${upper}); lowest threshold among ties; expected values`,
  };
}

export interface FeeAnswer {
  factor: number | null;
  feeChf: Record<string, number> | null;
  net: number;
  method: string;
}

/**
 * Revenue-neutral fee: the factor f on the option's whole fee table (its structure kept) at which
 * the horizon net impact is 0, by bisection on [0, upperFactor] to a net within 1 CHF. For the kinds
 * with a fee-scale capability (engine/options/registry.ts).
 */
export function revenueNeutralFee(scenario: Model['scenario'], pop: Population, optionId: string, upperFactor = 64): FeeAnswer {
  // own ids only: "constructor", "__proto__" and the like are unknown options, never Object.prototype's
  const spec = Object.hasOwn(scenario.options, optionId) ? scenario.options[optionId] : undefined;
  const cap = spec ? kindOf(spec).capabilities.feeScale : null;
  if (!spec)
    throw new EngineError([
      { code: 'unknown-option', path: optionId, message: `unknown option; options are ${Object.keys(scenario.options).join(', ')}` },
    ]);
  if (!cap)
    throw new EngineError([
      { code: 'no-fee-table', path: optionId, message: `option "${optionId}" (${spec.kind}) has no fee table to scale` },
    ]);
  const netAt = (f: number) => {
    const m = compileModel({ ...scenario, options: { [optionId]: cap.scale(spec, f) }, combinations: undefined }, pop);
    return sumYears(evaluateArm(m, m.arms[0]!, m.params.means())).net;
  };
  const base = cap.feesChf(spec, pop.schedule.sectorMemberUnit);
  const fees = (f: number) => Object.fromEntries(Object.entries(base).map(([k, v]) => [k, v * f]));
  let lo = 0,
    hi = upperFactor;
  let nLo = netAt(lo),
    nHi = netAt(hi);
  if (nLo >= 0) return { factor: 0, feeChf: fees(0), net: nLo, method: 'the option is revenue-neutral or better even free of charge' };
  if (nHi < 0)
    return { factor: null, feeChf: null, net: nHi, method: `no revenue-neutral fee up to ${upperFactor}× the scenario's fee table` };
  for (let k = 0; k < 100 && hi - lo > 1e-12; k++) {
    const mid = (lo + hi) / 2;
    const n = netAt(mid);
    if (n < 0) {
      lo = mid;
      nLo = n;
    } else {
      hi = mid;
      nHi = n;
    }
    if (Math.abs(nHi) < 1) break;
  }
  return {
    factor: hi,
    feeChf: fees(hi),
    net: nHi,
    method:
      'bisection on a common factor applied to the whole fee table until the net is within CHF 1 of zero (net ≥ 0 side), expected values',
  };
}
