import type { Distribution, Num } from '../../scenario/distribution.js';
import { type BetaKernel, betaKernel } from '../wasm/beta-kernel.js';

/**
 * The maths of every supported distribution, in one module: means (deterministic runs), CDFs and
 * inverse CDFs (sampling, tornado quantiles), truncation. The scenario layer (scenario/distribution.ts)
 * only defines and validates them.
 */

/**
 * Inverse CDF of every supported distribution. Sampling is `quantile(d, u)` with one uniform per
 * draw, so each variable consumes exactly one number of its stream per draw, and the tornado's P10 and
 * P90 are exact quantiles rather than estimates.
 *
 * @example
 * quantile({ dist: 'uniform', min: 2, max: 4 }, 0.25) // => 2.5
 */
export function quantile(d: Distribution, p: number): number {
  switch (d.dist) {
    case 'fixed':
      return d.value;
    case 'uniform':
      return d.min + p * (d.max - d.min);
    case 'triangular': {
      const fc = (d.mode - d.min) / (d.max - d.min);
      return p < fc
        ? d.min + Math.sqrt(p * (d.max - d.min) * (d.mode - d.min))
        : d.max - Math.sqrt((1 - p) * (d.max - d.min) * (d.max - d.mode));
    }
    case 'pert': {
      const { a, b } = pertShape(d);
      return d.min + betaQuantile(a, b, p) * (d.max - d.min);
    }
    case 'normal': {
      if (d.min === undefined && d.max === undefined) return d.mean + d.sd * normalQuantile(p);
      const lo = normalCdf(((d.min ?? -Infinity) - d.mean) / d.sd);
      const hi = normalCdf(((d.max ?? Infinity) - d.mean) / d.sd);
      const x = d.mean + d.sd * normalQuantile(lo + p * (hi - lo));
      return Math.min(d.max ?? Infinity, Math.max(d.min ?? -Infinity, x));
    }
    case 'lognormal': {
      const { mu, sigma } = lognormalParams(d.mean, d.sd);
      if (d.min === undefined && d.max === undefined) return Math.exp(mu + sigma * normalQuantile(p));
      // truncated to [min, max]: the inverse CDF over the kept probability mass, clamped against rounding
      const lo = lognormalCdf(mu, sigma, d.min ?? 0),
        hi = lognormalCdf(mu, sigma, d.max ?? Infinity);
      const x = Math.exp(mu + sigma * normalQuantile(lo + p * (hi - lo)));
      return Math.min(d.max ?? Infinity, Math.max(d.min ?? 0, x));
    }
    case 'beta':
      return betaQuantile(d.alpha, d.beta, p);
    case 'poisson':
      return d.min === undefined && d.max === undefined
        ? poissonQuantile(d.lambda, p)
        : truncatedPoissonQuantile(d.lambda, d.min, d.max, p);
  }
}

/** Expected value (used by deterministic runs); truncated distributions use their truncated mean. */
export function meanOf(p: Num): number {
  if (typeof p === 'number') return p;
  switch (p.dist) {
    case 'fixed':
      return p.value;
    case 'uniform':
      return (p.min + p.max) / 2;
    case 'triangular':
      return (p.min + p.mode + p.max) / 3;
    case 'pert':
      return (p.min + 4 * p.mode + p.max) / 6;
    case 'normal':
      return p.min === undefined && p.max === undefined ? p.mean : truncatedNormalMean(p.mean, p.sd, p.min ?? -Infinity, p.max ?? Infinity);
    case 'lognormal':
      return p.min === undefined && p.max === undefined ? p.mean : truncatedLognormalMean(p.mean, p.sd, p.min ?? 0, p.max ?? Infinity);
    case 'beta':
      return p.alpha / (p.alpha + p.beta);
    case 'poisson':
      return p.min === undefined && p.max === undefined ? p.lambda : truncatedPoissonMean(p.lambda, p.min, p.max);
  }
}

