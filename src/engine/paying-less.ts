import { BATCHED, type BatchedList } from '../domain/batched-list.js';
import { CATEGORIES, Cat, SECTORS } from '../domain/codes.js';
import { textComparator } from '../domain/compare-text.js';
import { takeUpAt } from './options/member-offer.js';
import { givesUp } from './options/switching.js';
import { type MemberOffer, offerSlot } from './options/types.js';
import type { Population } from './population.js';

export interface PayingLessRow {
  id: string;
  name: string;
  sector: string;
  category: string;
  employees: number;
  feeToday: number;
  feeUnderOption: number;
  saving: number;
  propensity: number;
  expectedLoss: number;
  /** Sector Member class today (null for an Associate). */
  classUnits: number | null;
  /** The arrangement it would move to, and what it gives up by switching (docs/model.md §8). */
  movesTo: string;
  givesUp: string;
}

/** Who pays less under one of `offers`, and under which: the cheapest (engine/run.ts payingLessMembers). */
export interface PayingLessMembers {
  /** Rows rows[0 … m − 1], in roster order, and the index in the offers of each one's cheapest offer. */
  rows: Int32Array;
  bestOf: Int32Array;
  m: number;
}

/**
 * The incumbents (and pilot participants) who would pay less, largest saving first, then by id: a
 * BatchedList (domain/batched-list.ts) whose rows are made a slice at a time. What orders them (each
 * member's saving, its id) and what the rows need besides the roster's columns (its offer, its
 * propensity) is worked out once, in roster order — the columns read in order: on a large roster, read
 * in the sorted order each read was a cache miss. Read-only; one list may serve two arms (run.ts
 * whoPaysLess).
 *
 * @example
 * const list = runDeterministic(model).payingLess[armId];
 * list.slice(0, 2) // the two largest savings, rows made for this call
 * list.rows() === list.rows() // => true (made once, kept)
 */
export class PayingLessList implements BatchedList<PayingLessRow> {
  readonly [BATCHED] = true as const;
  readonly length: number;
  // private (#) fields: not enumerable, so that two lists of the same rows are equal to vitest's
  // toEqual (which compares an iterable by its elements and its enumerable properties)
  readonly #pop: Population;
  readonly #offers: readonly MemberOffer[];
  readonly #chosen: PayingLessMembers;
  /** Per member k (roster order): its index in its offer, its take-up probability, its id. */
  readonly #at: Int32Array;
  readonly #propensity: Float64Array;
  readonly #ids: string[];
  /** The members k in the list's order. */
  readonly #order: Int32Array;
  #all: PayingLessRow[] | undefined;

  constructor(pop: Population, offers: readonly MemberOffer[], chosen: PayingLessMembers, values: Float64Array) {
    const { roster, fee } = pop;
    const { rows, bestOf, m } = chosen;
    this.#pop = pop;
    this.#offers = offers;
    this.#chosen = chosen;
    this.length = m;
    const atOf = new Int32Array(m);
    const propensity = new Float64Array(m);
    const ids: string[] = new Array(m);
    const saving = new Float64Array(m);
    for (let k = 0; k < m; k++) {
      const i = rows[k]!;
      const offer = offers[bestOf[k]!]!;
      const at = offerSlot(offer, i);
      atOf[k] = at;
      propensity[k] = takeUpAt(offer, roster.category[i]!, at, values);
      saving[k] = fee[i]! - offer.payment[at]!;
      ids[k] = roster.id.at(i)!;
    }
    const byId = textComparator(ids);
    const order = Array.from({ length: m }, (_, k) => k).sort((a, b) => saving[b]! - saving[a]! || byId(ids[a]!, ids[b]!));
    this.#order = Int32Array.from(order);
    this.#at = atOf;
    this.#propensity = propensity;
    this.#ids = ids;
  }

  /** Rows from..to − 1 of the list (negative: from the end, as Array.prototype.slice), made for this call. */
  slice(from = 0, to = this.length): PayingLessRow[] {
    const n = this.length;
    const a = from < 0 ? Math.max(n + from, 0) : Math.min(from, n);
    const b = to < 0 ? Math.max(n + to, 0) : Math.min(to, n);
    const out: PayingLessRow[] = [];
    for (let j = a; j < b; j++) out.push(this.#row(this.#order[j]!));
    return out;
  }

  rows(): readonly PayingLessRow[] {
    this.#all ??= this.slice();
    return this.#all;
  }

  toJSON(): readonly PayingLessRow[] {
    return this.rows();
  }

  [Symbol.iterator](): Iterator<PayingLessRow> {
    return this.rows()[Symbol.iterator]();
  }

  /** Member k's row. */
  #row(k: number): PayingLessRow {
    const { roster, fee } = this.#pop;
    const i = this.#chosen.rows[k]!;
    const offer = this.#offers[this.#chosen.bestOf[k]!]!;
    const pay = offer.payment[this.#at[k]!]!;
    const saving = fee[i]! - pay;
    const propensity = this.#propensity[k]!;
    return {
      id: this.#ids[k]!,
      name: roster.name.at(i)!,
      sector: SECTORS[roster.sector[i]!]!,
      category: CATEGORIES[roster.category[i]!]!,
      employees: roster.employees[i]!,
      feeToday: fee[i]!,
      feeUnderOption: pay,
      saving,
      propensity,
      expectedLoss: propensity * saving,
      classUnits: roster.category[i] === Cat.SectorMember ? roster.classUnits[i]! : null,
      movesTo: offer.arrangement,
      givesUp: givesUp(this.#pop, i, offer.keepsSectorMemberRights),
    };
  }
}
