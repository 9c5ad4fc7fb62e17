import { CATEGORIES, Cat, DEV_STATUSES, isIncumbentPayer, SECTORS } from '../../domain/codes.js';
import { paysDevelopedRate } from '../../fees/fee-schedule.js';
import type { Num } from '../../scenario/distribution.js';
import type { EligibilityRule } from '../../scenario/sme-presets.js';
import { compileExpression } from '../expr/compile-expression.js';
import type { Population } from '../population.js';
import { eligibleRows } from './eligibility.js';
import type { ExplainInput, ExplainStepLines } from './kind.js';
import {
  entitySectorCounts,
  givesUp,
  isRightsAware,
  type Propensity,
  rightsExponents,
  rightsVariables,
  writeRightsExponents,
} from './switching.js';
import {
  type BreakdownSink,
  type MemberOffer,
  type MemberTotals,
  type OfferYears,
  type OptionContext,
  offerSlot,
  type YearAdder,
  type YearFigures,
} from './types.js';

/**
 * Builds the member offer shared by the kinds that offer members a new arrangement: which incumbents
 * may switch (eligible, allowed to, and better off), which pilot participants may convert, and how
 * likely each is.
 */
export function buildMemberOffer(
  ctx: OptionContext,
  o: {
    /** Who qualifies: the option's eligibility rule, or a test of row i. */
    eligible: EligibilityRule | ((i: number) => boolean);
    incumbentsMaySwitch: boolean;
    switchPropensity: Propensity;
    /** Whether the arrangement keeps Sector Member rights (default false: one Study Group or less). */
    keepsSectorMemberRights?: boolean;
    /** The arrangement in a few words, for tables of what switchers give up. */
    arrangement?: string;
    pilotConversionRate: Num;
    /** Annual payment under the arrangement for member i. */
    payment: (i: number) => number;
    adminUnits: (i: number) => number;
  },
): { offer: MemberOffer } {
  const { roster, fee } = ctx.pop;
  const n = roster.size;
  // the members' numbers, gathered in roster order (types.ts MemberOffer: per member, not per row)
  const slotOf = new Int32Array(n);
  const members: number[] = [];
  const payment: number[] = [];
  const adminUnits: number[] = [];
  const keeps = o.keepsSectorMemberRights ?? false;
  const rightsAware = isRightsAware(o.switchPropensity);
  const expr = typeof o.switchPropensity === 'string' ? compileExpression(o.switchPropensity) : undefined;
  if (expr?.problems.length) for (const p of expr.problems) ctx.issue(`options.${ctx.id}.switchPropensity`, p);
  const candidates =
    typeof o.eligible === 'function'
      ? rowsPassing(ctx.pop, o.eligible, o.incumbentsMaySwitch)
      : eligibleRows(ctx.pop, o.eligible, o.incumbentsMaySwitch);
  for (const i of candidates) {
    const incumbent = isIncumbentPayer(roster.category[i]!);
    const pay = o.payment(i);
    if (incumbent && !(pay < fee[i]!)) continue; // nobody switches to pay more
    members.push(i);
    slotOf[i] = members.length;
    payment.push(pay);
    adminUnits.push(o.adminUnits(i));
  }
  const m = members.length;
  const rows = Int32Array.from(members);
  // the member variables serve only a rights-aware propensity and an expression, for incumbents
  const classExp = new Float64Array(rightsAware ? m : 0);
  const sectorExp = new Float64Array(rightsAware ? m : 0);
  const fixedPropensity = expr?.expr ? new Float64Array(m).fill(Number.NaN) : undefined;
  const scope = new Map<string, number>();
  let reported = false;
  const sectorsOf = rightsAware || fixedPropensity ? entitySectorCounts(ctx.pop) : new Uint8Array(0);
  if (rightsAware || fixedPropensity)
    for (let k = 0; k < m; k++) {
      const i = rows[k]!;
      if (!isIncumbentPayer(roster.category[i]!)) continue;
      if (!fixedPropensity) {
        writeRightsExponents(ctx.pop, sectorsOf, i, keeps, classExp, sectorExp, k);
        continue;
      }
      const rv = rightsVariables(ctx.pop, sectorsOf, i, keeps);
      if (rightsAware) [classExp[k], sectorExp[k]] = rightsExponents(rv);
      const pay = payment[k]!;
      for (const [name, x] of Object.entries(rv)) scope.set(name, x);
      scope
        .set('saving_chf', fee[i]! - pay)
        .set('saving_share', (fee[i]! - pay) / fee[i]!)
        .set('fee_current', fee[i]!)
        .set('fee_new', pay)
        .set('employees', roster.employees[i]!)
        .set('developing', paysDevelopedRate(roster, i) ? 0 : 1);
      let p = Number.NaN;
      try {
        p = expr!.expr!.evaluate(scope);
      } catch (e) {
        if (!reported) ctx.issue(`options.${ctx.id}.switchPropensity`, `${(e as Error).message} for member ${roster.id.at(i)}`);
        reported = true;
      }
      if (!reported && (p < 0 || p > 1)) {
        ctx.issue(
          `options.${ctx.id}.switchPropensity`,
          `expression gave ${p} for member ${roster.id.at(i)}; a propensity must lie in [0, 1] (wrap it in min(1, max(0, …)))`,
        );
        reported = true;
      }
      fixedPropensity[k] = p;
    }
  return {
    offer: {
      members: rows,
      slotOf,
      payment: Float64Array.from(payment),
      fixedPropensity,
      adminUnits: Float64Array.from(adminUnits),
      propensityParam: isRightsAware(o.switchPropensity)
        ? ctx.params.add(`options.${ctx.id}.switchPropensity.base`, o.switchPropensity.base)
        : typeof o.switchPropensity === 'string'
          ? -1
          : ctx.params.add(`options.${ctx.id}.switchPropensity`, o.switchPropensity),
      conversionParam: ctx.params.add(`options.${ctx.id}.pilotConversionRate`, o.pilotConversionRate),
      ...(isRightsAware(o.switchPropensity)
        ? {
            rights: {
              factorParam: ctx.params.add(`options.${ctx.id}.switchPropensity.sectorMemberFactor`, o.switchPropensity.sectorMemberFactor),
              perSectorParam: ctx.params.add(`options.${ctx.id}.switchPropensity.perExtraSector`, o.switchPropensity.perExtraSector),
              classExp,
              sectorExp,
            },
          }
        : {}),
      keepsSectorMemberRights: keeps,
      arrangement: o.arrangement ?? 'the new arrangement',
    },
  };
}