function phi(x: number) {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/** Standard normal CDF (Abramowitz-Stegun 7.1.26 via erf; absolute error < 1.5e-7). */
export function normalCdf(x: number): number {
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

function truncatedNormalMean(m: number, s: number, a: number, b: number): number {
  const al = (a - m) / s,
    be = (b - m) / s;
  const Z = normalCdf(be) - normalCdf(al);
  const pa = a === -Infinity ? 0 : phi(al),
    pb = b === Infinity ? 0 : phi(be);
  return m + (s * (pa - pb)) / Z;
}

/** μ and σ of log X for a lognormal with arithmetic mean m and standard deviation sd. */
export function lognormalParams(m: number, sd: number): { mu: number; sigma: number } {
  const s2 = Math.log(1 + (sd * sd) / (m * m));
  return { mu: Math.log(m) - s2 / 2, sigma: Math.sqrt(s2) };
}

function lognormalCdf(mu: number, sigma: number, x: number): number {
  return x <= 0 ? 0 : normalCdf((Math.log(x) - mu) / sigma);
}

/** E[X | a ≤ X ≤ b] = e^(μ+σ²/2) (Φ(β − σ) − Φ(α − σ)) / (Φ(β) − Φ(α)), α, β the standardised log bounds. */
function truncatedLognormalMean(m: number, sd: number, a: number, b: number): number {
  const { mu, sigma } = lognormalParams(m, sd);
  const al = a <= 0 ? -Infinity : (Math.log(a) - mu) / sigma,
    be = b === Infinity ? Infinity : (Math.log(b) - mu) / sigma;
  return (m * (normalCdf(be - sigma) - normalCdf(al - sigma))) / (normalCdf(be) - normalCdf(al));
}

/** The Poisson pmf from k = 0 up to the last k that matters (or `upTo`), in log space. */
function poissonPmf(lambda: number, upTo: number): number[] {
  const last = Math.min(upTo, Math.ceil(lambda + 40 * Math.sqrt(lambda) + 100));
  const out: number[] = [];
  let logPmf = -lambda;
  for (let k = 0; k <= last; k++) {
    if (k > 0) logPmf += Math.log(lambda) - Math.log(k);
    out.push(lambda === 0 ? (k === 0 ? 1 : 0) : Math.exp(logPmf));
  }
  return out;
}

/** Mean of a Poisson count restricted to the whole numbers in [min, max]. */
function truncatedPoissonMean(lambda: number, min = 0, max = Infinity): number {
  const pmf = poissonPmf(lambda, Math.floor(max));
  let mass = 0,
    sum = 0;
  for (let k = Math.max(0, Math.ceil(min)); k < pmf.length; k++) {
    mass += pmf[k]!;
    sum += k * pmf[k]!;
  }
  return mass > 0 ? sum / mass : Math.max(0, Math.ceil(min));
}

/** Smallest whole k in [min, max] whose truncated CDF reaches p. */
function truncatedPoissonQuantile(lambda: number, min = 0, max = Infinity, p: number): number {
  const pmf = poissonPmf(lambda, Math.floor(max));
  const k0 = Math.max(0, Math.ceil(min));
  let mass = 0;
  for (let k = k0; k < pmf.length; k++) mass += pmf[k]!;
  if (!(mass > 0)) return k0;
  let cdf = 0;
  for (let k = k0; k < pmf.length; k++) {
    cdf += pmf[k]! / mass;
    if (cdf >= p) return k;
  }
  return pmf.length - 1;
}

/** Acklam's rational approximation of the standard normal quantile, refined by one Halley step. */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const e = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  let x: number;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((e[0]! * q + e[1]!) * q + e[2]!) * q + e[3]!) * q + 1);
  } else if (p > 1 - 0.02425) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x =
      -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((e[0]! * q + e[1]!) * q + e[2]!) * q + e[3]!) * q + 1);
  } else {
    const q = p - 0.5,
      r = q * q;
    x =
      ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
      (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  }
  const err = normalCdf(x) - p;
  const u = err * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

function logGamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9)
  const g = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let s = g[0]!;
  for (let i = 1; i < 9; i++) s += g[i]! / (x + i);
  const t = x + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(s);
}

/** Continued fraction for the incomplete beta function (Numerical Recipes, betacf). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1,
    d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 3e-16) break;
  }
  return h;
}

/** Regularised incomplete beta I_x(a, b): the Beta(a, b) CDF. */
export function betaCdf(a: number, b: number, x: number, lnB = lnBeta(a, b)): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  return betaCdfInside(a, b, x, lnB, Math.log(x), Math.log(1 - x));
}

