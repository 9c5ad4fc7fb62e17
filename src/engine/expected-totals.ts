import { memberTotals } from './member-choice.js';
import type { MemberOffer, MemberTotals } from './options/types.js';
import type { Population } from './population.js';

/**
 * memberTotals at expected values (no draw), remembered per set of offers. One `run` evaluates the same
 * offers at the same values many times over: checkDeterministic, then each arm, each subset of a
 * combination for its attribution (a single option's subset is that option's own arm), and all of it
 * again against each further baseline (which shares the options). Each evaluation passes over every
 * member the offers reach (profiled on a 1,000,000-membership roster: memberTotals 63–77 ms of a
 * `run`, most of it repeats). memberTotals is a pure function of its inputs, so a remembered answer
 * is the answer itself.
 *
 * Remembered: the last few (MAX_KEPT) evaluations of each first offer, matched on the same offers (the
 * same objects, in order; an offer does not change once compiled), equal rows and equal values (copies
 * of both are kept, compared by content: a caller may reuse its arrays, and a combination's rows are
 * rebuilt for each use). The totals come back as new objects each time, so a caller that changes them
 * changes only its own.
 *
 * @example
 * // two calls with the same inputs: the second is answered from the first, equal and not shared
 * const a = expectedMemberTotals(pop, offers, values, rows);
 * const b = expectedMemberTotals(pop, offers, values, rows);
 * a[0].lost === b[0].lost && a[0] !== b[0] // => true
 */
export function expectedMemberTotals(
  pop: Population,
  offers: readonly MemberOffer[],
  values: Float64Array,
  rows: Int32Array,
): MemberTotals[] {
  const first = offers[0];
  if (first === undefined) return [];
  let kept = remembered.get(first);
  if (!kept) {
    kept = [];
    remembered.set(first, kept);
  }
  let hit = kept.find((e) => e.pop === pop && sameOffers(e.offers, offers) && sameRows(e.rows, rows) && sameValues(e.values, values));
  if (!hit) {
    hit = { pop, offers: [...offers], rows: rows.slice(), values: values.slice(), totals: memberTotals(pop, offers, values, rows) };
    kept.push(hit);
    if (kept.length > MAX_KEPT) kept.shift();
  }
  return hit.totals.map((t) => ({ ...t }));
}

/** Evaluations kept per first offer: a run needs one per arm that starts with it; tornado and the explorer vary the values. */
const MAX_KEPT = 4;

interface Kept {
  pop: Population;
  offers: readonly MemberOffer[];
  rows: Int32Array;
  values: Float64Array;
  totals: MemberTotals[];
}

/** Keyed by the first offer: forgotten with the model that compiled it. */
const remembered = new WeakMap<MemberOffer, Kept[]>();

const sameOffers = (a: readonly MemberOffer[], b: readonly MemberOffer[]) => a.length === b.length && a.every((o, k) => o === b[k]);

function sameRows(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/** Equal values, Object.is: NaN equals NaN (a NaN gives NaN totals either way), +0 and −0 differ (1/x could tell). */
function sameValues(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (!Object.is(a[k], b[k])) return false;
  return true;
}