/** The rows an offer may reach (eligibleRows' categories) that pass `eligible`, ascending. */
function rowsPassing(pop: Population, eligible: (i: number) => boolean, incumbentsMaySwitch: boolean): Int32Array {
  const { category, size } = pop.roster;
  const out: number[] = [];
  for (let i = 0; i < size; i++) {
    const cat = category[i]!;
    if (!(incumbentsMaySwitch && isIncumbentPayer(cat)) && cat !== Cat.SmePilot) continue;
    if (eligible(i)) out.push(i);
  }
  return Int32Array.from(out);
}

/** Probability that member k takes the offer: conversion for a pilot participant, else its switch propensity. */
export function takeUpAt(offer: MemberOffer, category: number, k: number, values: Float64Array): number {
  if (category === Cat.SmePilot) return values[offer.conversionParam]!;
  const fp = offer.fixedPropensity?.[k] ?? Number.NaN;
  if (!Number.isNaN(fp)) return fp; // the propensity came from an expression
  const base = values[offer.propensityParam]!;
  const r = offer.rights;
  if (r === undefined) return base;
  const a = r.classExp[k]!,
    b = r.sectorExp[k]!;
  return base * (a === 0 ? 1 : values[r.factorParam]! ** a) * (b === 0 ? 1 : values[r.perSectorParam]! ** b);
}

/** The member part of a year: what switchers and converters pay and lose, and who takes part. */
export function addMemberTotals(mt: MemberTotals | undefined, out: YearFigures): void {
  if (!mt) return;
  out.gained += mt.gained;
  out.lost += mt.lost;
  out.incumbentsSwitched += mt.switched;
  out.pilotConverted += mt.converted;
  out.smeParticipants += mt.switched + mt.converted;
  out.smeParticipantsDeveloping += mt.switchedDeveloping + mt.convertedDeveloping;
}

/**
 * The year adder of an option with a member offer, from one draw's numbers (types.ts OfferYears): the
 * member totals (addMemberTotals), then the newcomers of each group, then the admin costs.
 */
export function offerAdder(t: OfferYears): YearAdder {
  const K = t.groups;
  return (mt, y, out) => {
    addMemberTotals(mt, out);
    for (let k = y * K; k < y * K + K; k++) {
      out.gained += t.newcomerGained[k]!;
      out.newEntrants += t.newcomers[k]!;
      out.smeParticipants += t.newcomers[k]!;
      out.smeParticipantsDeveloping += t.newcomersDeveloping[k]!;
    }
    out.adminCosts += t.adminRate * ((mt?.adminUnits ?? 0) + t.adminUnits[y]!) + t.adminFixed[y]!;
  };
}