/** betaCdf for 0 < x < 1 given lx = log(x) and l1x = log(1 − x) (a quantile's Newton step has them already). */
function betaCdfInside(a: number, b: number, x: number, lnB: number, lx: number, l1x: number): number {
  const lnFront = -lnB + a * lx + b * l1x;
  return x < (a + 1) / (a + b + 2)
    ? (Math.exp(lnFront) * betaContinuedFraction(a, b, x)) / a
    : 1 - (Math.exp(lnFront) * betaContinuedFraction(b, a, 1 - x)) / b;
}

/**
 * Beta quantile (every PERT draw comes here). With both shapes ≥ 1 it reads a table built once per
 * (a, b) (betaTable): below p = 1/2 a piecewise quintic in v = p^(1/a), above it the same for the
 * mirrored Beta(b, a) at 1 − p. A draw is then a log, an exp and a polynomial, within 1e-13 of the exact
 * quantile (the table is checked when built; a shape whose table is not that close takes Newton's
 * method from the polynomial's value instead).
 */
export function betaQuantile(a: number, b: number, p: number): number {
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  if (a < 1 || b < 1) return betaQuantileSmallShape(a, b, p); // never a PERT: its shapes are ≥ 1
  return betaQuantileFrom(betaTable(a, b), p);
}

/**
 * The inverse CDF of d as a function of p, with what does not depend on p worked out once (a PERT's
 * shape and its beta table): the same numbers as quantile(d, p), for drawing many values of one
 * parameter (Monte Carlo parameter streams).
 */
export function quantileFunction(d: Distribution): (p: number) => number {
  if (d.dist === 'pert') {
    const { a, b } = pertShape(d);
    const t = betaTable(a, b);
    const min = d.min;
    const range = d.max - d.min;
    return (p) => min + (p <= 0 ? 0 : p >= 1 ? 1 : betaQuantileFrom(t, p)) * range;
  }
  return (p) => quantile(d, p);
}

/** A PERT's beta shapes: min + Beta(a, b) · (max − min). */
function pertShape(d: { min: number; mode: number; max: number }): { a: number; b: number } {
  return { a: 1 + (4 * (d.mode - d.min)) / (d.max - d.min), b: 1 + (4 * (d.max - d.mode)) / (d.max - d.min) };
}

/**
 * out[i] = quantileFunction(d)(u[i]) for every i < u.length, the same numbers: a PERT's, a beta's
 * with both shapes ≥ 1 and a triangular's through the WebAssembly kernel (wasm/beta-kernel.ts) when
 * there is one — a Monte Carlo run's parameter draws come here in blocks, and the kernel is fast from
 * its first call where JavaScript is still cold. Any other distribution, or no kernel: JavaScript.
 */
export function fillQuantiles(d: Distribution, u: Float64Array, out: Float64Array): void {
  // a PERT is min + Beta(a, b) · range; a beta is Beta(α, β) itself: min 0, range 1 (0 + q · 1 is q, bit
  // for bit); a beta with a shape below 1 has its own method, in JavaScript
  const shape =
    d.dist === 'pert'
      ? { ...pertShape(d), min: d.min, range: d.max - d.min }
      : d.dist === 'beta' && d.alpha >= 1 && d.beta >= 1
        ? { a: d.alpha, b: d.beta, min: 0, range: 1 }
        : undefined;
  // (before inKernel: building a table uses the kernel's memory too)
  const t = shape ? betaTable(shape.a, shape.b) : undefined;
  // inKernel's u and out, and a beta's table: the kernel's memory made at least that size
  const kernel = shape || d.dist === 'triangular' ? betaKernel(16 * u.length + 8 * (t ? t.lower.length + t.upper.length : 0)) : undefined;
  if (!kernel) {
    const inv = quantileFunction(d);
    for (let i = 0; i < u.length; i++) out[i] = inv(u[i]!);
  } else if (d.dist === 'triangular') {
    inKernel(kernel, u, out, (up, outp, n) => kernel.fn.triangular(d.min, d.mode, d.max, up, outp, n));
  } else if (shape && t) {
    inKernel(kernel, u, out, (up, outp, n) => {
      const lower = kernel.alloc(t.lower.length);
      const upper = kernel.alloc(t.upper.length);
      kernel.f64(lower, t.lower.length).set(t.lower);
      kernel.f64(upper, t.upper.length).set(t.upper);
      kernel.fn.quantiles(lower, upper, t.a, t.b, t.lnB, shape.min, shape.range, up, outp, n);
    });
  }
}

