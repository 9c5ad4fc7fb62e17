import { fromMicro, toMicro } from './money.js';
import type { MemberTotals, YearAdder, YearFigures } from './options/types.js';

/**
 * The one computation every evaluation shares — a deterministic run, one Monte Carlo draw, one point of
 * a threshold sweep — so that they agree bit for bit: the accumulation step (what one member adds to
 * its offer's totals), the year close (from member totals and the options' adders to one year's
 * figures) and the list of yearly fields. model.ts, montecarlo.ts and threshold-sweep.ts only decide
 * which members to visit and in which order; integer micro-unit sums (money.ts) make that order free.
 */

/** The yearly figures, in the order tables and sums list them: the one list. */
export const YEAR_FIELDS = [
  'gained',
  'lost',
  'adminCosts',
  'net',
  'smeParticipants',
  'smeParticipantsDeveloping',
  'incumbentsSwitched',
  'newEntrants',
  'pilotConverted',
  'pilotLost',
] as const satisfies readonly (keyof YearFigures)[];
// Compile-time check that the list names every field of YearFigures.
const everyField: Exclude<keyof YearFigures, (typeof YEAR_FIELDS)[number]> extends never ? true : never = true;
void everyField;

/** Zeroes every field (written out: a loop over the names is a slow keyed store in the hot loop; test/kernel.test.ts checks it covers YEAR_FIELDS). */
export function clearYear(o: YearFigures): void {
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

export function sumYears(years: readonly YearFigures[]): YearFigures {
  const t = Object.fromEntries(YEAR_FIELDS.map((f) => [f, 0])) as unknown as YearFigures;
  for (const y of years) for (const f of YEAR_FIELDS) t[f] += y[f];
  return t;
}

/** Σ net_y / (1 + rate)^y, summed in year order (every caller sums in this order). */
export function discounted(years: readonly YearFigures[], rate: number): number {
  return years.reduce((s, y, k) => s + y.net / (1 + rate) ** k, 0);
}

// ---- the accumulation step -------------------------------------------------------------------------

/** Slots of one offer's member accumulator (micro-units): SLOTS consecutive numbers per offer. */
export const LOST = 0;
export const GAINED = 1;
export const SWITCHED = 2;
export const SWITCHED_DEV = 3;
export const CONVERTED = 4;
export const CONVERTED_DEV = 5;
export const ADMIN_UNITS = 6;
export const SLOTS = 7;

/**
 * What member i adds to its offer's totals at acc[at … at + SLOTS): `taken` is its take-up probability
 * (expected values) or 0/1 (a Monte Carlo draw). A pilot participant converts and pays `pay`; an
 * incumbent switches and the union loses `feeToday − pay`. Every term is rounded to micro-units here,
 * once, so that totals do not depend on the order members are added in.
 */
export function addMember(
  acc: Float64Array,
  at: number,
  taken: number,
  pilot: boolean,
  developing: boolean,
  pay: number,
  feeToday: number,
  adminUnits: number,
): void {
  if (pilot) {
    acc[at + GAINED]! += toMicro(taken * pay);
    acc[at + CONVERTED]! += toMicro(taken);
    if (developing) acc[at + CONVERTED_DEV]! += toMicro(taken);
  } else {
    acc[at + LOST]! += toMicro(taken * (feeToday - pay));
    acc[at + SWITCHED]! += toMicro(taken);
    if (developing) acc[at + SWITCHED_DEV]! += toMicro(taken);
  }
  acc[at + ADMIN_UNITS]! += toMicro(taken * adminUnits);
}

/** The totals of the offer at acc[at …], in CHF and members. */
export function readTotals(acc: Float64Array, at: number, out: MemberTotals): MemberTotals {
  out.lost = fromMicro(acc[at + LOST]!);
  out.gained = fromMicro(acc[at + GAINED]!);
  out.switched = fromMicro(acc[at + SWITCHED]!);
  out.switchedDeveloping = fromMicro(acc[at + SWITCHED_DEV]!);
  out.converted = fromMicro(acc[at + CONVERTED]!);
  out.convertedDeveloping = fromMicro(acc[at + CONVERTED_DEV]!);
  out.adminUnits = fromMicro(acc[at + ADMIN_UNITS]!);
  return out;
}

// ---- the year close --------------------------------------------------------------------------------

/** What a year close needs besides the options' adders: fixed for one evaluation (one draw). */
export interface YearContext {
  /** Whether any evaluated option offers members a new arrangement (and so ends the pilot). */
  endsPilot: boolean;
  /** Pilot participants today. */
  pilots: number;
  /** Admin cost of the pilot as it runs today (the baseline's), CHF a year. */
  pilotCost: number;
  /** Years of the horizon the baseline's pilot still runs (Infinity: it continues; baseline.pilot). */
  pilotYears: number;
}

/**
 * Year y of a set of options against the baseline, written into `out`: each option adds its figures
 * (given the member totals attributed to it), then the baseline is taken off — options that end the
 * pilot lose every participant who does not convert, and the pilot's own admin cost is saved — and the
 * net is gained − lost − admin costs. (Baseline choices added later belong here, once.)
 */
export function closeYear(
  adders: readonly YearAdder[],
  totals: readonly (MemberTotals | undefined)[],
  y: number,
  ctx: YearContext,
  out: YearFigures,
): YearFigures {
  clearYear(out);
  for (let k = 0; k < adders.length; k++) adders[k]!(totals[k], y, out);
  if (ctx.endsPilot) out.pilotLost += ctx.pilots - out.pilotConverted;
  if (y < ctx.pilotYears) out.adminCosts -= ctx.pilotCost; // the baseline's pilot cost is saved only while it would run
  out.net = out.gained - out.lost - out.adminCosts;
  return out;
}
