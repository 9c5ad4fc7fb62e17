import { Cat, Dev } from '../domain/codes.js';
import { fromMicro, toMicro } from './money.js';
import { takeUpProbability } from './options/member-offer.js';
import { emptyTotals, type MemberOffer, type MemberTotals } from './options/types.js';
import type { Population } from './population.js';
import { memberUniform } from './random/streams.js';

/** Rows offered by any of the offers, ascending. */
export function unionOfMembers(offers: readonly MemberOffer[]): Int32Array {
  if (offers.length === 1) return offers[0]!.members;
  const set = new Set<number>();
  for (const o of offers) for (const i of o.members) set.add(i);
  return Int32Array.from([...set].sort((a, b) => a - b));
}

/** Index of the offer with the lowest payment for member i (ties: the first), or -1 if none is offered. */
export function cheapestOffer(offers: readonly MemberOffer[], i: number): number {
  let best = -1;
  let bestPay = Infinity;
  for (let o = 0; o < offers.length; o++) {
    const pay = offers[o]!.newPayment[i]!;
    if (pay < bestPay) {
      bestPay = pay;
      best = o;
    }
  }
  return best;
}

export interface DrawKey {
  seedKey: number;
  draw: number;
}

/**
 * Each member takes at most one new arrangement: the cheapest one offered to it (ties: the option
 * that comes first in the scenario), with that option's take-up probability. Deterministic runs add expected values
 * (probability × amount); Monte Carlo draws a 0/1 outcome from the member's own uniform, the same
 * for every option (common random numbers). Totals are accumulated in micro-units (money.ts).
 */
export function memberTotals(
  pop: Population,
  offers: readonly MemberOffer[],
  values: Float64Array,
  rows: Int32Array,
  draw?: DrawKey,
): MemberTotals[] {
  const { fee, roster, memberKey } = pop;
  const acc = offers.map(() => [0, 0, 0, 0, 0, 0, 0]); // lost, gained, switched, switchedDev, converted, convertedDev, adminUnits (micro)
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k]!;
    const best = cheapestOffer(offers, i);
    if (best < 0) continue;
    const offer = offers[best]!;
    const bestPay = offer.newPayment[i]!;
    const cat = roster.category[i]!;
    const pilot = cat === Cat.SmePilot;
    const p = takeUpProbability(offer, cat, i, values);
    const taken = draw ? (memberUniform(draw.seedKey, memberKey[i]!, draw.draw) < p ? 1 : 0) : p;
    if (taken === 0) continue;
    const a = acc[best]!;
    const dev = roster.dev[i] !== Dev.Developed;
    if (pilot) {
      a[1]! += toMicro(taken * bestPay);
      a[4]! += toMicro(taken);
      if (dev) a[5]! += toMicro(taken);
    } else {
      a[0]! += toMicro(taken * (fee[i]! - bestPay));
      a[2]! += toMicro(taken);
      if (dev) a[3]! += toMicro(taken);
    }
    a[6]! += toMicro(taken * offer.adminUnits[i]!);
  }
  return acc.map((a) => {
    const t = emptyTotals();
    t.lost = fromMicro(a[0]!);
    t.gained = fromMicro(a[1]!);
    t.switched = fromMicro(a[2]!);
    t.switchedDeveloping = fromMicro(a[3]!);
    t.converted = fromMicro(a[4]!);
    t.convertedDeveloping = fromMicro(a[5]!);
    t.adminUnits = fromMicro(a[6]!);
    return t;
  });
}
