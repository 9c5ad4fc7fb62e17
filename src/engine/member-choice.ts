import { Cat, Dev } from '../domain/codes.js';
import { addMember, readTotals, SLOTS } from './kernel.js';
import { takeUpAt } from './options/member-offer.js';
import { emptyTotals, type MemberOffer, type MemberTotals, offeredPayment, offerSlot } from './options/types.js';
import type { Population } from './population.js';
import { memberUniform } from './random/streams.js';

/** Rows offered by any of the offers, ascending. */
export function unionOfMembers(offers: readonly MemberOffer[]): Int32Array {
  if (offers.length === 0) return new Int32Array(0);
  // each offer's members are ascending: merged two lists at a time, in time proportional to the
  // members (a mark per roster row read back in row order cost a pass over all the rows)
  let out = offers[0]!.members;
  for (let o = 1; o < offers.length; o++) out = mergeAscending(out, offers[o]!.members);
  return out;
}

/** The rows of two ascending lists of rows, ascending, each once. */
function mergeAscending(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x <= y) {
      out[k++] = x;
      i++;
      if (x === y) j++;
    } else {
      out[k++] = y;
      j++;
    }
  }
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out.slice(0, k);
}

/** Index of the offer with the lowest payment for member i (ties: the first), or -1 if none is offered. */
export function cheapestOffer(offers: readonly MemberOffer[], i: number): number {
  let best = -1;
  let bestPay = Infinity;
  for (let o = 0; o < offers.length; o++) {
    const pay = offeredPayment(offers[o]!, i);
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
 * for every option (common random numbers). Totals are accumulated in micro-units (money.ts) by the
 * kernel's accumulation step (kernel.ts addMember).
 *
 * This is the reference, member by member; Monte Carlo runs the same step from a MemberPlan.
 */
export function memberTotals(
  pop: Population,
  offers: readonly MemberOffer[],
  values: Float64Array,
  rows: Int32Array,
  draw?: DrawKey,
): MemberTotals[] {
  const { fee, roster } = pop;
  // the members' id hashes only for a draw (Population.memberKey is worked out when first read)
  const memberKey = draw ? pop.memberKey : undefined;
  const acc = new Float64Array(offers.length * SLOTS);
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k]!;
    const best = cheapestOffer(offers, i);
    if (best < 0) continue;
    const offer = offers[best]!;
    const at = offerSlot(offer, i);
    const cat = roster.category[i]!;
    const p = takeUpAt(offer, cat, at, values);
    const taken = draw ? (memberUniform(draw.seedKey, memberKey![i]!, draw.draw) < p ? 1 : 0) : p;
    if (taken === 0) continue;
    addMember(
      acc,
      best * SLOTS,
      taken,
      cat === Cat.SmePilot,
      roster.dev[i] !== Dev.Developed,
      offer.payment[at]!,
      fee[i]!,
      offer.adminUnits[at]!,
    );
  }
  return offers.map((_, o) => readTotals(acc, o * SLOTS, emptyTotals()));
}

/**
 * The members of an evaluation laid out for Monte Carlo, struct-of-arrays: for each member (in `rows`
 * order) the offer it takes (its cheapest), where its take-up probability comes from, and what it adds
 * when it takes up — the accumulation step at taken = 1, computed once. A draw then only compares the
 * member's uniform with its probability and adds SLOTS numbers: no allocation, no lookups.
 */
export interface MemberPlan {
  /** Rows of the members, in plan order. */
  rows: Int32Array;
  /** Where the member's uniform is in the draw's uniforms (its index in the rows they were drawn for). */
  slot: Int32Array;
  /** Offset of the member's offer in the accumulator (offer index × SLOTS). */
  at: Int32Array;
  /** Parameter index of the member's take-up probability, or −1 for a fixed (expression) one. */
  pParam: Int32Array;
  fixedP: Float64Array;
  /** Rights-aware propensity (options/switching.ts): factor parameters (−1: none) and the member's exponents. */
  factorParam: Int32Array;
  perSectorParam: Int32Array;
  classExp: Float64Array;
  sectorExp: Float64Array;
  /**
   * The rights-aware powers factor^classExp and perExtraSector^sectorExp take few distinct (parameter,
   * exponent) pairs (one per membership class and per count of extra Sectors): each member's two
   * indices into them. drawTerms computes them once per draw into termValue, instead of a power per
   * member per draw (the same numbers: x ** e for the same x and e).
   */
  classTerm: Int32Array;
  sectorTerm: Int32Array;
  termParam: Int32Array;
  termExp: Float64Array;
  termValue: Float64Array;
  /** SLOTS numbers per member: addMember at taken = 1. */
  contrib: Float64Array;
  /** Accumulator length: offers × SLOTS. */
  accLength: number;
}

