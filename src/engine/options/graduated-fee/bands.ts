import type { Population } from '../../population.js';
import type { BandSpec, GraduatedFeeSpec } from './spec.js';

/** The bands in the order listed (the first one a member fits is its band). */
export function bandList(spec: GraduatedFeeSpec): [name: string, band: BandSpec][] {
  return Object.entries(spec.bands);
}

/** Does a member with this headcount and turnover fit the band? Unknown headcount never fits; unknown turnover passes. */
export function fitsBand(band: BandSpec, employees: number, turnoverUsd: number): boolean {
  return employees <= band.maxEmployees && !(band.maxTurnoverUsd !== undefined && turnoverUsd > band.maxTurnoverUsd);
}

/** Index of row i's band, or −1 when it fits none (or is not independent and the scale requires it). */
export function bandOf(spec: GraduatedFeeSpec, pop: Population, i: number): number {
  const { roster } = pop;
  if (spec.requireIndependent && roster.independent[i] !== 1) return -1;
  const bands = bandList(spec);
  for (let b = 0; b < bands.length; b++) if (fitsBand(bands[b]![1], roster.employees[i]!, roster.turnoverUsd[i]!)) return b;
  return -1;
}

/**
 * The threshold (the last band's headcount limit) from which row i is offered: −∞ when an earlier band
 * takes it whatever the last band's limit, its headcount when only the last band can, +∞ when none can.
 */
export function thresholdEntry(spec: GraduatedFeeSpec, pop: Population, i: number): number {
  const { roster } = pop;
  if (spec.requireIndependent && roster.independent[i] !== 1) return Infinity;
  const bands = bandList(spec);
  const e = roster.employees[i]!,
    t = roster.turnoverUsd[i]!;
  for (let b = 0; b < bands.length - 1; b++) if (fitsBand(bands[b]![1], e, t)) return -Infinity;
  const last = bands[bands.length - 1]![1];
  return fitsBand({ ...last, maxEmployees: Infinity }, e, t) && !Number.isNaN(e) ? e : Infinity;
}