/** Empty OfferYears for `years` years and `groups` newcomer groups, filled in by an option's offerYears. */
export function offerYearsFor(years: number, groups: number): OfferYears {
  return {
    groups,
    newcomers: new Float64Array(years * groups),
    newcomerGained: new Float64Array(years * groups),
    newcomersDeveloping: new Float64Array(years * groups),
    adminRate: 0,
    adminUnits: new Float64Array(years),
    adminFixed: new Float64Array(years),
  };
}

/** Horizon totals of an offer per member group, at expected values: pilot conversions gained, switching lost. */
export function offerBreakdown(offer: MemberOffer, pop: Population, values: Float64Array, years: number, sink: BreakdownSink): void {
  const { roster, fee } = pop;
  const { members } = offer;
  // summed per (category, sector, dev) in member order, then one sink call per group: the same sums
  // as a call per member (each group's amounts added in the same order, from 0), without a call and
  // a lookup by category name per member
  const D = DEV_STATUSES.length;
  const groups = CATEGORIES.length * SECTORS.length * D;
  const gained = new Float64Array(groups);
  const lost = new Float64Array(groups);
  const seen = new Uint8Array(groups);
  const order: number[] = [];
  for (let k = 0; k < members.length; k++) {
    const i = members[k]!;
    const cat = roster.category[i]!;
    const g = (cat * SECTORS.length + roster.sector[i]!) * D + roster.dev[i]!;
    if (seen[g] === 0) {
      seen[g] = 1;
      order.push(g);
    }
    const p = takeUpAt(offer, cat, k, values);
    const pay = offer.payment[k]!;
    if (cat === Cat.SmePilot) gained[g]! += years * p * pay;
    else lost[g]! += years * p * (fee[i]! - pay);
  }
  for (const g of order) {
    const dev = g % D;
    const sector = Math.floor(g / D) % SECTORS.length;
    const cat = Math.floor(g / (D * SECTORS.length));
    sink(sector, CATEGORIES[cat]!, dev, gained[g]!, lost[g]!);
  }
}

/**
 * Explain lines of a member offer for one member: the eligibility tests (`checks`), then what the
 * member would pay, its take-up probability and the expected effect.
 */
export function explainOffer(
  input: ExplainInput<{ incumbentsMaySwitch: boolean; switchPropensity: unknown }>,
  checks: string[],
): ExplainStepLines {
  const { option, pop, row, values, spec } = input;
  const { roster, fee } = pop;
  const cat = roster.category[row]!;
  const lines = [...checks];
  const offer = option.offer!;
  const k = offerSlot(offer, row);
  if (k < 0 || Number.isNaN(offer.payment[k]!)) {
    if (isIncumbentPayer(cat) && !spec.incumbentsMaySwitch) lines.push('incumbents may not switch under this option');
    lines.push(
      isIncumbentPayer(cat) || cat === Cat.SmePilot
        ? 'no offer: not eligible, or the arrangement would not cost less'
        : 'not concerned: only Sector Members, Associates and pilot participants',
    );
    return { lines, feeUnderOption: null, expectedSwitch: 0 };
  }
  const pay = offer.payment[k]!;
  const fp = offer.fixedPropensity?.[k] ?? Number.NaN;
  const p = takeUpAt(offer, cat, k, values);
  const chf = (x: number) => x.toLocaleString('en-GB', { maximumFractionDigits: 2 });
  lines.push(`would pay CHF ${chf(pay)} a year${cat === Cat.SmePilot ? '' : ` (saving CHF ${chf(fee[row]! - pay)})`}`);
  const r = offer.rights;
  const rightsNote =
    cat !== Cat.SmePilot && Number.isNaN(fp) && r
      ? ` (rights-aware: base ${(values[offer.propensityParam]! * 100).toFixed(1)}% × ${values[r.factorParam]!.toFixed(3)}^${Number(r.classExp[k]!.toFixed(4))} × ${values[r.perSectorParam]!.toFixed(3)}^${r.sectorExp[k]!})`
      : '';
  if (cat !== Cat.SmePilot) lines.push(`moving to ${offer.arrangement}, it gives up ${givesUp(pop, row, offer.keepsSectorMemberRights)}`);
  lines.push(
    `${cat === Cat.SmePilot ? 'conversion' : 'switch'} probability ${(p * 100).toFixed(1)}%${Number.isNaN(fp) ? rightsNote : ` (expression ${typeof spec.switchPropensity === 'string' ? spec.switchPropensity : ''})`}`,
  );
  lines.push(
    cat === Cat.SmePilot
      ? `expected fee income: CHF ${chf(p * pay)} a year`
      : `expected income lost: CHF ${chf(p * (fee[row]! - pay))} a year`,
  );
  return { lines, feeUnderOption: pay, expectedSwitch: p };
}
