import { formatGrouped } from '../../domain/number-format.js';
import type { Num } from '../../scenario/distribution.js';
import { meanOf, quantile } from '../random/distributions.js';

/**
 * Plain-language formatting of parameter values for rule summaries, key assumptions and tables:
 * CHF amounts with thousands separators, shares as percentages, unit fractions as "1/16 of the unit".
 * One place, so that every description of a value reads the same.
 */
export type ValueFormat = 'percent' | 'chf' | 'usd' | 'integer' | 'number' | 'unit-fraction';

/** Significant digits enough to tell two values apart (at least `min`, at most 6). */
function digitsToSeparate(a: number, b: number, min: number): number {
  for (let d = min; d < 6; d++) if (Number(a.toPrecision(d)) !== Number(b.toPrecision(d))) return d;
  return 6;
}

// en-GB grouping as Intl prints it, without loading ICU's locale data at start-up (domain/number-format.ts)
const grouped = formatGrouped;

/** A number with `sig` significant digits (never fewer whole digits), thousands separated. */
function sigNumber(x: number, sig: number): string {
  if (x === 0 || !Number.isFinite(x)) return String(x);
  const mag = Math.floor(Math.log10(Math.abs(x)));
  const frac = Math.max(0, sig - 1 - mag);
  return grouped(Number(x.toFixed(Math.min(frac, 10))), Math.min(frac, 10));
}

/** "1/16 of the unit" for exact reciprocals, else "0.07 of the unit". */
export function unitFraction(f: number): string {
  if (f === 0) return 'free';
  if (f === 1) return '1 unit';
  const inv = 1 / f;
  if (Math.abs(inv - Math.round(inv)) < 1e-9) return `1/${Math.round(inv)} of the unit`;
  return `${Number(f.toPrecision(3))} of the unit`;
}

/**
 * One value in its format. `sig` significant digits (3 by default); CHF and USD whole amounts
 * are shown in full with separators ("CHF 3,975"), large USD as "USD 50 M".
 */
export function formatValue(v: number, format: ValueFormat, sig = 3): string {
  if (!Number.isFinite(v)) return v === Infinity ? 'no limit' : String(v);
  switch (format) {
    case 'percent':
      return `${sigNumber(v * 100, sig)} %`;
    case 'chf':
      return `CHF ${Math.abs(v) >= 10 ** (sig - 1) ? grouped(Math.round(v), 0) : sigNumber(v, sig)}`;
    case 'usd':
      return Math.abs(v) >= 1e6 ? `USD ${sigNumber(v / 1e6, sig)} M` : `USD ${grouped(Math.round(v), 0)}`;
    case 'integer':
      return grouped(Math.round(v), 0);
    case 'number':
      return sigNumber(v, sig);
    case 'unit-fraction':
      return unitFraction(v);
  }
}

/** Two values in their format, with enough digits that different values never print alike. */
export function formatPair(a: number, b: number, format: ValueFormat): [string, string] {
  if (format === 'unit-fraction' || format === 'integer') return [formatValue(a, format), formatValue(b, format)];
  const scale = format === 'percent' ? 100 : format === 'usd' && Math.abs(a) >= 1e6 ? 1e-6 : 1;
  let sig = digitsToSeparate(a * scale, b * scale, 2);
  if (format === 'chf') {
    // whole CHF amounts are printed in full; below that, significant digits decide
    if (Math.round(a) !== Math.round(b) || a === b)
      return [formatValue(a, format, Math.max(sig, 3)), formatValue(b, format, Math.max(sig, 3))];
    sig = Math.max(sig, 3);
  }
  return [formatValue(a, format, Math.max(sig, 2)), formatValue(b, format, Math.max(sig, 2))];
}

/**
 * An assumption in words: a constant ("70 %"), or a distribution's mean (two significant digits) and
 * range ("82 % on average (50–100 %)"); a string is an expression.
 */
export function describeNum(v: Num | string, format: ValueFormat): string {
  if (typeof v === 'string') return `given by the expression "${v}"`;
  if (typeof v === 'number') return formatValue(v, format);
  const m = formatValue(meanOf(v), format, 2);
  const range = supportOf(v);
  if (!range) return m;
  const [lo, hi] = range.map((x) => formatValue(x, format));
  const unitSuffix = format === 'percent' ? ' %' : '';
  const strip = (s: string) => (unitSuffix && s.endsWith(unitSuffix) ? s.slice(0, -unitSuffix.length) : s);
  // "50–100 %", but "−1.5 to −0.3": a dash between negative numbers reads as a minus
  return lo!.startsWith('-') || hi!.startsWith('-') ? `${m} on average (${lo} to ${hi})` : `${m} on average (${strip(lo!)}–${hi})`;
}

/** The range a distribution's draws fall in (5th–95th percentile when unbounded). */
function supportOf(v: Exclude<Num, number>): [number, number] | null {
  switch (v.dist) {
    case 'fixed':
      return null;
    case 'uniform':
    case 'triangular':
    case 'pert':
      return [v.min, v.max];
    case 'normal':
      return [v.min ?? quantile(v, 0.05), v.max ?? quantile(v, 0.95)];
    case 'beta':
    case 'lognormal':
    case 'poisson':
      return [quantile(v, 0.05), quantile(v, 0.95)];
  }
}

/** "R, T and D" style lists. */
export function listWords(xs: string[]): string {
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}
