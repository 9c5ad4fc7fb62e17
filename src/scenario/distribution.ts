import { z } from 'zod';

/**
 * A numeric parameter: a constant or a distribution. Policy levers (fees, thresholds, horizon) are
 * plain numbers because they are decisions; behavioural and cost assumptions may be uncertain.
 *
 * Lognormal convention: `mean` and `sd` are the arithmetic mean and standard deviation of the value
 * itself (not of its logarithm), the way finance staff state an estimate.
 */
export type Range = { min: number; max: number; integer?: boolean };

const num = z.number();
const DistSchemas = [
  z.strictObject({ dist: z.literal('fixed'), value: num }),
  z.strictObject({ dist: z.literal('uniform'), min: num, max: num }),
  z.strictObject({ dist: z.literal('triangular'), min: num, mode: num, max: num }),
  z.strictObject({ dist: z.literal('pert'), min: num, mode: num, max: num }),
  z.strictObject({ dist: z.literal('normal'), mean: num, sd: num, min: num.optional(), max: num.optional() }),
  z.strictObject({ dist: z.literal('lognormal'), mean: num, sd: num }),
  z.strictObject({ dist: z.literal('beta'), alpha: num, beta: num }),
  z.strictObject({ dist: z.literal('poisson'), lambda: num }),
] as const;
export const DistributionSchema = z.discriminatedUnion('dist', DistSchemas);
export type Distribution = z.infer<typeof DistributionSchema>;
export type Num = number | Distribution;

const fmt = (r: Range) => `[${r.min}, ${r.max === Infinity ? '∞' : r.max}]`;

/** Checks a distribution's own parameters and that its support lies inside the allowed range. */
export function checkDistribution(d: Distribution, r: Range): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  const inRange = (key: string, v: number) => {
    if (v < r.min || v > r.max) out.push({ path: key, message: `out of range: expected a value in ${fmt(r)}, found ${v}` });
  };
  switch (d.dist) {
    case 'fixed':
      inRange('value', d.value);
      break;
    case 'uniform':
      if (!(d.min < d.max)) out.push({ path: 'max', message: `expected min < max, found min ${d.min}, max ${d.max}` });
      inRange('min', d.min);
      inRange('max', d.max);
      break;
    case 'triangular':
    case 'pert':
      if (!(d.min <= d.mode && d.mode <= d.max && d.min < d.max))
        out.push({ path: 'mode', message: `expected min ≤ mode ≤ max and min < max, found ${d.min}, ${d.mode}, ${d.max}` });
      inRange('min', d.min);
      inRange('max', d.max);
      break;
    case 'normal':
      if (!(d.sd > 0)) out.push({ path: 'sd', message: `expected sd > 0, found ${d.sd}` });
      if ((r.min > -Infinity && d.min === undefined) || (r.max < Infinity && d.max === undefined))
        out.push({ path: 'dist', message: `a normal distribution here must be truncated inside ${fmt(r)}: add min and max` });
      if (d.min !== undefined) inRange('min', d.min);
      if (d.max !== undefined) inRange('max', d.max);
      if (d.min !== undefined && d.max !== undefined && !(d.min < d.max))
        out.push({ path: 'max', message: `expected min < max, found min ${d.min}, max ${d.max}` });
      break;
    case 'lognormal':
      if (!(d.mean > 0)) out.push({ path: 'mean', message: `expected mean > 0, found ${d.mean}` });
      if (!(d.sd > 0)) out.push({ path: 'sd', message: `expected sd > 0, found ${d.sd}` });
      if (r.min > 0 || r.max < Infinity)
        out.push({ path: 'dist', message: `a lognormal is unbounded above; allowed range here is ${fmt(r)}` });
      break;
    case 'beta':
      if (!(d.alpha > 0)) out.push({ path: 'alpha', message: `expected alpha > 0, found ${d.alpha}` });
      if (!(d.beta > 0)) out.push({ path: 'beta', message: `expected beta > 0, found ${d.beta}` });
      if (r.min > 0 || r.max < 1) out.push({ path: 'dist', message: `a beta distribution spans [0, 1]; allowed range here is ${fmt(r)}` });
      break;
    case 'poisson':
      if (!(d.lambda >= 0)) out.push({ path: 'lambda', message: `expected lambda ≥ 0, found ${d.lambda}` });
      if (r.min > 0 || r.max < Infinity)
        out.push({ path: 'dist', message: `a Poisson count is unbounded above; allowed range here is ${fmt(r)}` });
      break;
  }
  return out;
}

/** A numeric parameter schema: number in range, or a distribution whose support is in range. */
export function numParam(range: Range) {
  return z.union([z.number(), DistributionSchema]).superRefine((v, ctx) => {
    if (typeof v === 'number') {
      if (!Number.isFinite(v) || v < range.min || v > range.max)
        ctx.addIssue({ code: 'custom', message: `out of range: expected a value in ${fmt(range)}, found ${v}` });
      else if (range.integer && !Number.isInteger(v)) ctx.addIssue({ code: 'custom', message: `expected a whole number, found ${v}` });
      return;
    }
    for (const p of checkDistribution(v, range)) ctx.addIssue({ code: 'custom', path: [p.path], message: p.message });
  });
}

/** A policy lever: a plain number in range. */
export function fixedNumber(range: Range) {
  return z.number().superRefine((v, ctx) => {
    if (!Number.isFinite(v) || v < range.min || v > range.max)
      ctx.addIssue({ code: 'custom', message: `out of range: expected a value in ${fmt(range)}, found ${v}` });
    else if (range.integer && !Number.isInteger(v)) ctx.addIssue({ code: 'custom', message: `expected a whole number, found ${v}` });
  });
}

/** Expected value (used by deterministic runs). */
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
      return p.mean;
    case 'beta':
      return p.alpha / (p.alpha + p.beta);
    case 'poisson':
      return p.lambda;
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

export const isUncertain = (p: Num): p is Exclude<Distribution, { dist: 'fixed' }> => typeof p !== 'number' && p.dist !== 'fixed';
