/** 1: lowercase letters, digits, dashes only; 2: uppercase letters, digits, dashes only; 3: digits and dashes only (both); 0: anything else. */
function kind(s: string): number {
  let k = 3;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 45 || (c >= 48 && c <= 57)) continue;
    if (c >= 97 && c <= 122) k &= 1;
    else if (c >= 65 && c <= 90) k &= 2;
    else return 0;
    if (k === 0) return 0;
  }
  return k;
}

/**
 * a.localeCompare(b), without loading ICU's collation data (≈ 20–40 ms on the first call of a process;
 * README, Performance) for the ids feesim sorts by: when both strings are lowercase letters, digits and
 * dashes (option ids, category names), or both uppercase letters, digits and dashes (roster ids like
 * "T-0001"), the root collation orders them as their UTF-16 code units do (dash < digits < letters);
 * anything else goes to localeCompare. test/number-format.test.ts checks the agreement on random strings.
 */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  if (kind(a) & kind(b)) return a < b ? -1 : 1;
  return a.localeCompare(b);
}

const codeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A comparator for sorting these strings (compareText's order), classified once: when they are all of
 * one of compareText's kinds, a plain code-unit comparison (sorting a roster's ids compares each many times).
 */
export function textComparator(strings: readonly string[]): (a: string, b: string) => number {
  let k = 3;
  for (const s of strings) {
    k &= kind(s);
    if (k === 0) return compareText;
  }
  return codeUnits;
}