export function planMembers(pop: Population, offers: readonly MemberOffer[], rows: Int32Array, uniformRows: Int32Array = rows): MemberPlan {
  const { fee, roster } = pop;
  const keep: number[] = [];
  const best: number[] = [];
  for (const i of rows) {
    const b = cheapestOffer(offers, i);
    if (b < 0) continue;
    keep.push(i);
    best.push(b);
  }
  const n = keep.length;
  const slotOf = new Map<number, number>();
  uniformRows.forEach((i, k) => slotOf.set(i, k));
  const plan: MemberPlan = {
    rows: Int32Array.from(keep),
    slot: Int32Array.from(keep, (i) => slotOf.get(i)!),
    at: Int32Array.from(best, (b) => b * SLOTS),
    pParam: new Int32Array(n),
    fixedP: new Float64Array(n),
    factorParam: new Int32Array(n).fill(-1),
    perSectorParam: new Int32Array(n).fill(-1),
    classExp: new Float64Array(n),
    sectorExp: new Float64Array(n),
    classTerm: new Int32Array(n),
    sectorTerm: new Int32Array(n),
    termParam: new Int32Array(0),
    termExp: new Float64Array(0),
    termValue: new Float64Array(0),
    contrib: new Float64Array(n * SLOTS),
    accLength: offers.length * SLOTS,
  };
  const terms = new Map<string, number>();
  const termParams: number[] = [];
  const termExps: number[] = [];
  const termOf = (param: number, exp: number): number => {
    const key = `${param} ${exp}`;
    let t = terms.get(key);
    if (t === undefined) {
      t = termParams.length;
      terms.set(key, t);
      termParams.push(param);
      termExps.push(exp);
    }
    return t;
  };
  for (let m = 0; m < n; m++) {
    const i = keep[m]!;
    const offer = offers[best[m]!]!;
    const at = offerSlot(offer, i);
    const pilot = roster.category[i] === Cat.SmePilot;
    // as takeUpAt: conversion for a pilot participant, else the member's own or the option's propensity
    const fp = offer.fixedPropensity?.[at] ?? Number.NaN;
    plan.pParam[m] = pilot ? offer.conversionParam : Number.isNaN(fp) ? offer.propensityParam : -1;
    plan.fixedP[m] = pilot ? NaN : fp;
    const r = offer.rights;
    if (r && !pilot && Number.isNaN(fp) && (r.classExp[at]! !== 0 || r.sectorExp[at]! !== 0)) {
      plan.factorParam[m] = r.factorParam;
      plan.perSectorParam[m] = r.perSectorParam;
      plan.classExp[m] = r.classExp[at]!;
      plan.sectorExp[m] = r.sectorExp[at]!;
      plan.classTerm[m] = termOf(r.factorParam, r.classExp[at]!);
      plan.sectorTerm[m] = termOf(r.perSectorParam, r.sectorExp[at]!);
    }
    addMember(plan.contrib, m * SLOTS, 1, pilot, roster.dev[i] !== Dev.Developed, offer.payment[at]!, fee[i]!, offer.adminUnits[at]!);
  }
  plan.termParam = Int32Array.from(termParams);
  plan.termExp = Float64Array.from(termExps);
  plan.termValue = new Float64Array(termParams.length);
  return plan;
}

/** This draw's rights-aware powers (MemberPlan.termValue): call before drawMembers with the draw's values. */
export function drawTerms(plan: MemberPlan, values: Float64Array): void {
  const { termParam, termExp, termValue } = plan;
  for (let t = 0; t < termParam.length; t++) {
    const e = termExp[t]!;
    termValue[t] = e === 0 ? 1 : values[termParam[t]!]! ** e;
  }
}

/**
 * One Monte Carlo draw of the members m in [from, to) of a plan into acc: a member takes up when its
 * uniform u[at + slot[m]] is below its probability (`at`: where this draw's uniforms start in u).
 * drawTerms(plan, values) must have run for this draw's values.
 * Returns whether any did (the totals changed).
 */
export function drawMembers(
  plan: MemberPlan,
  from: number,
  to: number,
  u: Float64Array,
  values: Float64Array,
  acc: Float64Array,
  at0 = 0,
): boolean {
  const { slot, at, pParam, fixedP, contrib, factorParam, classTerm, sectorTerm, termValue } = plan;
  let changed = false;
  for (let m = from; m < to; m++) {
    const k = pParam[m]!;
    let p = k >= 0 ? values[k]! : fixedP[m]!;
    // as takeUpAt for a rights-aware propensity: base × factor^a × perExtraSector^b (drawTerms)
    if (factorParam[m]! >= 0) p *= termValue[classTerm[m]!]! * termValue[sectorTerm[m]!]!;
    if (!(u[at0 + slot[m]!]! < p)) continue;
    const a = at[m]!;
    const c = m * SLOTS;
    for (let s = 0; s < SLOTS; s++) acc[a + s]! += contrib[c + s]!;
    changed = true;
  }
  return changed;
}

/** The uniforms of `rows` for one draw (counter-based: keyed by seed, member id and draw), in a batch. */
export function drawUniforms(memberKey: Uint32Array, rows: Int32Array, seedKey: number, draw: number, u: Float64Array): Float64Array {
  for (let m = 0; m < rows.length; m++) u[m] = memberUniform(seedKey, memberKey[rows[m]!]!, draw);
  return u;
}
