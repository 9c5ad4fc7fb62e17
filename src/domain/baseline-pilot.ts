/**
 * The pilot in the baseline (`baseline.pilot`, docs/model.md §1): it `continues` as today (the report's
 * framing) or `ends <year>` in January of that year (what was decided: January 2020).
 */
export const BASELINE_PILOT = /^(continues|ends \d{4})$/;
export const BASELINE_PILOT_EXPECTED = 'expected "continues" or "ends <year>", e.g. "ends 2020"';

/** Years of the horizon the baseline's pilot runs: "continues" → Infinity; "ends 2020" from 2020 → 0. */
export function pilotYearsOf(pilot: string | undefined, startYear: number): number {
  const m = /^ends (\d{4})$/.exec(pilot ?? 'continues');
  return m ? Math.max(0, Number(m[1]) - startYear) : Infinity;
}

/** How tables name a baseline: "the pilot continuing as today" / "the pilot ending in January 2020". */
export function describeBaseline(pilot: string | undefined): string {
  const m = /^ends (\d{4})$/.exec(pilot ?? 'continues');
  return m ? `the pilot ending in January ${m[1]}` : 'the pilot continuing as today';
}

/** The words of a table's baseline, those of the pilot continuing when none are given. */
export function baselineWords(words: string | undefined): string {
  return words ?? describeBaseline(undefined);
}