/** Runs `fill` over u copied into the kernel's memory, and copies what it wrote back into out. */
function inKernel(kernel: BetaKernel, u: Float64Array, out: Float64Array, fill: (up: number, outp: number, n: number) => void): void {
  const n = u.length;
  kernel.reset();
  const up = kernel.alloc(n);
  const outp = kernel.alloc(n);
  kernel.f64(up, n).set(u);
  fill(up, outp, n);
  out.set(kernel.f64(outp, n));
}

// ── The beta table (both shapes ≥ 1) ──────────────────────────────────────────────────────────────────
// Below its median the quantile x(p) of Beta(a, b) behaves like (a·B·p)^(1/a) as p → 0, whose
// derivatives are infinite at 0 when a > 1: a table in p (sessions 4–10: 256 entries and a Newton step
// per draw) is poor there — one draw in six needed Newton's method from a bracket, which was more than
// half a Monte Carlo run's quantile work. In v = p^(1/a), x is an analytic function of v (I_x(a, b) =
// x^a/(aB) · (1 + O(x)), so v is x times an analytic function of x that is not 0 at 0), smooth on the
// whole of [0, (1/2)^(1/a)]: a quintic Hermite interpolant of its values and first two derivatives on
// 256 cells is within ~1e-14 of it for every PERT shape. Above the median the same for the mirrored
// Beta(b, a) at 1 − p (I_x(a, b) = 1 − I_{1−x}(b, a)), so 1 − x is as precise near 1 as x near 0.

/** Cells a half table starts with: enough for every PERT shape. */
const BETA_CELLS = 256;
/** The most cells a half table takes (a `beta` with a large shape); one that would need more is Newton's start at 256. */
const BETA_MAX_CELLS = 4096;
/**
 * The error allowed at every cell's midpoint (where a quintic Hermite interpolant's error peaks) for a
 * half table's polynomial to be the draw: 1e-13 of the range. Every PERT shape is ~1e-14 or closer at
 * 256 cells; larger shapes need more cells near the median, where a cell spans a/(2·cells) of p
 * (Beta(10, 10): 3e-12 at 256 cells, 5e-14 at 512).
 */
const BETA_TABLE_TOLERANCE = 1e-13;
/**
 * A half table: [1/a, cells per unit of v, cells − 1, 1 if every midpoint passed the check else 0],
 * then six quintic coefficients per cell, lowest degree first — the kernel reads the same layout.
 */
const HALF_HEAD = 4;
interface BetaTable {
  a: number;
  b: number;
  lnB: number;
  /** Beta(a, b) for p ≤ 1/2 */
  lower: Float64Array;
  /** Beta(b, a) at 1 − p for p > 1/2 */
  upper: Float64Array;
}
const betaTables: BetaTable[] = [];

/** ln B(a, b), the beta function's logarithm (the CDF's and the density's normalising constant). */
export function lnBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/**
 * The cells of Beta(a, b)'s half tables (both shapes ≥ 1), and whether the table is the draw itself
 * with no Newton step: every PERT's is, at 256 cells a half (test/beta-table.test.ts).
 */
export function betaTableCells(a: number, b: number): { lower: number; upper: number; interpolates: boolean } {
  const t = betaTable(a, b);
  return { lower: t.lower[2]! + 1, upper: t.upper[2]! + 1, interpolates: t.lower[3] === 1 && t.upper[3] === 1 };
}

function betaTable(a: number, b: number): BetaTable {
  for (const t of betaTables) if (t.a === a && t.b === b) return t;
  const lnB = lnBeta(a, b);
  const t = { a, b, lnB, lower: betaHalf(a, b, lnB), upper: betaHalf(b, a, lnB) };
  // room for every shape a run or an explorer session draws from (a table is ~25 kB at 256 cells): with
  // fewer tables than a scenario's shapes, drawing them in turn rebuilt every table every block
  if (betaTables.length >= 256) betaTables.shift();
  betaTables.push(t);
  return t;
}

