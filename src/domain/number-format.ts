/**
 * en-GB number formatting without Intl: what `new Intl.NumberFormat('en-GB', { maximumFractionDigits: f })`
 * prints ("1,234,567.89", "-0"), for finite numbers below 1e21. The first Intl number format of a
 * process loads ICU locale data (≈ 30–60 ms, a sixth of a command's start-up budget; README,
 * Performance); this is plain string work. Exact, as ICU does it: the shortest decimal that reads back
 * as the number (`toExponential()`), rounded half away from zero to f fraction digits, trailing zeros
 * dropped, the whole part grouped by threes. test/number-format.test.ts compares it with Intl over
 * random values.
 */
export function formatGrouped(x: number, maxFractionDigits = 3): string {
  if (!Number.isFinite(x) || Math.abs(x) >= 1e21 || maxFractionDigits > 20) return intl(x, maxFractionDigits);
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  // A whole number below 1e21: String() prints its shortest digits and the zeros up to the decimal
  // point, which is what the digit work below gives it (no fraction digits, nothing to round) — a
  // sweep prints ~1,500 of these (thresholds, headcounts), ~2 µs each the long way
  if (Number.isInteger(x) && maxFractionDigits >= 0) return sign + groupThrees(String(Math.abs(x)));
  if (x === 0) return `${sign}0`;
  const e = Math.abs(x).toExponential(); // "d.ddde±n": the shortest digits
  const at = e.indexOf('e');
  const digits = (e[1] === '.' ? e[0]! + e.slice(2, at) : e.slice(0, at)).split('').map(Number);
  const whole = Number(e.slice(at + 1)) + 1; // digits before the decimal point (may be ≤ 0)
  // keep `whole + f` digits, rounding half away from zero on the next one
  let keep = whole + maxFractionDigits;
  let ds: number[];
  let point = whole;
  if (keep < 0) ds = [];
  else {
    ds = digits.slice(0, keep);
    while (ds.length < keep) ds.push(0);
    if ((digits[keep] ?? 0) >= 5) {
      let k = keep - 1;
      while (k >= 0 && ds[k] === 9) ds[k--] = 0;
      if (k >= 0) ds[k]!++;
      else {
        ds.unshift(1);
        point++;
        keep++;
      }
    }
  }
  // ds holds the digits of the rounded value, the decimal point after `point` of them
  let int = point > 0 ? ds.slice(0, point).join('') : '';
  let frac = point >= 0 ? ds.slice(point).join('') : '0'.repeat(-point) + ds.join('');
  frac = frac.replace(/0+$/, '');
  int = int.replace(/^0+/, '') || '0';
  return sign + groupThrees(int) + (frac ? `.${frac}` : '');
}

/** Digits grouped by threes from the right: "1234567" → "1,234,567". */
function groupThrees(int: string): string {
  if (int.length <= 3) return int;
  let k = int.length % 3 || 3;
  let g = int.slice(0, k);
  for (; k < int.length; k += 3) g += `,${int.slice(k, k + 3)}`;
  return g;
}

const formatters = new Map<number, Intl.NumberFormat>();
function intl(x: number, maxFractionDigits: number): string {
  let f = formatters.get(maxFractionDigits);
  if (!f) {
    f = new Intl.NumberFormat('en-GB', { maximumFractionDigits: maxFractionDigits });
    formatters.set(maxFractionDigits, f);
  }
  return f.format(x);
}
