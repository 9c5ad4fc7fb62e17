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
 * Printable ASCII (U+0020 … U+007E) in the order of the Unicode root collation (CLDR root, which English
 * uses untailored; punctuation not ignorable): blank, punctuation and symbols, digits, then letters,
 * each lowercase letter just before its capital (the two are equal at the primary level: case counts
 * only when nothing else differs). test/number-format.test.ts checks it against Intl.Collator('en').
 */
const ROOT_ORDER = ' _-,;:!?.\'"()[]{}@*/\\&#%`^+<=>|~$0123456789aAbBcCdDeEfFgGhHiIjJkKlLmMnNoOpPqQrRsStTuUvVwWxXyYzZ';
/** Primary weight of each printable ASCII code (a letter's two cases share one); 0 outside printable ASCII. */
const PRIMARY = (() => {
  const w = new Uint8Array(128);
  let weight = 0;
  for (let k = 0; k < ROOT_ORDER.length; k++) {
    const c = ROOT_ORDER.charCodeAt(k);
    const upper = c >= 65 && c <= 90;
    if (!upper) weight++; // a capital takes its lowercase letter's weight
    w[c] = weight;
  }
  return w;
})();

/** Whether every code unit of s is printable ASCII. */
function printableAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c > 126) return false;
  }
  return true;
}

/**
 * The root collation's order of two printable-ASCII strings: their primary weights (ROOT_ORDER) compared
 * in turn, a string before any longer one that starts with it; when those are all equal, the first
 * difference of case decides, lowercase first (the tertiary level).
 */
function compareAscii(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = PRIMARY[a.charCodeAt(i)]! - PRIMARY[b.charCodeAt(i)]!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return x > y ? -1 : 1; // the lowercase letter (the larger code) first
  }
  return 0;
}

/**
 * a.localeCompare(b, 'en'): the same order whatever the user's locale (a Lithuanian locale sorts "y"
 * after "i", a default localeCompare would follow it), and without loading ICU's collation data
 * (≈ 15–40 ms on the first call of a process; README, Performance) for the strings feesim sorts: when
 * both strings are lowercase letters, digits and dashes (option ids, category names), or both uppercase
 * letters, digits and dashes (roster ids like "T-0001"), the root collation orders them as their UTF-16
 * code units do (dash < digits < letters); other printable ASCII (labels like "new SME member") by the
 * root collation's table above; anything else goes to ICU. test/number-format.test.ts checks the
 * agreement on random strings.
 */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  if (kind(a) & kind(b)) return a < b ? -1 : 1;
  if (printableAscii(a) && printableAscii(b)) return compareAscii(a, b);
  return a.localeCompare(b, 'en');
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