/** The quantile for 0 < p < 1: the lower half below the median's p, 1 − the mirrored shape's above. */
function betaQuantileFrom(t: BetaTable, p: number): number {
  return p <= 0.5 ? betaHalfQuantile(t.lower, t.a, t.b, t.lnB, p) : 1 - betaHalfQuantile(t.upper, t.b, t.a, t.lnB, 1 - p);
}

/**
 * Beta(a, b)'s quantile for 0 < q ≤ 1/2 from its half table: the quintic of v = q^(1/a)'s cell, by
 * Horner's rule; Newton's method from there for a table that did not pass its check. v is
 * exp(log(q)/a), not Math.pow: from WebAssembly an imported Math.pow costs twice Math.log and Math.exp
 * together (10 against 5 ms for 100,000 draws).
 */
function betaHalfQuantile(t: Float64Array, a: number, b: number, lnB: number, q: number): number {
  const z = Math.exp(Math.log(q) * t[0]!) * t[1]!;
  const k = Math.min(t[2]!, Math.floor(z));
  const u = z - k;
  const o = HALF_HEAD + 6 * k;
  const y = quinticAt(t, o, u);
  if (t[3] === 1) return y;
  // Newton's method inside the cell: from its knot x_k (the polynomial's value at 0) to the next one
  return newtonBeta(a, b, q, lnB, t[o]!, k < t[2]! ? t[o + 6]! : 1, y);
}

/** A cell's quintic at u, by Horner's rule from its six coefficients at t[o] (lowest degree first). */
function quinticAt(t: Float64Array, o: number, u: number): number {
  return t[o]! + u * (t[o + 1]! + u * (t[o + 2]! + u * (t[o + 3]! + u * (t[o + 4]! + u * t[o + 5]!))));
}

/**
 * The lower half of Beta(a, b)'s table (a, b ≥ 1): x(v), the quantile at p = v^a, on equal cells of
 * v from 0 to (1/2)^(1/a) — 256 of them when every cell's midpoint is within BETA_TABLE_TOLERANCE of
 * the CDF's answer. Else, as the interpolant's error falls like h^6 (64 times per doubling of the
 * cells), straight to the cells that should pass and at most one doubling more, up to BETA_MAX_CELLS;
 * past that the 256 cells are Newton's start (a shape far from any PERT, Beta(3, 200)): building
 * every size in turn cost such shapes 40–250 ms (the red team of session 11).
 */
function betaHalf(a: number, b: number, lnB: number): Float64Array {
  const first = betaHalfTable(a, b, lnB, BETA_CELLS);
  if (first.t[3] === 1) return first.t;
  let t = first.t;
  const cells = BETA_CELLS * 2 ** Math.max(1, Math.ceil(Math.log2(first.worst / BETA_TABLE_TOLERANCE) / 6));
  for (let n = cells; n <= Math.min(BETA_MAX_CELLS, 2 * cells) && t[3] !== 1; n *= 2) t = betaHalfTable(a, b, lnB, n).t;
  return t;
}

/**
 * One try at a half table of `cells` cells. Its knots x_k (v = k·h) are solved by Newton's method; with x' = dx/dv = a·v^(a−1)/pdf(x) and
 * x'' = x'·((a − 1)/v − x'·((a − 1)/x − (b − 1)/(1 − x))) (the density's log-derivative), each cell's
 * quintic matches x, x' and x'' at both its ends. At v = 0, the limits: from I_x(a, b) =
 * x^a/(aB)·(1 + a(1 − b)/(a + 1)·x + O(x²)), x = c·v·(1 + (b − 1)/(a + 1)·c·v + O(v²)),
 * c = (aB)^(1/a). Then every cell's midpoint is checked: |I_y(a, b) − p| / pdf(y), the distance to the
 * exact quantile to first order; `worst` is the largest of them. By the WebAssembly kernel when there
 * is one (most of a table's cost is a cold start in JavaScript), else here (kernel null: the tests);
 * the same numbers either way (test/beta-kernel.test.ts).
 */
