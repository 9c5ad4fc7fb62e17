import type { InputIssue } from '../../domain/issues.js';
import type { Scenario } from '../../scenario/schema.js';
import type { ParamSet } from '../params.js';
import type { Population } from '../population.js';

/** What every option module receives to compile itself. */
export interface OptionContext {
  id: string;
  pop: Population;
  params: ParamSet;
  scenario: Scenario;
  /** Reports a problem found while compiling (an expression that fails for some member, …). */
  issue(path: string, message: string): void;
}

/**
 * A new arrangement offered to individual members (SME category, pay-as-you-go). Pilot participants
 * are offered conversion; incumbents an optional switch.
 *
 * The per-member numbers are kept for the members only, in `members` order (index k), not over the
 * whole roster: on a 1,000,000-membership roster an offer reaches a few per cent of the rows, and five
 * roster-long Float64Arrays per offer (76 MB for pp18-options' two offers) cost more in page faults and
 * collections started by their external memory than any lookup. `slotOf` finds a row's k
 * (offerSlot, offeredPayment).
 */
export interface MemberOffer {
  /** Rows with an offer, ascending. */
  members: Int32Array;
  /** Per roster row: 1 + its index k in `members`, or 0 for a row without an offer. */
  slotOf: Int32Array;
  /** What member k would pay a year under the arrangement. */
  payment: Float64Array;
  /** Take-up probability of member k when it comes from an expression (NaN for a pilot participant); undefined without an expression. */
  fixedPropensity: Float64Array | undefined;
  /** Parameter index of the switch propensity for incumbents (the base one when rights-aware), or -1 when per-member. */
  propensityParam: number;
  /**
   * Rights-aware propensity (docs/model.md §8): parameter indices of the factors and member k's
   * exponents, p = base × factor^classExp[k] × perExtraSector^sectorExp[k]. Undefined otherwise.
   */
  rights?: { factorParam: number; perSectorParam: number; classExp: Float64Array; sectorExp: Float64Array };
  /** Whether the arrangement keeps Sector Member rights (false: one Study Group, or per meeting). */
  keepsSectorMemberRights: boolean;
  /** The arrangement in a few words ("SME Associate, one Study Group"), for what-is-given-up tables. */
  arrangement: string;
  /** Parameter index of the pilot conversion rate. */
  conversionParam: number;
  /** Admin cost units member k brings (1 member; or registrations a year for pay-as-you-go). */
  adminUnits: Float64Array;
}

/** Row i's index k in the offer's members, or −1 when it has no offer. */
export function offerSlot(offer: MemberOffer, i: number): number {
  return offer.slotOf[i]! - 1;
}

/** What row i would pay a year under the offer, or NaN when it has no offer. */
export function offeredPayment(offer: MemberOffer, i: number): number {
  const k = offer.slotOf[i]! - 1;
  return k >= 0 ? offer.payment[k]! : Number.NaN;
}

/** Member-level outcome of one option in one evaluation (money in CHF, counts expected or drawn). */
export interface MemberTotals {
  lost: number;
  gained: number;
  switched: number;
  switchedDeveloping: number;
  converted: number;
  convertedDeveloping: number;
  adminUnits: number;
}
export const emptyTotals = (): MemberTotals => ({
  lost: 0,
  gained: 0,
  switched: 0,
  switchedDeveloping: 0,
  converted: 0,
  convertedDeveloping: 0,
  adminUnits: 0,
});

/** One year of an option's effect against the baseline (CHF; counts). */
export interface YearFigures {
  gained: number;
  lost: number;
  /** Administrative costs of the option minus those of the baseline (the pilot as today). */
  adminCosts: number;
  net: number;
  smeParticipants: number;
  smeParticipantsDeveloping: number;
  incumbentsSwitched: number;
  newEntrants: number;
  pilotConverted: number;
  pilotLost: number;
}
export const emptyYear = (): YearFigures => ({
  gained: 0,
  lost: 0,
  adminCosts: 0,
  net: 0,
  smeParticipants: 0,
  smeParticipantsDeveloping: 0,
  incumbentsSwitched: 0,
  newEntrants: 0,
  pilotConverted: 0,
  pilotLost: 0,
});

/** A horizon-total contribution to one (Sector, category, development status) group. */
export type BreakdownSink = (sector: number, category: string, dev: number, gained: number, lost: number) => void;

export type YearAdder = (mt: MemberTotals | undefined, y: number, out: YearFigures) => void;

/**
 * One draw of the year close of an option with a member offer, as numbers (member-offer.ts offerAdder
 * turns them into the option's YearAdder; a threshold sweep closes many member totals with them at
 * once, in a loop over typed arrays: engine/close-offer.ts). For year y and newcomer group k (one, or
 * one per fee band), at y × groups + k, the option adds to the year:
 *   gained += member totals' gained, then newcomerGained[…k] for each k in order
 *   adminCosts += adminRate × (member totals' admin units + adminUnits[y]) + adminFixed[y]
 *   newEntrants, smeParticipants += newcomers[…k]; smeParticipantsDeveloping += newcomersDeveloping[…k]
 * besides the member totals themselves (addMemberTotals). Every number is computed once per draw, in
 * the same operations the option's own adder would do, so both ways give the same figures bit for bit.
 */
export interface OfferYears {
  /** Newcomer groups per year. */
  groups: number;
  newcomers: Float64Array;
  newcomerGained: Float64Array;
  newcomersDeveloping: Float64Array;
  adminRate: number;
  adminUnits: Float64Array;
  adminFixed: Float64Array;
}

export interface CompiledOption {
  id: string;
  /** The option kind (engine/options/registry.ts). */
  kind: string;
  label: string;
  offer?: MemberOffer;
  /**
   * Binds the parameter values of one evaluation (one draw) and returns the function that adds this
   * option's figures for year y to `out`, given the member totals attributed to it (undefined for
   * options without a member offer). Everything that depends only on the values is computed here once,
   * so that a threshold sweep can call the adder at every step cheaply. Admin costs are the option's
   * own; the caller subtracts the baseline's pilot cost once.
   */
  forDraw(values: Float64Array): YearAdder;
  /**
   * For an option with a member offer: the numbers behind forDraw's adder (forDraw is
   * offerAdder(offerYears(values))), read by the threshold sweep to close many thresholds at once.
   * `into`: numbers this option returned before, refilled instead of allocated (draw after draw).
   */
  offerYears?(values: Float64Array, into?: OfferYears): OfferYears;
  /** Horizon-total gained and lost per group, at expected values (deterministic runs). */
  breakdown(values: Float64Array, sink: BreakdownSink): void;
}

export type { InputIssue };
