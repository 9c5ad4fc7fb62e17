import { CATEGORIES, Cat, Dev, isIncumbentPayer } from '../../domain/codes.js';
import type { Num } from '../../scenario/distribution.js';
import type { EligibilitySpec } from '../../scenario/schema.js';
import { type EligibilityRule, isEligible } from '../../scenario/sme-presets.js';
import { compileExpression } from '../expr/compile-expression.js';
import type { Population } from '../population.js';
import { resolveRule } from './eligibility.js';
import type { BreakdownSink, MemberOffer, MemberTotals, OptionContext, YearFigures } from './types.js';

/**
 * Builds the member offer shared by the SME category and pay-as-you-go: which incumbents may switch
 * (eligible, allowed to, and better off), which pilot participants may convert, and how likely each is.
 */
export function buildMemberOffer(
  ctx: OptionContext,
  o: {
    eligibility: EligibilitySpec;
    incumbentsMaySwitch: boolean;
    switchPropensity: Num | string;
    pilotConversionRate: Num;
    /** Annual payment under the arrangement for member i. */
    payment: (i: number) => number;
    adminUnits: (i: number) => number;
  },
): { offer: MemberOffer; rule: EligibilityRule } {
  const { roster, fee } = ctx.pop;
  const n = roster.size;
  const rule = resolveRule(o.eligibility);
  const newPayment = new Float64Array(n).fill(NaN);
  const fixedPropensity = new Float64Array(n).fill(NaN);
  const adminUnits = new Float64Array(n);
  const members: number[] = [];
  const expr = typeof o.switchPropensity === 'string' ? compileExpression(o.switchPropensity) : undefined;
  if (expr?.problems.length) for (const p of expr.problems) ctx.issue(`options.${ctx.id}.switchPropensity`, p);
  const scope = new Map<string, number>();
  let reported = false;
  for (let i = 0; i < n; i++) {
    const cat = roster.category[i]!;
    const incumbent = isIncumbentPayer(cat);
    if (!(incumbent && o.incumbentsMaySwitch) && cat !== Cat.SmePilot) continue;
    if (!isEligible(rule, roster.employees[i]!, roster.turnoverUsd[i]!, roster.independent[i] === 1)) continue;
    const pay = o.payment(i);
    if (incumbent && !(pay < fee[i]!)) continue; // nobody switches to pay more
    newPayment[i] = pay;
    adminUnits[i] = o.adminUnits(i);
    members.push(i);
    if (incumbent && expr?.expr) {
      scope
        .set('saving_chf', fee[i]! - pay)
        .set('saving_share', (fee[i]! - pay) / fee[i]!)
        .set('fee_current', fee[i]!)
        .set('fee_new', pay)
        .set('employees', roster.employees[i]!)
        .set('developing', roster.dev[i] === Dev.Developed ? 0 : 1);
      let p = NaN;
      try {
        p = expr.expr.evaluate(scope);
      } catch (e) {
        if (!reported) ctx.issue(`options.${ctx.id}.switchPropensity`, `${(e as Error).message} for member ${roster.id[i]}`);
        reported = true;
      }
      if (!reported && (p < 0 || p > 1)) {
        ctx.issue(
          `options.${ctx.id}.switchPropensity`,
          `expression gave ${p} for member ${roster.id[i]}; a propensity must lie in [0, 1] (wrap it in min(1, max(0, …)))`,
        );
        reported = true;
      }
      fixedPropensity[i] = p;
    }
  }
  return {
    rule,
    offer: {
      members: Int32Array.from(members),
      newPayment,
      fixedPropensity,
      adminUnits,
      propensityParam:
        typeof o.switchPropensity === 'string' ? -1 : ctx.params.add(`options.${ctx.id}.switchPropensity`, o.switchPropensity),
      conversionParam: ctx.params.add(`options.${ctx.id}.pilotConversionRate`, o.pilotConversionRate),
    },
  };
}

/** Probability that member i takes the offer: conversion for a pilot participant, else its switch propensity. */
export function takeUpProbability(offer: MemberOffer, category: number, i: number, values: Float64Array): number {
  if (category === Cat.SmePilot) return values[offer.conversionParam]!;
  const fp = offer.fixedPropensity[i]!;
  return Number.isNaN(fp) ? values[offer.propensityParam]! : fp; // a number: the propensity came from an expression
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

/** Horizon totals of an offer per member group, at expected values: pilot conversions gained, switching lost. */
export function offerBreakdown(offer: MemberOffer, pop: Population, values: Float64Array, years: number, sink: BreakdownSink): void {
  const { roster, fee } = pop;
  for (const i of offer.members) {
    const cat = roster.category[i]!;
    const p = takeUpProbability(offer, cat, i, values);
    const pay = offer.newPayment[i]!;
    if (cat === Cat.SmePilot) sink(roster.sector[i]!, CATEGORIES[cat]!, roster.dev[i]!, years * p * pay, 0);
    else sink(roster.sector[i]!, CATEGORIES[cat]!, roster.dev[i]!, 0, years * p * (fee[i]! - pay));
  }
}