export function betaHalfTable(
  a: number,
  b: number,
  lnB: number,
  cells: number,
  kernel: BetaKernel | null = betaKernel(8 * (HALF_HEAD + 9 * (cells + 1))) ?? null,
): { t: Float64Array; worst: number } {
  const top = 0.5 ** (1 / a);
  const h = top / cells;
  const c = Math.exp((Math.log(a) + lnB) / a);
  const t = new Float64Array(HALF_HEAD + 6 * cells);
  t[0] = 1 / a;
  t[1] = cells / top;
  t[2] = cells - 1;
  if (kernel) {
    kernel.reset();
    const tp = kernel.alloc(t.length);
    const xp = kernel.alloc(cells + 1);
    const worst = kernel.fn.halfTable(
      a,
      b,
      lnB,
      h,
      c,
      cells,
      tp,
      xp,
      kernel.alloc(cells + 1),
      kernel.alloc(cells + 1),
      BETA_TABLE_TOLERANCE,
    );
    t.set(kernel.f64(tp + 8 * HALF_HEAD, 6 * cells), HALF_HEAD);
    t[3] = kernel.f64(tp, HALF_HEAD)[3]!;
    return { t, worst };
  }
  // the knots: x_0 = 0 and x_k with I_x(a, b) = (k·h)^a, by Newton's method kept above the knot before,
  // from the straight line through the two knots before (from c·h for k = 1): two or three CDF
  // evaluations a knot
  const x = new Float64Array(cells + 1);
  for (let k = 1; k <= cells; k++) x[k] = newtonBeta(a, b, (k * h) ** a, lnB, x[k - 1]!, 1, k === 1 ? c * h : 2 * x[k - 1]! - x[k - 2]!);
  // x' · h and x'' · h² at each knot: the derivatives in the cell's own variable u = v/h − k
  const d1 = new Float64Array(cells + 1);
  const d2 = new Float64Array(cells + 1);
  d1[0] = c * h;
  d2[0] = ((2 * (b - 1)) / (a + 1)) * c * c * h * h;
  for (let k = 1; k <= cells; k++) {
    const v = k * h;
    const xk = x[k]!;
    const dx = (a * v ** (a - 1)) / Math.exp((a - 1) * Math.log(xk) + (b - 1) * Math.log(1 - xk) - lnB);
    d1[k] = dx * h;
    d2[k] = dx * ((a - 1) / v - dx * ((a - 1) / xk - (b - 1) / (1 - xk))) * h * h;
  }
  let checked = 1;
  let worst = 0; // the largest midpoint error (a NaN fails the check and is not counted here)
  for (let k = 0; k < cells; k++) {
    const [x0, x1, m0, m1, s0, s1] = [x[k]!, x[k + 1]!, d1[k]!, d1[k + 1]!, d2[k]!, d2[k + 1]!];
    const dx = x1 - x0;
    const o = HALF_HEAD + 6 * k;
    t[o] = x0;
    t[o + 1] = m0;
    t[o + 2] = s0 / 2;
    t[o + 3] = 10 * dx - 6 * m0 - 4 * m1 - 1.5 * s0 + 0.5 * s1;
    t[o + 4] = -15 * dx + 8 * m0 + 7 * m1 + 1.5 * s0 - s1;
    t[o + 5] = 6 * dx - 3 * m0 - 3 * m1 - 0.5 * s0 + 0.5 * s1;
    const y = quinticAt(t, o, 0.5);
    const err = Math.abs(betaCdf(a, b, y, lnB) - ((k + 0.5) * h) ** a) / Math.exp((a - 1) * Math.log(y) + (b - 1) * Math.log(1 - y) - lnB);
    if (!(err <= BETA_TABLE_TOLERANCE)) checked = 0;
    if (err > worst) worst = err;
  }
  t[3] = checked;
  return { t, worst };
}

