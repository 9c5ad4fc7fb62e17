/**
 * A long list whose elements are made when asked for, a slice at a time: the who-pays-less list of a
 * run (engine/paying-less.ts), up to a row per membership of a million-row roster. Its elements are
 * plain data, made anew by each `slice` (so a caller may keep or change them); `rows()` makes them all
 * once and keeps them. `toJSON` gives that array, so JSON.stringify prints the list as an array;
 * results/json-stream.ts instead prints it a slice at a time, and the rows of each slice are garbage
 * as soon as their text is made — they never reach V8's old generation (on the 1M-row roster, building
 * every row up front cost ~100 ms of scavenges and a 55 ms full collection).
 *
 * @example
 * const list = { [BATCHED]: true as const, length: 2, slice: (a = 0, b = 2) => [1, 2].slice(a, b), rows: () => [1, 2], toJSON: () => [1, 2] };
 * isBatchedList(list) // => true
 * JSON.stringify({ list }) // => '{"list":[1,2]}'
 */
export const BATCHED: unique symbol = Symbol.for('feesim.batched-list') as never;

export interface BatchedList<T> {
  readonly [BATCHED]: true;
  readonly length: number;
  /** Elements from..to − 1, made for this call. */
  slice(from?: number, to?: number): T[];
  /** Every element, made once and kept. */
  rows(): readonly T[];
  toJSON(): readonly T[];
}

export function isBatchedList(v: unknown): v is BatchedList<unknown> {
  return typeof v === 'object' && v !== null && (v as { [BATCHED]?: unknown })[BATCHED] === true;
}
