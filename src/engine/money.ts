/**
 * Sums of money and of expected counts are accumulated in whole micro-units (1e-6 CHF, 1e-6 member):
 * each term is rounded to an integer number of micro-units, and integer-valued doubles below 2^53
 * add exactly in any order. So a total does not depend on the order members are visited, and a
 * threshold sweep built from prefix sums equals a single run at the same threshold bit for bit.
 * Limit: totals up to 9e9 CHF per accumulator; the rounding moves each term by at most 5e-7 CHF.
 */
export const MICRO = 1e6;
export const toMicro = (x: number): number => Math.round(x * MICRO);
export const fromMicro = (m: number): number => m / MICRO;