/** Newton on I_x(a, b) = p from x inside [lo, hi], falling back to bisection when a step leaves it. */
function newtonBeta(a: number, b: number, p: number, lnB: number, lo: number, hi: number, x: number): number {
  if (!(x > lo && x < hi)) x = (lo + hi) / 2;
  if (hi - lo < 1e-13) return x;
  for (let i = 0; i < 100; i++) {
    // lo < x < hi inside [0, 1]: the CDF's and the density's logs, once
    const lx = Math.log(x);
    const l1x = Math.log(1 - x);
    const f = betaCdfInside(a, b, x, lnB, lx, l1x) - p;
    if (f < 0) lo = x;
    else hi = x;
    const pdf = Math.exp((a - 1) * lx + (b - 1) * l1x - lnB);
    let next = x - f / pdf;
    // converged: a step below 1e-13 that stays in the closed bracket — also one that rounds to x itself,
    // which has just become an end of the bracket, where the test below would bisect it away (the red
    // team of session 11 found knots 1e-13 off that way)
    if (Math.abs(next - x) < 1e-13 && next >= lo && next <= hi) return next;
    if (!(next > lo && next < hi) || !Number.isFinite(next)) next = (lo + hi) / 2;
    if (Math.abs(next - x) < 1e-13 || hi - lo < 1e-13) return next;
    x = next;
  }
  return x;
}

// ── Beta quantile when a shape is below 1 (a `beta`, or a Dirichlet split with a small concentration; ──
// ── never a PERT, whose shapes are ≥ 1)                                                                  ──
// The density is then infinite at 0 (alpha < 1) or at 1 (beta < 1) and the quantile in that tail
// shrinks like p^(1/alpha): the table above, with its absolute tolerance of 1e-13, returned 7.5e-14
// for Beta(0.3, 1) at p = 1e-6 where the answer is 1e-20 (a CDF 116 times too large). Here the tail
// the answer lies in is solved in log space, to a relative precision, on whichever side is small.

/**
 * Beta(a, b) quantile for a < 1 or b < 1, exact to a relative precision near both ends: x when the
 * answer is at most the mean a/(a + b), else 1 − y with y the Beta(b, a) quantile of 1 − p
 * (I_x(a, b) = 1 − I_{1−x}(b, a)).
 */
function betaQuantileSmallShape(a: number, b: number, p: number): number {
  const lnB = lnBeta(a, b);
  const m = a / (a + b);
  if (p <= betaCdf(a, b, m, lnB)) return betaLowerTail(a, b, p, lnB, m);
  return 1 - betaLowerTail(b, a, 1 - p, lnB, 1 - m);
}

/**
 * The x in (0, top] with I_x(a, b) = p, by Newton's method on ln I_x against t = ln x (nearly a
 * straight line, slope ≈ a, for small x), kept inside a bracket [lo, hi] in t and bisecting when a
 * step leaves it. lo is below the answer: I_x ≤ K·x^a / (a·B(a, b)) for x ≤ top, with
 * K = (1 − top)^(b − 1) when b < 1, else 1. The start is I_x ≈ x^a / (a·B(a, b)).
 */
function betaLowerTail(a: number, b: number, p: number, lnB: number, top: number): number {
  const lnP = Math.log(p);
  let hi = Math.log(top);
  const lnK = b < 1 ? (b - 1) * Math.log1p(-top) : 0;
  let lo = Math.min(hi, (lnP + Math.log(a) + lnB - lnK) / a);
  let t = Math.min(hi, Math.max(lo, (lnP + Math.log(a) + lnB) / a));
  for (let i = 0; i < 200; i++) {
    const x = Math.exp(t);
    const cdf = betaCdf(a, b, x, lnB);
    const f = Math.log(cdf) - lnP;
    if (f === 0) return x;
    if (f < 0) lo = t;
    else hi = t;
    // d ln I_x / dt = x · pdf(x) / I_x
    const slope = Math.exp(a * t + (b - 1) * Math.log1p(-x) - lnB) / cdf;
    let next = t - f / slope;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - t) < 1e-12 || hi - lo <= 1e-15 * Math.max(1, Math.abs(t))) return Math.exp(next);
    t = next;
  }
  return Math.exp(t);
}

/** Smallest k with P(X ≤ k) ≥ p, summing the pmf in log space. */
export function poissonQuantile(lambda: number, p: number): number {
  if (lambda === 0) return 0;
  let k = 0;
  let logPmf = -lambda;
  let cdf = Math.exp(logPmf);
  const limit = lambda + 40 * Math.sqrt(lambda) + 100;
  while (cdf < p && k < limit) {
    k++;
    logPmf += Math.log(lambda) - Math.log(k);
    cdf += Math.exp(logPmf);
  }
  return k;
}
