import { z } from 'zod';
import { normalCdf } from '../engine/random/distributions.js';

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
  z.strictObject({ dist: z.literal('lognormal'), mean: num, sd: num, min: num.optional(), max: num.optional() }),
  z.strictObject({ dist: z.literal('beta'), alpha: num, beta: num }),
  z.strictObject({ dist: z.literal('poisson'), lambda: num, min: num.optional(), max: num.optional() }),
] as const;
export const DistributionSchema = z.discriminatedUnion('dist', DistSchemas);
export type Distribution = z.infer<typeof DistributionSchema>;
export type Num = number | Distribution;

/** A truncated normal must keep at least this share of its probability inside its bounds. */
export const MIN_TRUNCATED_MASS = 0.001;

/**
 * The largest shape of a `beta` (as the Dirichlet split's largest concentration): Beta(10⁶, 10⁶) has
 * a standard deviation of 0.00035, a fixed value in all but name; above it the incomplete beta function
 * loses the digits its quantiles need (Beta(10⁶, 10⁶)'s median already comes out 3·10⁻¹⁰ off, and
 * Beta(10³⁰⁰, 2) drew 5.7·10⁻¹⁴ where its mass lies near 1: the red team of session 11).
 */
export const MAX_BETA_SHAPE = 1e6;

const fmt = (r: Range) => `[${r.min}, ${r.max === Infinity ? '∞' : r.max}]`;

/** Checks a distribution's own parameters and that its support lies inside the allowed range. */
export function checkDistribution(d: Distribution, r: Range): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  const inRange = (key: string, v: number) => {
    if (v < r.min || v > r.max) out.push({ path: key, message: `out of range: expected a value in ${fmt(r)}, found ${v}` });
  };
  /**
   * Unbounded distributions (lognormal, Poisson) are truncated by explicit `min`/`max`: required where
   * the parameter's range cuts their support, inside that range, min < max (docs/model.md §9).
   */
  const bounds = (what: string, supportMin: number) => {
    const b = d as { min?: number; max?: number };
    if ((r.min > supportMin && b.min === undefined) || (r.max < Infinity && b.max === undefined))
      out.push({ path: 'dist', message: `${what} here must be truncated inside ${fmt(r)}: add min and max` });
    if (b.min !== undefined) inRange('min', b.min);
    if (b.max !== undefined) inRange('max', b.max);
    if (b.min !== undefined && b.max !== undefined && !(b.min < b.max))
      out.push({ path: 'max', message: `expected min < max, found min ${b.min}, max ${b.max}` });
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
      else if (d.sd > 0 && (d.min !== undefined || d.max !== undefined)) {
        // Degenerate truncation: almost no probability inside [min, max] gives NaN or meaningless draws.
        const mass = normalCdf(((d.max ?? Infinity) - d.mean) / d.sd) - normalCdf(((d.min ?? -Infinity) - d.mean) / d.sd);
        if (!(mass >= MIN_TRUNCATED_MASS))
          out.push({
            path: 'mean',
            message: `a normal with mean ${d.mean} and sd ${d.sd} has almost no probability (${mass < 1e-12 ? '≈ 0' : mass.toPrecision(2)}) inside [${d.min ?? '-∞'}, ${d.max ?? '∞'}]: put the mean inside the bounds or widen sd (at least ${MIN_TRUNCATED_MASS * 100} % must lie inside)`,
          });
      }
      break;
    case 'lognormal':
      if (!(d.mean > 0)) out.push({ path: 'mean', message: `expected mean > 0, found ${d.mean}` });
      if (!(d.sd > 0)) out.push({ path: 'sd', message: `expected sd > 0, found ${d.sd}` });
      bounds('a lognormal (support 0 … ∞)', 0);
      break;
    case 'beta':
      for (const key of ['alpha', 'beta'] as const)
        if (!(d[key] > 0 && d[key] <= MAX_BETA_SHAPE))
          out.push({
            path: key,
            message: `expected 0 < ${key} ≤ ${MAX_BETA_SHAPE.toLocaleString('en-US')}, found ${d[key]}${d[key] > MAX_BETA_SHAPE ? ' (a shape that large is a near-fixed value: give a number instead)' : ''}`,
          });
      if (r.min > 0 || r.max < 1) out.push({ path: 'dist', message: `a beta distribution spans [0, 1]; allowed range here is ${fmt(r)}` });
      break;
    case 'poisson':
      if (!(d.lambda >= 0)) out.push({ path: 'lambda', message: `expected lambda ≥ 0, found ${d.lambda}` });
      bounds('a Poisson count (support 0, 1, 2 …)', 0);
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

/** The maths of these distributions (mean, inverse CDF, truncation) is in engine/random/distributions.ts. */
export const isUncertain = (p: Num): p is Exclude<Distribution, { dist: 'fixed' }> => typeof p !== 'number' && p.dist !== 'fixed';
